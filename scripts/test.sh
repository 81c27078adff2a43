#!/usr/bin/env bash
# The whole test suite: Release build + every ctest label, then the unit and
# model tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then
# each fuzz target for 20 s (docs/robustness.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
# Each step's wall time, printed as it ends.
t0=$(date +%s); tstep=$t0
lap() { local now; now=$(date +%s); echo "== $1: $((now - tstep)) s (total $((now - t0)) s)"; tstep=$now; }

echo "== Release build and tests"
"$root/scripts/build.sh"
# The configs the sampled-config cosims drew this run (a new seed each
# configure unless COSIM_SEED is set) and the features they cover.
lap "Release build"
cat "$root/build/tb/cosim/sampled/coverage.txt"
# Label long (the larger synthesis checks, ~15 CPU-minutes) is outside the
# default run: `ctest -L long` (README, "Tests").
(cd "$root/build" && ctest -j"$jobs" -LE long --output-on-failure)
lap "Release tests"

# The pure C++ library alone (LSTM_SIM=OFF): SystemC is never looked up and
# Verilator is hidden from CMake; its unit tests run without them.
echo "== Pure C++ library (LSTM_SIM=OFF, no SystemC, no Verilator)"
BUILD_DIR="$root/build-pure" "$root/scripts/build.sh" -DLSTM_SIM=OFF -DCMAKE_DISABLE_FIND_PACKAGE_verilator=ON
(cd "$root/build-pure" && ctest -j"$jobs" --output-on-failure)
lap "pure C++ library build and tests"

# Labels unit and model, and the top's cosimulation (every block's SystemC
# and RTL together); not lint/synth (external tools) nor the per-block
# cosims (docs/robustness.md); not the 10,000-image run of cnn_lstm_accel
# (131 s under ASan; the same code runs on 200 images in the other tests)
# nor the reference-against-Python checks over whole test sets (52 s under
# ASan: the reference's code on more data, checked by the Release run; the
# reference's unit tests run here).
echo "== ASan + UBSan build and tests"
# -O1 -g1 (line tables are enough for the reports) compiles faster than -O2 -g.
BUILD_DIR="$root/build-asan" BUILD_TYPE=RelWithDebInfo \
  TARGETS="unit_tests lstmsim rtlsim model_tests tlm_tests tlm_host fuzz_all cosim_lstm_accel_default" \
  "$root/scripts/build.sh" -DLSTM_SANITIZE=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
(cd "$root/build-asan" && export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 &&
   ctest -j"$jobs" -L 'unit|model' -LE 'lint|synth|cosim' -E 'all 10,000 test images|reference equals the Python integer evaluation' --output-on-failure &&
   ctest -R '^cosim lstm_accel default$' --output-on-failure)
lap "ASan + UBSan build and tests"

# 12 s each: coverage levels off within seconds on these parsers; longer
# runs are scripts/fuzz.sh SECONDS (docs/robustness.md).
echo "== Fuzzing: every parser ${FUZZ_SECONDS:-12} s (clang, libFuzzer, ASan + UBSan)"
"$root/scripts/fuzz.sh" "${FUZZ_SECONDS:-12}"
lap "fuzzing"
