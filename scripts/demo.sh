#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ringzero, and runs its main jobs:
#  1. the CPU demo guest (a real-mode program of ours) with speed statistics;
#  2. the PC booting Debian's GRUB rescue CD through the stock SeaBIOS, headless,
#     stopping at the GRUB menu and printing the screen;
#  3. the PC booting Debian 12's 64-bit Linux kernel with a busybox initramfs
#     through SeaBIOS to a shell on the serial console, where a script types a
#     few commands (tests/linux/busybox_shell.script) and powers off.
# To use the Linux shell yourself: ./build/ringzero -display none -m 256
#     -kernel /boot/vmlinuz-* -initrd build/demo-initramfs.cpio.gz -append console=ttyS0
# (Ctrl-A x quits), or -display sdl for the VGA console in a window.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build
echo "=== CPU demo"
./build/ringzero --flat build/guest/demo.bin --max-insns 2000000000 --stats
echo "=== PC: SeaBIOS boots the GRUB rescue CD (headless)"
./build/ringzero -cdrom /usr/lib/grub-rescue/grub-rescue-cdrom.iso -boot d -display none -serial none \
    --max-insns 2000000000 --exit-on-screen "executed automatically" --screen-text - --stats "$@"
echo "=== PC: Debian's 64-bit Linux to a busybox shell on COM1 (headless, scripted)"
kernel=$(ls /boot/vmlinuz-* | sort | tail -n 1)
bash tests/support/make_initramfs.sh build/demo-initramfs.cpio.gz
./build/ringzero -display none -m 256 -kernel "$kernel" -initrd build/demo-initramfs.cpio.gz \
    -append "console=ttyS0 quiet" --max-insns 30000000000 --serial-script tests/linux/busybox_shell.script --stats
