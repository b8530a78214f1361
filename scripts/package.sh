#!/usr/bin/env bash
# Builds the desktop app's Linux installers with the Tauri CLI (an npm
# package of the UI): a .deb and an .rpm holding the app (`rpp-arsip`), the
# command-line tool (`arsip`, for backups, restore and the LAN server), the
# built UI for `arsip serve`, a menu entry and a kiosk launcher; both declare
# tesseract (Indonesian and orientation data) and poppler as dependencies.
#
#   bash scripts/package.sh           release build: target/release/bundle/{deb,rpm}/
#   bash scripts/package.sh --debug   debug build (what the install test uses)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
profile=release
cargo_flags=(--release)
tauri_flags=()
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  cargo_flags=()
  tauri_flags=(--debug)
fi
npm --prefix ui run --silent build
cargo build -p arsip-cli "${cargo_flags[@]}"
built="${CARGO_TARGET_DIR:-target}"
# tauri.conf.json takes the CLI from here (in the repository), whichever
# profile and target folder built it.
mkdir -p target/package
cp "$built/$profile/arsip" target/package/arsip
(cd src-tauri && ../ui/node_modules/.bin/tauri build "${tauri_flags[@]}" --bundles deb,rpm --ci)
ls -1 "$built/$profile/bundle/deb/"*.deb "$built/$profile/bundle/rpm/"*.rpm
