#!/usr/bin/env bash
# Builds a Linux initramfs (a gzip-compressed "newc" cpio archive) from Debian's
# busybox-static: /bin/busybox with a symlink per applet, /dev/console, and an
# /init that mounts proc, sysfs and devtmpfs, prints "RINGZERO-SHELL-READY" on
# the console and runs a shell with the console as its controlling terminal
# (setsid cttyhack, so job control and Ctrl-C work), again whenever it exits.
#
# The archive is written here, not by cpio(1): the newc format is a text header
# per entry (the kernel's Documentation/driver-api/early-userspace/
# buffer-format.rst), so this needs no root for the device node, and fixed
# inode numbers, owners and times (0) make the output the same on every run.
# Usage: make_initramfs.sh OUTPUT.cpio.gz [BUSYBOX]
set -euo pipefail
out=$1
busybox=${2:-/bin/busybox}
[ -x "$busybox" ] || { echo "make_initramfs.sh: $busybox not found (install busybox-static)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpio=$work/initramfs.cpio
: > "$cpio"
ino=1000

# Appends count zero bytes.
zeros() { [ "$1" -gt 0 ] && head -c "$1" /dev/zero >> "$cpio"; return 0; }
# Pads the archive to a multiple of 4 bytes.
pad4() { local n; n=$(stat -c %s "$cpio"); zeros $(( (4 - n % 4) % 4 )); }

# entry NAME MODE SIZE RDEV_MAJOR RDEV_MINOR: a newc header and the name.
entry() {
    local name=$1 mode=$2 size=$3 rmaj=$4 rmin=$5
    ino=$((ino + 1))
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
        "$ino" "$mode" 0 0 1 0 "$size" 0 0 "$rmaj" "$rmin" $(( ${#name} + 1 )) 0 "$name" >> "$cpio"
    pad4
}
dir()     { entry "$1" $((0040755)) 0 0 0; }
symlink() { entry "$1" $((0120777)) ${#2} 0 0; printf '%s' "$2" >> "$cpio"; pad4; }
chardev() { entry "$1" $((0020600)) 0 "$2" "$3"; }
file()    { local size; size=$(stat -c %s "$3"); entry "$1" $(( 0100000 | $2 )) "$size" 0 0; cat "$3" >> "$cpio"; pad4; }

cat > "$work/init" <<'INIT'
#!/bin/sh
# ringzero test initramfs: mount the kernel's file systems, then a shell on the console.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
echo
echo "ringzero: $(uname -sr) on $(cat /proc/cpuinfo | sed -n 's/^model name[[:space:]]*: //p' | head -n 1)"
# A second shell on the VGA text console (tty1) when there is one.
if [ -c /dev/tty1 ]; then
    (while true; do
        echo "RINGZERO-VGA-SHELL on tty1"
        setsid /bin/sh -c 'exec /bin/sh </dev/tty1 >/dev/tty1 2>&1'
    done) </dev/tty1 >/dev/tty1 2>&1 &
fi
while true; do
    echo "RINGZERO-SHELL-READY"
    setsid cttyhack /bin/sh
done
INIT

for d in bin dev etc proc root sbin sys tmp; do dir "$d"; done
chardev dev/console 5 1
file bin/busybox 0755 "$busybox"
while read -r applet; do
    [ "$applet" = busybox ] || symlink "bin/$applet" busybox
done < <("$busybox" --list | LC_ALL=C sort -u)
file init 0755 "$work/init"
entry "TRAILER!!!" 0 0 0 0

gzip -9 -n -c "$cpio" > "$out"
