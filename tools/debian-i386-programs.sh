#!/usr/bin/env bash
# Real Debian i386 programs for the oracle tests (busybox-static, bash-static): fetched with
# apt-get download into .cache/debian-i386 (never committed) and unpacked there with
# dpkg-deb -x. Adds the i386 architecture to dpkg when it is missing. Idempotent; needs root
# the first time. Prints the directory.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=$PWD/.cache/debian-i386
if [ ! -x "$dest/bin/busybox" ] || [ ! -x "$dest/bin/bash-static" ]; then
  mkdir -p "$dest/debs"
  export DEBIAN_FRONTEND=noninteractive
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386
    apt-get update -qq
  fi
  (cd "$dest/debs" && apt-get download -qq busybox-static:i386 bash-static:i386 2>/dev/null) ||
    { apt-get update -qq && (cd "$dest/debs" && apt-get download -qq busybox-static:i386 bash-static:i386); }
  for deb in "$dest"/debs/*.deb; do dpkg-deb -x "$deb" "$dest"; done
fi
echo "$dest"
