#!/usr/bin/env bash
# The nightly sampled-config cosimulation (docs/rtl.md, "Sampled
# configs"; ctest label long): BLOCKS configs (default 200) through every
# block cosim and TOPS configs (default 30) through the top cosim, in
# build-sampled/ (or $BUILD_DIR). The seed is new unless COSIM_SEED is set;
# it is printed first: run again with it to resume a killed run (what is
# built stays built).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
blocks=${1:-200}
tops=${2:-30}
build=${BUILD_DIR:-$root/build-sampled}
export COSIM_SEED=${COSIM_SEED:-$(( (RANDOM << 15 | RANDOM) % 99999999 + 1 ))}
echo "== sampled-config cosims: seed $COSIM_SEED, $blocks block configs, $tops top configs, in $build"
t0=$(date +%s)
BUILD_DIR=$build TARGETS=cosim_sampled_all "$root/scripts/build.sh" \
  -DCOSIM_SAMPLED_BLOCK_CONFIGS="$blocks" -DCOSIM_SAMPLED_TOP_CONFIGS="$tops"
t1=$(date +%s)
cat "$build/tb/cosim/sampled/coverage.txt"
rc=0
(cd "$build" && SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 ctest -j"$(nproc)" -R 'sampled' -E 'nightly' --output-on-failure) || rc=$?
t2=$(date +%s)
echo "== seed $COSIM_SEED: build $((t1 - t0)) s, cosims $((t2 - t1)) s (exit $rc)"
exit $rc
