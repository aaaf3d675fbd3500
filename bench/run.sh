#!/usr/bin/env bash
# Times guest workloads under ringzero and reports instructions, seconds and
# MIPS (median of N runs).  Usage: bench/run.sh [BUILD_DIR] [RUNS]
# Side-by-side runs against Bochs and QEMU need bootable disk images; they come
# with the PC platform (SeaBIOS boot), until then only ringzero is measured.
set -euo pipefail
build=${1:-build}
runs=${2:-5}
cd "$(dirname "$0")/.."
[ -x "$build/ringzero" ] || { echo "bench: build ringzero first (no $build/ringzero)" >&2; exit 2; }
printf '%-22s %14s %10s %8s\n' workload instructions seconds MIPS
for guest in demo pm_paging; do
  bin=$build/guest/$guest.bin
  [ -f "$bin" ] || continue
  results=()
  for _ in $(seq "$runs"); do
    stats=$("$build/ringzero" --flat "$bin" --max-insns 5000000000 --stats -debugcon none 2>&1 >/dev/null || true)
    insns=$(awk '/^instructions:/ {print $2}' <<<"$stats")
    secs=$(awk '/^seconds:/ {print $2}' <<<"$stats")
    results+=("$secs $insns")
  done
  median=$(printf '%s\n' "${results[@]}" | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2)')
  read -r secs insns <<<"$median"
  mips=$(awk -v i="$insns" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0 ? i / s / 1e6 : 0) }')
  printf '%-22s %14s %10s %8s\n' "$guest" "$insns" "$secs" "$mips"
done
