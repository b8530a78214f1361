#!/usr/bin/env bash
# Cross-builds `arsip.exe` for Windows (x86_64-pc-windows-gnu, MinGW-w64) on
# Debian 12 and runs a smoke session under Wine: init, ingest a text PDF,
# search, verify, backup, restore, audit verify, sync push to a file:///Z:/ URL.
# OCR is not exercised: tesseract/poppler are Linux programs Wine cannot run.
# Usage: bash scripts/windows-check.sh   (as root, or with the packages installed)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/windows}"
TARGET=x86_64-pc-windows-gnu

if ! command -v x86_64-w64-mingw32-gcc >/dev/null || ! command -v wine >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mingw-w64 wine64 wine >/dev/null
fi
rustup target add "$TARGET" >/dev/null
# No linker setting is needed: the target's default linker is x86_64-w64-mingw32-gcc.
cargo build -p arsip-cli --target "$TARGET"
EXE="$CARGO_TARGET_DIR/$TARGET/debug/arsip.exe"

WORK="$(mktemp -d /tmp/arsip-windows.XXXXXX)"
export WINEPREFIX="$WORK/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'wineserver -k 2>/dev/null || true; rm -rf "$WORK"' EXIT
wineboot --init >/dev/null 2>&1

# Debian 12's Wine 8.0 has no bcryptprimitives.dll, which Rust's std (1.78+)
# imports for ProcessPrng; without it every Rust .exe exits with status 53.
# A stand-in forwarding to RtlGenRandom, for this test prefix only.
cat > "$WORK/bcp.c" <<'C'
#include <windows.h>
#include <ntsecapi.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n; len -= n;
    }
    return TRUE;
}
C
printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\n    ProcessPrng\n' > "$WORK/bcp.def"
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  "$WORK/bcp.c" "$WORK/bcp.def" -ladvapi32

# A one-page PDF with a text layer (read by pdf-extract; no poppler under Wine).
mkdir -p "$WORK/in"
python3 - "$WORK/in/sk-penetapan.pdf" <<'PY'
import sys
text = b"BT /F1 14 Tf 72 720 Td (Keputusan KPU Kota Bogor tentang penetapan daftar pemilih tetap) Tj ET"
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
out, offs = bytearray(b"%PDF-1.4\n"), []
for i, o in enumerate(objs, 1):
    offs.append(len(out)); out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(sys.argv[1], "wb").write(out)
PY

W="$(winepath -w "$WORK")"          # e.g. Z:\tmp\arsip-windows.XXXXXX
U="file:///$(winepath -w "$WORK" | tr '\\' '/')"   # file:///Z:/tmp/...
arsip() { echo "+ arsip $*"; wine "$EXE" --lang en "$@"; }
expect() { local out; out="$(cat)"; echo "$out"; grep -q -- "$1" <<<"$out" || { echo "FAILED: expected '$1'"; exit 1; }; }

arsip --help | expect "Usage: arsip.exe"
arsip --archive "$W\\arsip" init --office "KPU Kota Bogor" --region 32.71
arsip --archive "$W\\arsip" ingest "$W\\in" --series "Uji Windows" | expect "1 added"
arsip --archive "$W\\arsip" search "penetapan pemilih" | expect "1 records found"
arsip --archive "$W\\arsip" verify | expect "Archive intact"
arsip --archive "$W\\arsip" backup "$W\\cadangan" | expect "Backup saved"
arsip --archive "$W\\pulih" restore "$W\\cadangan" | expect "Archive restored"
arsip --archive "$W\\pulih" search penetapan | expect "1 records found"
arsip --archive "$W\\pulih" audit verify | expect "Audit trail intact"
arsip --archive "$W\\arsip" sync push "$U/usb" | expect "Sent to file:///"
test -d "$WORK/usb/offices"
# file:/// URLs with a drive letter, and an office rebuilt from the drive.
arsip --archive "$W\\pulih2" restore "$U/cadangan" | expect "Archive restored"
KEY="$(ls "$WORK/usb/offices")"
arsip --archive "$W\\bangun" restore "$U/usb/offices/$KEY" --region 32.71 | expect "rebuilt"
arsip --archive "$W\\bangun2" restore "$W\\usb\\offices\\$KEY" --region 32.71 | expect "rebuilt"
arsip --archive "$W\\bangun" search penetapan | expect "1 records found"
echo "windows-check: arsip.exe ($(du -h "$EXE" | cut -f1)) passed the Wine smoke run"
