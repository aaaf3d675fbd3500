#!/usr/bin/env bash
# Builds a bootable ISOLINUX CD image (Debian's isolinux and syslinux-common)
# that boots a Linux kernel with an initrd on the serial console: ISOLINUX
# talks on COM1 too (SERIAL), and the kernel gets console=ttyS0.
# Usage: make_linux_iso.sh OUTPUT.iso KERNEL INITRD [EXTRA KERNEL ARGUMENTS]
# The extra arguments come before console=ttyS0, which stays the last console
# (the one /dev/console and the init's shell use).
set -euo pipefail
out=$1
kernel=$2
initrd=$3
extra=${4:-}
for f in "$kernel" "$initrd" /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32; do
    [ -r "$f" ] || { echo "make_linux_iso.sh: cannot read $f" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$work/isolinux/"
cp "$kernel" "$work/isolinux/vmlinuz"
cp "$initrd" "$work/isolinux/initrd.gz"
cat > "$work/isolinux/isolinux.cfg" <<CFG
SERIAL 0 115200
SAY ringzero Linux test: booting vmlinuz with initrd.gz on ttyS0
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL vmlinuz
  APPEND initrd=initrd.gz $extra console=ttyS0 panic=-1
CFG
xorriso -as mkisofs -quiet -o "$out" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$work"
