#!/usr/bin/env bash
# Builds a local stand-in for the Dockerfile's base image, docker.io/library/node:24-bookworm-slim, where Docker
# Hub cannot be reached, and prints its name. What the official image is, rebuilt from the same parts: Debian 12
# (bookworm) minbase from Debian's own mirror (checked against Debian's archive keys), the Node 24
# binary the project pins (node_modules/node, nodejs.org's own build, as in the official image) in
# /usr/local/bin, npm beside it, and the unprivileged `node` user, uid 1000.
# It is kept in podman's image store under a name with the Node version and this file's hash, so a second
# run takes no time and a changed recipe or Node builds anew. Needs root (debootstrap) and podman.
# Usage: scripts/container-base.sh   (DEBIAN_MIRROR overrides http://deb.debian.org/debian)
set -euo pipefail
cd "$(dirname "$0")/.."

node_binary=node_modules/node/bin/node
node_version=$("$node_binary" -p process.versions.node)
recipe=$(sha256sum "$0" | cut -c1-12)
image="localhost/popimap-bot-base:node-${node_version}-bookworm-${recipe}"

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

rootfs=$(mktemp -d /var/tmp/popimap-bot-base.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase --keyring=/usr/share/keyrings/debian-archive-keyring.gpg bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >&2
# The npm that runs this script (npm 10 or 11); the official image has the one Node's own release bundles.
npm_dir="$(npm prefix -g)/lib/node_modules/npm"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp "$node_binary" "$rootfs/usr/local/bin/node"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

# A stand-in from an older recipe or Node loses its name (podman keeps an image while another is built on it,
# and drops it with the last one: the test replaces its builds).
podman images --filter reference=localhost/popimap-bot-base --format '{{.Repository}}:{{.Tag}}' | xargs -r podman rmi >&2
tar -C "$rootfs" --numeric-owner -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --change "LABEL org.opencontainers.image.description=\"Stand-in for node:24-bookworm-slim: Debian 12 minbase and Node ${node_version}\"" \
  - "$image" >&2
echo "$image"
