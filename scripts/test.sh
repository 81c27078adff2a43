#!/usr/bin/env bash
# The whole test suite: Release build + every ctest label, then the unit
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

echo "== Release build and tests"
"$root/scripts/build.sh"
(cd "$root/build" && ctest -j"$jobs" --output-on-failure)

echo "== ASan + UBSan build and unit tests"
BUILD_DIR="$root/build-asan" BUILD_TYPE=RelWithDebInfo TARGETS="unit_tests lstmsim" \
  "$root/scripts/build.sh" -DLSTM_SANITIZE=ON
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest -j"$jobs" -L unit -LE lint --output-on-failure)
