#!/usr/bin/env bash
# One command for a newcomer: sets the machine up, builds `arsip`, fills a demo
# archive with generated election records (OCR'd for real) and searches it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build -p arsip-cli
ARSIP=target/debug/arsip
export ARSIP_ARCHIVE="${ARSIP_ARCHIVE:-$PWD/demo-archive}"
if [ ! -f "$ARSIP_ARCHIVE/catalogue.sqlite" ]; then
  "$ARSIP" demo --records "${DEMO_RECORDS:-30}"
fi
echo
echo "== arsip search penetapan daftar pemilih =="
"$ARSIP" search penetapan daftar pemilih --limit 3
echo
echo "== arsip search dpt --role publik (kiosk view: NIK masked) =="
"$ARSIP" search dpt --role publik --limit 2
echo
echo "Archive: $ARSIP_ARCHIVE. Try: $ARSIP --archive $ARSIP_ARCHIVE search <kata>, list, show <id>, verify"
