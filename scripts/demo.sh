#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ringzero and runs the demo guest
# (a real-mode program of ours that computes and prints results), with stats.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build
exec ./build/ringzero --flat build/guest/demo.bin --max-insns 2000000000 --stats "$@"
