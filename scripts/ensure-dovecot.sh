#!/usr/bin/env bash
# Installs what the live-probe tests need beyond npm: Dovecot as a real POP3/IMAP4 peer, and openssl to
# make its certificates. Does nothing when they are already there.
set -euo pipefail

missing=()
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || missing+=(dovecot-core)
[ -e /usr/lib/dovecot/pop3-login ] || missing+=(dovecot-pop3d)
[ -e /usr/lib/dovecot/imap-login ] || missing+=(dovecot-imapd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "The probe tests need these Debian packages: ${missing[*]}." >&2
  echo "Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the probe tests..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Debian's policy-rc.d keeps apt from starting the system Dovecot; the tests start their own.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
