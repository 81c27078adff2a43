#!/usr/bin/env bash
# ctest cluster.slurm (label cluster): a real single-node Slurm on this
# machine (scripts/cluster/local_slurm.sh) runs a small `lstmsim sweep` and
# a small synthesis sweep as array jobs through the scripts users submit
# (scripts/cluster/*.sbatch); the merged CSVs must hold the same rows as a
# local run of the same sweep (the synthesis sweep: every column but
# synth_seconds). The
# daemons it started are stopped by pid. Exit 77 (skip, reason printed)
# when Slurm cannot run here.
#   cluster_test.sh LSTMSIM REPO WORKDIR
set -euo pipefail
lstmsim=$1; repo=$2; work=$3
rm -rf "$work"
mkdir -p "$work"
slurm="$repo/scripts/cluster/local_slurm.sh"
trap '"$slurm" stop "$work/slurm"' EXIT
t0=$(date +%s)
env_line=$("$slurm" start "$work/slurm") || exit $?
eval "$env_line"
echo "slurm up in $(( $(date +%s) - t0 )) s ($SLURM_CONF)"
export LSTMSIM=$lstmsim LSTM_REPO=$repo
cd "$work"
# run_array N SCRIPT ARGS...: an array job of N tasks; returns when every
# task has left the queue (polled: `sbatch --wait` backs off to 30 s), and
# fails when a task did (no accounting here: each task leaves
# <log>.done with its exit status).
run_array() {
  local n=$1 script=$2 name id i rc
  name=$(basename "$script" .sbatch)
  shift 2
  rm -f "$work/$name"-*.done
  id=$(sbatch --parsable --array=1-"$n" --output="$work/$name-%a.log" \
    --wrap "bash $script $* ; rc=\$?; echo \$rc > $work/$name-\$SLURM_ARRAY_TASK_ID.done; exit \$rc")
  while [ -n "$(squeue -h -j "$id" 2>/dev/null)" ]; do sleep 0.3; done
  for i in $(seq "$n"); do
    rc=$(cat "$work/$name-$i.done" 2>/dev/null || echo missing)
    if [ "$rc" != 0 ]; then
      echo "FAIL: $name task $i: exit $rc"; cat "$work/$name-$i.log"; exit 1
    fi
  done
}

# 1. lstmsim sweep: 4 array tasks, sweep-merge, against one local run.
cat > grid.json <<'GRID'
{"base": {"clock_mhz": 200},
 "axes": {"mvm_lanes": [16, 32, 64, 112], "mvm_groups": [1, 2], "ewu_lanes": [1, 7], "fc_lanes": [4, 8],
          "pixels_per_beat": [1, 4], "spx_buffers": [2]}}
GRID
run_array 4 "$repo/scripts/cluster/sweep.sbatch" "$repo/weights/fmnist-lstm" xc7z020 grid.json "$work/sweep"
"$lstmsim" sweep-merge sweep.shard-*-of-4.csv --out sweep.csv > /dev/null
"$lstmsim" sweep --model "$repo/weights/fmnist-lstm" --device xc7z020 --grid grid.json --out sweep-local.csv > /dev/null
rows=$(($(wc -l < sweep.csv) - 1))
# The same rows (sweep-merge does not know the grid order: rows in shard order).
if ! diff <(sort sweep.csv) <(sort sweep-local.csv) > sweep.diff; then
  echo "FAIL: merged Slurm sweep differs from the local one:"; head sweep.diff; exit 1
fi
echo "sweep: 4 array tasks, $rows rows merged, equal to the local run ($(( $(date +%s) - t0 )) s so far)"

# 2. Synthesis sweep: 2 array tasks of 2 small configs (one shape), merged,
# against a local run.
cat > spec.json <<'SPEC'
{"seed": 1, "per_shape": 2,
 "grid": {"base": {"clock_mhz": 200, "mvm_groups": 1, "spx_buffers": 2, "pixels_per_beat": 1, "fc_lanes": 1},
          "axes": {"mvm_lanes": [4, 8], "ewu_lanes": [1, 2]}},
 "shapes": [{"name": "tiny", "I": 4, "H": 4, "T": 2, "c": 4, "k": 1, "classes": 2, "seed": 1}]}
SPEC
# (the local run beside the array: the reference, not the system under test)
python3 "$repo/scripts/synth_sweep.py" run spec.json --out synth-local.csv --lstmsim "$lstmsim" > synth-local.log &
local_pid=$!
run_array 2 "$repo/scripts/cluster/synth_sweep.sbatch" spec.json "$work/synth"
python3 "$repo/scripts/synth_sweep.py" merge synth.shard-*-of-2.csv --out synth.csv > /dev/null
wait $local_pid || { echo "FAIL: the local synthesis sweep"; cat synth-local.log; exit 1; }
strip() { python3 -c 'import csv,sys; [print(",".join(r[:-1])) for r in csv.reader(open(sys.argv[1]))]' "$1"; }
if [ "$(strip synth.csv)" != "$(strip synth-local.csv)" ]; then
  echo "FAIL: merged Slurm synthesis sweep differs from the local one:"; diff <(strip synth.csv) <(strip synth-local.csv); exit 1
fi
rows=$(($(wc -l < synth.csv) - 1))
[ "$rows" = 2 ] || { echo "FAIL: $rows synthesis rows, expected 2"; exit 1; }
echo "synthesis sweep: 2 array tasks, $rows rows merged, equal to the local run (but synth_seconds)"
echo "cluster test: $(( $(date +%s) - t0 )) s wall"
