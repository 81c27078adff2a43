#!/usr/bin/env bash
# sweep_resume.sh LSTMSIM MODEL GRID: a sweep killed half way (a half-written
# last line included) and rerun gives the same CSV as an uninterrupted one;
# two shards merged with sweep-merge give it too; the merged sweep plots.
set -euo pipefail
sim=$1; model=$2; grid=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
run() { "$sim" sweep --model "$model" --device xc7z020 --grid "$grid" --count 2 "$@"; }
run --out "$dir/full.csv" > "$dir/full.log"
rows=$(($(wc -l < "$dir/full.csv") - 1))
[ "$rows" -ge 10 ] || { echo "only $rows rows"; exit 1; }
# The kill: header + half the rows (pareto column still 0, as while running) + a partial line.
{ head -1 "$dir/full.csv"; sed -n "2,$((rows / 2 + 1))p" "$dir/full.csv" | sed 's/,1$/,0/';
  sed -n "$((rows / 2 + 2))p" "$dir/full.csv" | head -c 25; } > "$dir/resumed.csv"
run --out "$dir/resumed.csv" > "$dir/resumed.log"
grep -q "resuming: $((rows / 2)) rows already" "$dir/resumed.log" || { cat "$dir/resumed.log"; exit 1; }
grep -q "dropped a half-written last line" "$dir/resumed.log" || { cat "$dir/resumed.log"; exit 1; }
cmp "$dir/full.csv" "$dir/resumed.csv" || { diff "$dir/full.csv" "$dir/resumed.csv"; exit 1; }
# Shards: disjoint, together complete; merged = full.
run --shard 1/2 --out "$dir/s1.csv" > /dev/null
run --shard 2/2 --out "$dir/s2.csv" > /dev/null
"$sim" sweep-merge --out "$dir/merged.csv" "$dir/s1.csv" "$dir/s2.csv" > /dev/null
[ "$(sort "$dir/merged.csv" | md5sum)" = "$(sort "$dir/full.csv" | md5sum)" ] || {
  diff <(sort "$dir/full.csv") <(sort "$dir/merged.csv"); exit 1; }
# A rerun of a complete sweep does nothing new.
run --out "$dir/full.csv" | grep -q "($(echo 0) new)" || exit 1
# The plot (matplotlib): PNG and SVG of the merged sweep.
"$sim" sweep-merge --out "$dir/merged.csv" "$dir/s1.csv" "$dir/s2.csv" --plot "$dir/p" > "$dir/plot.log"
[ -s "$dir/p.png" ] && grep -q "<svg" "$dir/p.svg" || { cat "$dir/plot.log"; exit 1; }
echo "ok: $rows rows; resume after a kill and 2 merged shards give the uninterrupted CSV"
