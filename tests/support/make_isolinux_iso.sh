#!/usr/bin/env bash
# Builds a bootable ISOLINUX CD image from Debian's isolinux and syslinux-common
# packages: it prints a greeting and stops at its "boot:" prompt.
# Usage: make_isolinux_iso.sh OUTPUT.iso
set -euo pipefail
out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin "$work/isolinux/"
cp /usr/lib/syslinux/modules/bios/ldlinux.c32 "$work/isolinux/"
cat > "$work/isolinux/isolinux.cfg" <<'CFG'
SAY ringzero isolinux test: the prompt below waits for a kernel name
PROMPT 1
TIMEOUT 0
CFG
xorriso -as mkisofs -quiet -o "$out" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$work"
