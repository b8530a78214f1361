#!/usr/bin/env bash
# Installs what RPP Arsip needs on a Debian 12 machine: tesseract with Indonesian
# and orientation data, poppler (pdftotext, pdftoppm), qpdf (test
# fixtures) and a C compiler for the bundled SQLite. With --test, also what the
# test suites read: Debian's texlive documentation packages, whose ~540 PDFs
# (made by tools no one here wrote) the PDF sweep reads. Safe to run again.
set -euo pipefail

need=()
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/ind.traineddata ] || need+=(tesseract-ocr-ind)
[ -f /usr/share/tesseract-ocr/5/tessdata/osd.traineddata ] || need+=(tesseract-ocr-osd)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v qpdf >/dev/null || need+=(qpdf)
command -v cc >/dev/null || need+=(build-essential)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ "${1:-}" = "--test" ]; then
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
