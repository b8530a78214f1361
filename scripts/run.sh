#!/usr/bin/env bash
# One command for a newcomer: sets the machine up, builds the UI and `arsip`,
# fills a demo archive with generated election records (OCR'd for real), then
# serves it: the office screens at http://127.0.0.1:8080/ and the visitors'
# kiosk at http://127.0.0.1:8081/. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm --prefix ui run --silent build
cargo build -p arsip-cli
ARSIP=target/debug/arsip
export ARSIP_ARCHIVE="${ARSIP_ARCHIVE:-$PWD/demo-archive}"
DEMO_PASSWORD="demo-arsip-2024"
if [ ! -f "$ARSIP_ARCHIVE/catalogue.sqlite" ]; then
  "$ARSIP" demo --records "${DEMO_RECORDS:-30}"
  # Demo logins, for this generated archive only.
  for user in arsiparis:arsiparis sekretariat:sekretariat admin:admin; do
    echo "$DEMO_PASSWORD" | "$ARSIP" user add "${user%%:*}" --role "${user##*:}"
  done
fi
echo
echo "== arsip search penetapan daftar pemilih =="
"$ARSIP" search penetapan daftar pemilih --limit 3
echo
echo "Arsip / archive: $ARSIP_ARCHIVE"
echo "Kantor / office: http://127.0.0.1:8080/  (masuk sebagai arsiparis, sekretariat atau admin; kata sandi $DEMO_PASSWORD)"
echo "Anjungan / kiosk: http://127.0.0.1:8081/"
trap 'kill $(jobs -p) 2>/dev/null' EXIT
"$ARSIP" serve --addr "${KIOSK_ADDR:-127.0.0.1:8081}" --kiosk &
"$ARSIP" serve --addr "${OFFICE_ADDR:-127.0.0.1:8080}"
