#!/usr/bin/env bash
# Installs what the tests need beyond npm, from Debian's packages: Chromium for the browser test (with
# CJK fonts, so Japanese screenshots are readable), Dovecot as a real POP3/IMAP4 peer for the live check,
# openssl for its certificates, and for the container test podman with runc (test/deploy/containers.conf says
# why not crun) and debootstrap, which builds the stand-in base image. Does nothing when all of it is already there.
set -euo pipefail

missing=()
for package in chromium fonts-liberation fonts-noto-cjk fontconfig dovecot-core dovecot-pop3d dovecot-imapd openssl podman runc debootstrap; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "The tests need these Debian packages: ${missing[*]}." >&2
  echo "Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the tests..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Debian's policy-rc.d keeps apt from starting the system Dovecot; the tests start their own.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
