#!/usr/bin/env bash
# Installs the .deb on this Debian machine as an office would (apt-get
# install ./…deb, which brings tesseract and poppler along), checks what it
# put where, drives the installed app's first run in its real window under
# Xvfb, then removes the package again. Needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
bash scripts/package.sh --debug
deb=$(ls -1t "${CARGO_TARGET_DIR:-target}"/debug/bundle/deb/*.deb | head -n1)
name=$(dpkg-deb -f "$deb" Package)
echo "test-install: installing $deb ($name)"
case "$deb" in /*) ;; *) deb="./$deb" ;; esac
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq "$name" >/dev/null || true' EXIT
fail() { echo "test-install: $*" >&2; exit 1; }
for dep in tesseract-ocr tesseract-ocr-ind tesseract-ocr-osd poppler-utils; do
  dpkg-deb -f "$deb" Depends | grep -q "$dep" || fail "the package does not depend on $dep"
  dpkg -s "$dep" >/dev/null 2>&1 || fail "$dep was not installed with the package"
done
for file in /usr/bin/rpp-arsip /usr/bin/arsip /usr/share/rpp-arsip/ui/index.html \
  /usr/share/applications/rpp-arsip-kiosk.desktop; do
  [ -e "$file" ] || fail "$file is missing"
done
menu=$(dpkg -L "$name" | grep -E '^/usr/share/applications/.*\.desktop$' | grep -v kiosk) \
  || fail "no menu entry"
grep -q '^Exec=rpp-arsip' "$menu" || fail "$menu does not start rpp-arsip"
grep -q '^Exec=rpp-arsip --kiosk' /usr/share/applications/rpp-arsip-kiosk.desktop \
  || fail "the kiosk launcher does not start the kiosk"
dpkg -L "$name" | grep -q '/usr/share/icons/hicolor/.*/apps/rpp-arsip.png' || fail "no icon"
/usr/bin/arsip --help >/dev/null || fail "the installed arsip does not run"
# The installed app's first run, in its window, as a new office meets it.
ARSIP_APP=/usr/bin/rpp-arsip cargo test -q -p rpp-arsip-desktop --test window first_run
DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq "$name" >/dev/null
trap - EXIT
[ ! -e /usr/bin/rpp-arsip ] || fail "removing the package left /usr/bin/rpp-arsip"
echo "test-install: installed, set up in its window, removed"
