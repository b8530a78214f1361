#!/usr/bin/env bash
# Makes the compatibility fixture: a small archive written by this version
# (catalogue, index, blobs, audit trail, sync log, a user), which every later
# version's tests open, migrate, search and verify
# (crates/arsip-core/tests/it/compat.rs). Run it only when a release changes
# the archive format, into a new folder named after the version; never
# replace an old fixture.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
out="crates/arsip-core/tests/fixtures/archive-$version"
[ -e "$out" ] && { echo "$out exists: a fixture is never replaced" >&2; exit 1; }
cargo build -q -p arsip-cli
arsip=target/debug/arsip
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$arsip --archive "$work/a" init --office "KPU Kota Bogor" --region 32.71 >/dev/null
$arsip --archive "$work/a" demo --records 4 --seed 7 --dpi 100 >/dev/null
printf 'kata-sandi-fixture\n' | $arsip --archive "$work/a" user add arsip1 --role arsiparis >/dev/null
$arsip --archive "$work/a" sync push "file://$work/usb" >/dev/null
# A compact catalogue with nothing left in its write-ahead log.
python3 - "$work/a/catalogue.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("VACUUM")
c.close()
PY
rm -f "$work/a/catalogue.sqlite-wal" "$work/a/catalogue.sqlite-shm"
rm -rf "$work/a/blobs/tmp"
mkdir -p "$(dirname "$out")"
cp -r "$work/a" "$out"
echo "wrote $out ($(du -sh "$out" | cut -f1))"
