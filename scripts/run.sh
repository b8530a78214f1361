#!/usr/bin/env bash
# One command for a newcomer: sets the machine up, builds the UI, `arsip` and
# the desktop app, fills a demo archive with generated election records (OCR'd
# for real), then opens the desktop app on it. Without a display it serves the
# same UI to browsers instead: the office at http://127.0.0.1:8080/ and the
# visitors' kiosk at http://127.0.0.1:8081/ (Ctrl-C stops both).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm --prefix ui run --silent build
cargo build -p arsip-cli -p rpp-arsip-desktop
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
echo "Masuk / log in as arsiparis, sekretariat or admin; kata sandi / password: $DEMO_PASSWORD"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${ARSIP_BROWSER_ONLY:-}" ]; then
  echo "Membuka aplikasi desktop / opening the desktop app (kiosk: target/debug/rpp-arsip --kiosk)."
  echo "The same UI in a browser: $ARSIP serve  (then http://127.0.0.1:8080/; --kiosk for the kiosk)"
  exec target/debug/rpp-arsip --archive "$ARSIP_ARCHIVE"
fi
echo "No display: serving the UI to browsers instead."
echo "Kantor / office: http://127.0.0.1:8080/"
echo "Anjungan / kiosk: http://127.0.0.1:8081/"
trap 'kill $(jobs -p) 2>/dev/null' EXIT
"$ARSIP" serve --addr "${KIOSK_ADDR:-127.0.0.1:8081}" --kiosk &
"$ARSIP" serve --addr "${OFFICE_ADDR:-127.0.0.1:8080}"
