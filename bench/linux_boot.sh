#!/usr/bin/env bash
# Boots Debian's 64-bit kernel with the busybox initramfs of the tests to the
# shell prompt (the line RINGZERO-SHELL-READY on the serial console) and reports
# wall-clock seconds for ringzero and, when installed, QEMU's TCG (the same
# -kernel/-initrd, pure software) and Bochs (the ISOLINUX CD, as Bochs has no
# direct kernel boot). ringzero also reports its guest instructions and MIPS.
# Usage: bench/linux_boot.sh [BUILD_DIR] [TIMEOUT_SECONDS]
# Measure on an idle machine: the numbers are wall-clock times.
set -euo pipefail
build=${1:-build}
limit=${2:-900}
cd "$(dirname "$0")/.."
[ -x "$build/ringzero" ] || { echo "bench: build ringzero first (no $build/ringzero)" >&2; exit 2; }
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort | tail -n 1)
[ -n "$kernel" ] || { echo "bench: no /boot/vmlinuz-* (scripts/setup.sh installs linux-image-amd64)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash tests/support/make_initramfs.sh "$work/initramfs.cpio.gz"
marker=RINGZERO-SHELL-READY

# Runs a command (stdin from $STDIN_FILE, else /dev/null) until its serial
# output (a file) shows the marker; prints the seconds.
time_until_marker() {
    local out=$1; shift
    local t0 t1
    t0=$(date +%s.%N)
    "$@" < "${STDIN_FILE:-/dev/null}" > /dev/null 2>&1 &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if grep -q "$marker" "$out" 2>/dev/null; then
            t1=$(date +%s.%N)
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
            return 0
        fi
        if awk -v a="$t0" -v b="$(date +%s.%N)" -v l="$limit" 'BEGIN { exit !(b - a > l) }'; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            echo "timeout"
            return 0
        fi
        sleep 0.2
    done
    echo "failed"
}

printf '%-34s %10s %14s %8s\n' emulator seconds instructions MIPS

line=$("$build/ringzero" -display none -m 256 -kernel "$kernel" -initrd "$work/initramfs.cpio.gz" \
       -append "console=ttyS0" --max-insns 60000000000 --exit-on-serial "$marker" 2>&1 >/dev/null |
       grep "found \"$marker\"" || true)
if [ -n "$line" ]; then
    insns=$(sed -n 's/.* after \([0-9]*\) instructions, \([0-9.]*\) seconds.*/\1/p' <<<"$line")
    secs=$(sed -n 's/.* after \([0-9]*\) instructions, \([0-9.]*\) seconds.*/\2/p' <<<"$line")
    mips=$(awk -v i="$insns" -v s="$secs" 'BEGIN { printf "%.1f", i / s / 1e6 }')
    printf '%-34s %10s %14s %8s\n' "ringzero (-kernel)" "$secs" "$insns" "$mips"
else
    printf '%-34s %10s\n' "ringzero (-kernel)" failed
fi

# The same through SeaBIOS and ISOLINUX from a CD, as Bochs boots it below.
if command -v xorriso > /dev/null && [ -f /usr/lib/ISOLINUX/isolinux.bin ]; then
    bash tests/support/make_linux_iso.sh "$work/linux.iso" "$kernel" "$work/initramfs.cpio.gz" > /dev/null 2>&1
    line=$("$build/ringzero" -display none -m 256 -cdrom "$work/linux.iso" -boot d --max-insns 60000000000 \
           --exit-on-serial "$marker" 2>&1 >/dev/null | grep "found \"$marker\"" || true)
    if [ -n "$line" ]; then
        insns=$(sed -n 's/.* after \([0-9]*\) instructions, \([0-9.]*\) seconds.*/\1/p' <<<"$line")
        secs=$(sed -n 's/.* after \([0-9]*\) instructions, \([0-9.]*\) seconds.*/\2/p' <<<"$line")
        mips=$(awk -v i="$insns" -v s="$secs" 'BEGIN { printf "%.1f", i / s / 1e6 }')
        printf '%-34s %10s %14s %8s\n' "ringzero (ISOLINUX CD)" "$secs" "$insns" "$mips"
    else
        printf '%-34s %10s\n' "ringzero (ISOLINUX CD)" failed
    fi
fi

if command -v qemu-system-x86_64 > /dev/null; then
    secs=$(time_until_marker "$work/qemu.serial" qemu-system-x86_64 -accel tcg,thread=single -m 256 -display none \
           -kernel "$kernel" -initrd "$work/initramfs.cpio.gz" -append "console=ttyS0" \
           -serial "file:$work/qemu.serial" -monitor none -no-reboot)
    printf '%-34s %10s\n' "$(qemu-system-x86_64 --version | head -n 1 | sed 's/ (.*//') TCG" "$secs"
else
    printf '%-34s %10s\n' "QEMU TCG" "not installed"
fi

if command -v bochs > /dev/null && [ -f /usr/share/bochs/BIOS-bochs-latest ] &&
   command -v xorriso > /dev/null && [ -f /usr/lib/ISOLINUX/isolinux.bin ]; then
    bash tests/support/make_linux_iso.sh "$work/linux.iso" "$kernel" "$work/initramfs.cpio.gz" > /dev/null 2>&1
    vgabios=/usr/share/vgabios/vgabios.bin
    [ -f "$vgabios" ] || vgabios=/usr/share/bochs/VGABIOS-lgpl-latest
    cat > "$work/bochsrc" <<EOF
megs: 256
cpu: model=corei7_sandy_bridge_2600k, count=1, ips=100000000
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=$vgabios
ata1-master: type=cdrom, path=$work/linux.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$work/bochs.serial
display_library: rfb, options="timeout=0"
log: /dev/null
EOF
    # Debian's Bochs stops in its debugger at the first instruction: "c" continues.
    printf 'c\n' > "$work/bochs.in"
    secs=$(STDIN_FILE="$work/bochs.in" time_until_marker "$work/bochs.serial" bochs -q -f "$work/bochsrc")
    printf '%-34s %10s\n' "Bochs $(dpkg-query -W -f='${Version}' bochs 2>/dev/null) (ISOLINUX CD)" "$secs"
else
    printf '%-34s %10s\n' "Bochs" "not installed"
fi
