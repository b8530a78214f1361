#!/usr/bin/env bash
# Installs what RPP Arsip needs on a Debian 12 machine: tesseract with Indonesian
# and orientation data, poppler (pdftotext, pdftoppm), qpdf (test
# fixtures), a C compiler for the bundled SQLite, WebKitGTK for the desktop app. With --test, also what the
# test suites read: Debian's texlive documentation packages, whose ~540 PDFs
# (made by tools no one here wrote) the PDF sweep reads, Debian's Chromium for
# the browser tests, Xvfb for the desktop app's window with tauri-driver and
# WebKitGTK's WebDriver to drive it, and s3s-fs, the
# S3-compatible server the sync tests start on loopback (built with cargo,
# about 2 to 5 minutes the first time). Node.js and the UI's npm packages are
# installed too (npm ci, from ui/package-lock.json). Also, in a Python venv
# under ~/.cache/rpp-arsip/pytools, the outside tools the handover tests
# check our output with: the Library of Congress `bagit` validator and the
# `Sickle` OAI-PMH harvester, and `openpyxl`, which reads the lists' .xlsx
# back. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/ind.traineddata ] || need+=(tesseract-ocr-ind)
[ -f /usr/share/tesseract-ocr/5/tessdata/osd.traineddata ] || need+=(tesseract-ocr-osd)
[ -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || need+=(tesseract-ocr-eng)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v qpdf >/dev/null || need+=(qpdf)
command -v cc >/dev/null || need+=(build-essential)
command -v pkg-config >/dev/null || need+=(pkg-config)
# The desktop app (Tauri 2) builds against WebKitGTK.
dpkg -s libwebkit2gtk-4.1-dev >/dev/null 2>&1 || need+=(libwebkit2gtk-4.1-dev)
dpkg -s librsvg2-dev >/dev/null 2>&1 || need+=(librsvg2-dev)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v Xvfb >/dev/null || need+=(xvfb)
  # WebKitGTK's WebDriver, which tauri-driver hands the desktop window to.
  command -v WebKitWebDriver >/dev/null || need+=(webkit2gtk-driver)
  python3 -m venv --help >/dev/null 2>&1 || need+=(python3-venv)
  # tiffcp writes the corpus's bilevel (CCITT Group 4) TIFF scans.
  command -v tiffcp >/dev/null || need+=(libtiff-tools)
  # zbarimg: a QR reader that is not ours, for the printed sheets and labels.
  command -v zbarimg >/dev/null || need+=(zbar-tools)
  for doc in texlive-latex-base-doc texlive-latex-recommended-doc texlive-metapost-doc; do
    dpkg -s "$doc" >/dev/null 2>&1 || need+=("$doc")
  done
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "setup: Rust (cargo) is required: install it with rustup or Debian's cargo package" >&2
  exit 1
fi

# The UI builds with Vite 8, which needs Node.js 20.19 or newer.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "setup: Node.js $(node --version) is too old for the UI build (20.19 or newer is needed)" >&2
  exit 1
fi
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the UI's npm packages"
  npm ci --prefix ui --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--test" ]; then
  tools="$HOME/.cache/rpp-arsip/pytools"
  if [ ! -x "$tools/bin/bagit.py" ] || ! "$tools/bin/python" -c "import sickle, openpyxl" 2>/dev/null; then
    echo "setup: installing bagit, Sickle and openpyxl into $tools"
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check bagit==1.9.0 Sickle==0.7.0 openpyxl==3.1.5
  fi
  # The desktop session test drives the real window through tauri-driver.
  if ! cargo install --list | grep -q "^tauri-driver v2.1.0:"; then
    echo "setup: building tauri-driver (the desktop window's WebDriver)"
    cargo install tauri-driver@2.1.0 --locked --quiet
  fi
  # The sync tests' S3 server. 0.14.1 builds with Rust 1.88; newer ones need a newer rustc.
  if ! s3s-fs --version 2>/dev/null | grep -q "0.14.1"; then
    echo "setup: building s3s-fs (the sync tests' S3-compatible server)"
    cargo install s3s-fs@0.14.1 --features binary --locked --quiet
  fi
fi
