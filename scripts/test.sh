#!/usr/bin/env bash
# One command that sets the machine up and runs every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# The UI first: the desktop app embeds ui/dist when it compiles. Generated wire
# types current, strict type check, lint, build.
npm --prefix ui run --silent check:types
npm --prefix ui run --silent check
npm --prefix ui run --silent lint
npm --prefix ui run --silent build
npm --prefix ui run --silent size
cargo fmt --all --check
# --workspace includes src-tauri: its smoke test starts the real app under Xvfb.
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The .deb, installed with apt as an office would, set up in its window, removed.
bash scripts/test-install.sh
# Browser end-to-end tests in Chromium against `arsip serve`.
(cd ui && npx playwright test)
