#!/usr/bin/env bash
# The whole test suite: Release build + every ctest label, then the unit and
# model tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then
# each fuzz target for 30 s (docs/robustness.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

echo "== Release build and tests"
"$root/scripts/build.sh"
(cd "$root/build" && ctest -j"$jobs" --output-on-failure)

echo "== ASan + UBSan build and tests (labels unit and model; lint, synth: external tools; cosim: docs/robustness.md)"
BUILD_DIR="$root/build-asan" BUILD_TYPE=RelWithDebInfo \
  TARGETS="unit_tests lstmsim rtlsim model_tests tlm_tests tlm_host fuzz_all" \
  "$root/scripts/build.sh" -DLSTM_SANITIZE=ON
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest -j"$jobs" -L 'unit|model' -LE 'lint|synth|cosim' --output-on-failure)

echo "== Fuzzing: every parser 30 s (clang, libFuzzer, ASan + UBSan)"
"$root/scripts/fuzz.sh" "${FUZZ_SECONDS:-30}"
