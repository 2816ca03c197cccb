#!/usr/bin/env bash
# Installs what the tests need beyond npm: Debian's Chromium for the browser test (with CJK fonts, so the
# Japanese screenshots are readable). Does nothing when it is already there.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'noto sans cjk' || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "The tests need these Debian packages: ${missing[*]} (plus fonts-liberation)." >&2
  echo "Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]} fonts-liberation" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the browser test..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-noto-cjk fontconfig >/dev/null
