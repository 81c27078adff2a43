#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs
# each for SECONDS (default 30).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# New inputs go to build-fuzz/corpus/TARGET (the seeds in tb/fuzz/corpus/TARGET
# are read, never written); logs to build-fuzz/logs/TARGET.log; a crash leaves
# build-fuzz/artifacts/TARGET/crash-* and fails the script: copy it to
# tb/fuzz/crashes/TARGET/ (replayed by ctest) and fix the parser.
# To grow the committed seeds: fuzz_TARGET -merge=1 tb/fuzz/corpus/TARGET build-fuzz/corpus/TARGET
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
secs=${1:-30}
shift || true
if [ $# -gt 0 ]; then build_targets="${*/#/fuzz_}"; else build_targets=fuzz_all; fi
CC=clang CXX=clang++ BUILD_DIR=$build BUILD_TYPE=RelWithDebInfo TARGETS=$build_targets \
  "$root/scripts/build.sh" -DLSTM_FUZZ=ON
read -r -a targets <<< "$(tr ';' ' ' < "$build/fuzz_targets.txt")"
if [ $# -gt 0 ]; then targets=("$@"); fi
# Scratch files of the fuzz targets on tmpfs when there is one.
[ -d /dev/shm ] && export TMPDIR=${TMPDIR:-/dev/shm}
# One target per core at a time (each is single-threaded); a target's
# result line is printed when it finishes.
fuzz_one() {
  local t=$1
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t" "$build/logs"
  local log="$build/logs/$t.log" seeds=() d
  for d in "$root/tb/fuzz/corpus/$t" "$root/tb/fuzz/crashes/$t"; do
    if [ -d "$d" ]; then seeds+=("$d"); fi
  done
  # rss/malloc limit 2 GB: the parsers must refuse absurd sizes, not allocate them.
  if ! "$build/tb/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" \
        "$build/corpus/$t" ${seeds[@]+"${seeds[@]}"} >"$log" 2>&1; then
    echo "fuzz $t: FAILED (see $log and $build/artifacts/$t/)"
    tail -n 30 "$log"
    return 1
  fi
  local execs last
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
  echo "fuzz $t: ${secs}s, ${execs:-?} executions, ${last:-no coverage line}, no crash"
}
fail=0
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || fail=1
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || fail=1
  running=$((running - 1))
done
exit $fail
