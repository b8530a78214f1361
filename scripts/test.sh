#!/usr/bin/env bash
# One command that sets the machine up and runs every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The UI: generated wire types current, strict type check, lint, build; then
# the browser end-to-end tests in Chromium against `arsip serve`.
npm --prefix ui run --silent check:types
npm --prefix ui run --silent check
npm --prefix ui run --silent lint
npm --prefix ui run --silent build
cargo build -p arsip-cli
npm --prefix ui run --silent size
(cd ui && npx playwright test)
