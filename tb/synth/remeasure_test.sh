#!/usr/bin/env bash
# ctest synth.remeasure: `synth_sweep.py remeasure` against full syntheses
# (docs/sizing.md, "Re-measuring blocks"). A config of a tiny shape is
# synthesized whole from rtl/ now; its row is then marked as of the
# RTL of commit e7a455b (whose FC, KMUX, EWU, Conv1d and tops differ) and
# re-measured. The re-measured blocks must be within ABC's reorder noise of
# the full synthesis, the other blocks untouched, the totals their sum and
# `rtl` the current hash. A --blocks that leaves out a changed block must
# be refused, naming its file.
#   remeasure_test.sh LSTMSIM REPO WORKDIR
set -euo pipefail
lstmsim=$1; repo=$2; work=$3
rm -rf "$work"; mkdir -p "$work"; cd "$work"
sweep() { python3 "$repo/scripts/synth_sweep.py" "$@"; }
old=e7a455b
git -C "$repo" cat-file -e "$old^{commit}" 2>/dev/null || { echo "SKIP: commit $old is not in this clone's history"; exit 77; }
cat > spec.json <<'SPEC'
{"seed": 1, "per_shape": 1,
 "grid": {"base": {"clock_mhz": 200, "mvm_groups": 1, "spx_buffers": 2, "pixels_per_beat": 1, "ewu_lanes": 1},
          "axes": {"mvm_lanes": [8, 16], "fc_lanes": [1, 2]}},
 "shapes": [{"name": "tiny", "I": 8, "H": 8, "T": 2, "c": 4, "k": 2, "classes": 3, "seed": 1}]}
SPEC
sweep run spec.json --out full.csv --lstmsim "$lstmsim" > run.log
old_hash=$(sweep rtl-hash --commit $old)
python3 - "$old_hash" <<'PY'
import csv, sys
rows = list(csv.DictReader(open("full.csv")))
for r in rows:
    r["rtl"] = sys.argv[1]
w = csv.DictWriter(open("old.csv", "w", newline=""), rows[0].keys(), lineterminator="\n")
w.writeheader(); w.writerows(rows)
PY
cp old.csv refused.csv
if sweep remeasure spec.json --out refused.csv --blocks fc,kmux --lstmsim "$lstmsim" > refused.log 2>&1; then
  echo "FAIL: remeasure with --blocks fc,kmux accepted rows whose EWU, Conv1d and tops differ"; exit 1
fi
grep -q "rtl/.*differs from rtl/ now" refused.log || { echo "FAIL: the refusal does not name the file:"; cat refused.log; exit 1; }
cmp -s refused.csv old.csv || { echo "FAIL: a refused remeasure changed its CSV"; exit 1; }
echo "refused: $(tail -n 1 refused.log)"
sweep remeasure spec.json --out old.csv --blocks fc,kmux,ewu,conv1d,relu,maxpool,top --lstmsim "$lstmsim" | tee remeasure.log
python3 - "$(sweep rtl-hash)" <<'PY'
import csv, sys
full = {r["key"]: r for r in csv.DictReader(open("full.csv"))}
got = {r["key"]: r for r in csv.DictReader(open("old.csv"))}
assert full.keys() == got.keys(), "rows lost or added"
changed = ["fc", "kmux", "ewu", "top"]  # conv1d, relu, maxpool: not in an LSTM design
bad = []
for k, f in full.items():
    g = got[k]
    if g["rtl"] != sys.argv[1]:
        bad.append(f"{k}: rtl {g['rtl']}, expected {sys.argv[1]}")
    for col in f:
        b = col.rsplit("_", 1)[0]
        if col in ("key", "rtl", "synth_seconds") or b in changed:
            continue
        if col in ("dsp", "ramb18", "ramb36", "bram36", "lut", "ff"):
            continue
        if f[col] != g[col]:
            bad.append(f"{k}: {col} {g[col]}, the row's {f[col]} (a block not re-measured changed)")
    for b in changed:
        for x in ("dsp", "ramb18", "ramb36", "ff"):
            if f[f"{b}_{x}"] != g[f"{b}_{x}"]:
                bad.append(f"{k}: {b}_{x} {g[f'{b}_{x}']}, full synthesis {f[f'{b}_{x}']}")
        lf, lg = int(f[f"{b}_lut"]), int(g[f"{b}_lut"])
        if abs(lg - lf) > max(4, 0.05 * lf):  # ABC's result moves a little with the netlist's order
            bad.append(f"{k}: {b}_lut {lg}, full synthesis {lf}")
        print(f"{k}: {b} LUT re-measured {lg}, full synthesis {lf}")
    for x in ("dsp", "ramb18", "ramb36", "lut", "ff"):
        s = sum(int(g[c]) for c in g if c.endswith("_" + x))
        if s != int(g[x]):
            bad.append(f"{k}: total {x} {g[x]} is not the blocks' sum {s}")
if bad:
    print("FAIL:\n  " + "\n  ".join(bad)); sys.exit(1)
print(f"remeasure: {len(got)} rows of RTL {sys.argv[1]}, within ABC's noise of the full synthesis")
PY
