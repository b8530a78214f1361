#!/usr/bin/env bash
# The end-to-end tests' servers: a fresh archive of generated demo records
# (OCR'd for real), two users, then `arsip serve` twice on loopback, the
# office at :18181 and the kiosk at :18182, both serving the built UI.
set -euo pipefail
cd "$(dirname "$0")/.."
ARSIP="${CARGO_TARGET_DIR:-../target}/debug/arsip"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$WORK"' EXIT
export ARSIP_ARCHIVE="$WORK/archive"
"$ARSIP" demo --records "${E2E_RECORDS:-12}" --seed 11 >/dev/null
for user in arsip1:arsiparis sekre1:sekretariat admin1:admin; do
  echo "kata-sandi-uji" | "$ARSIP" user add "${user%%:*}" --role "${user##*:}" >/dev/null
done
"$ARSIP" serve --addr 127.0.0.1:18182 --kiosk --ui dist &
"$ARSIP" serve --addr 127.0.0.1:18181 --ui dist &
wait
