#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ringzero, and runs its main jobs:
#  1. the CPU demo guest (a real-mode program of ours) with speed statistics;
#  2. the PC booting Debian's GRUB rescue CD through the stock SeaBIOS, headless,
#     stopping at the GRUB menu and printing the screen (pass -display sdl to
#     watch it in a window instead).
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
