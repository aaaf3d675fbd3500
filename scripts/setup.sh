#!/usr/bin/env bash
# Installs, on a fresh Debian 12 as root, everything ringzero's build, tests and main job need.
# Idempotent: packages already present are left as they are.
set -euo pipefail
PKGS=(build-essential cmake pkg-config ninja-build nasm check zlib1g-dev libsdl2-dev libpng-dev
      libzydis-dev seabios grub-rescue-pc memtest86+ isolinux syslinux-common xorriso
      linux-image-amd64 busybox-static)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
