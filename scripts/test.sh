#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ringzero twice (optimised with
# warnings as errors, and with AddressSanitizer + UndefinedBehaviorSanitizer),
# and runs every test (unit suites, guest programs, conformance vectors) in both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
status=0
for type in RelWithDebInfo Sanitize; do
  dir=build-test-$type
  echo "=== $type build"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=$type -DRINGZERO_WERROR=ON >/dev/null
  ninja -C "$dir"
  echo "=== $type tests"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" || status=1
done
exit $status
