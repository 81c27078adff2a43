#!/usr/bin/env python3
"""One report for every level (docs/formats.md, "Run report").

report_levels.py LSTMSIM MODEL IMAGES LABELS COUNT [ARCH]

Runs `lstmsim run --level fast|ca|rtl` and `lstmsim classify` on the same
images and checks: fast, ca and rtl write the same JSON keys (per image and
in the summary) with the same classes, logits, cycles and derived figures;
only the fields a level cannot measure are null; their summary lines are the
same apart from those fields and the timing line; classify's report is the
run report's keys it can fill, with the same values.
"""
import json
import re
import subprocess
import sys
import tempfile

sim, model, images, labels, count = sys.argv[1:6]
arch = sys.argv[6:7]
LEVELS = ("fast", "ca", "rtl")
fails = []


def missing_key(kind, value, tb):
    if kind is KeyError:  # a report without a key the checks read
        print(f"FAIL: report lacks key {value}; so far: {fails}")
        sys.exit(1)
    sys.__excepthook__(kind, value, tb)


sys.excepthook = missing_key


def check(cond, what):
    if not cond:
        fails.append(what)


def lstmsim(tmp, name, args):
    out = f"{tmp}/{name}.json"
    cmd = [sim, *args, "--model", model, "--images", images, "--labels", labels, "--count", count,
           "--json", out, "-q"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    return json.load(open(out)), p.stdout.splitlines()


with tempfile.TemporaryDirectory() as tmp:
    runs = {l: lstmsim(tmp, l, ["run", "--level", l] + (["--arch", arch[0]] if arch else [])) for l in LEVELS}
    ref, ref_text = lstmsim(tmp, "classify", ["classify"])

rep = {l: runs[l][0] for l in LEVELS}
text = {l: runs[l][1] for l in LEVELS}
summ = {l: rep[l]["summary"] for l in LEVELS}
n = int(count)

# Same keys, in the same order, at every level.
for l in LEVELS:
    check(list(summ[l]) == list(summ["ca"]), f"summary keys of {l} {list(summ[l])} != ca {list(summ['ca'])}")
    check(len(rep[l]["images"]) == n, f"{l}: {len(rep[l]['images'])} images, expected {n}")
    for it in rep[l]["images"]:
        check(list(it) == list(rep["ca"]["images"][0]), f"{l} image {it['index']} keys {list(it)}")
for key in ("images", "accuracy", "correct", "reference_class_matches", "reference_logit_matches",
            "cycles_per_inference", "latency_cycles", "inferences_per_second", "bound_mac", "bound_input",
            "bound_recurrence", "formula_interval", "formula_latency", "total_cycles", "wall_seconds",
            "simulated_cycles_per_second", "counters", "mvm_lane_utilisation", "level", "model", "kind", "arch"):
    check(key in summ["ca"], f"summary lacks {key}")

# Same values where every level computes them.
for l in LEVELS:
    check(summ[l].get("level") == l, f"{l}: level = {summ[l].get('level')}")
    m = (summ[l].get("reference_class_matches"), summ[l].get("reference_logit_matches"))
    check(m == (n, n), f"{l}: reference matches {m}")
    for k in ("class", "label", "logits", "cycles", "latency"):
        a = [it[k] for it in rep[l]["images"]]
        b = [it[k] for it in rep["ca"]["images"]]
        check(a == b, f"images[].{k}: {l} {a} != ca {b}")
    for k in ("images", "accuracy", "correct", "cycles_per_inference", "latency_cycles", "inferences_per_second",
              "bound_mac", "bound_input", "bound_recurrence", "formula_interval", "formula_latency", "mvm_lanes",
              "clock_mhz", "model", "kind", "arch"):
        a, b = summ[l].get(k, "<missing>"), summ["ca"].get(k, "<missing>")
        check(a == b != "<missing>", f"summary.{k}: {l} {a} != ca {b}")
check(all(len(it["logits"]) == 10 for it in rep["ca"]["images"]), "logits are not 10 per image")
check(summ["ca"]["cycles_per_inference"] > 0, "cycles_per_inference is 0")

# What a level cannot measure is null; what it can is a value.
check(isinstance(summ["ca"]["counters"], dict) and "mvm" in summ["ca"]["counters"], "ca: no mvm counters")
check(summ["fast"]["counters"] is None and summ["rtl"]["counters"] is None, "fast/rtl counters not null")
check(summ["rtl"]["mvm_lane_utilisation"] is None, "rtl utilisation not null")
# The same MVM beats (ca simulates one edge more after the last result).
beats = {l: round(summ[l]["mvm_lane_utilisation"] * summ[l]["total_cycles"]) for l in ("fast", "ca")}
check(beats["fast"] == beats["ca"] > 0, f"MVM beats fast {beats['fast']} ca {beats['ca']}")
check(0 <= summ["ca"]["total_cycles"] - summ["fast"]["total_cycles"] <= 1,
      f"total cycles fast {summ['fast']['total_cycles']} ca {summ['ca']['total_cycles']}")
check(summ["rtl"]["total_cycles"] == summ["fast"]["total_cycles"],
      f"total cycles rtl {summ['rtl']['total_cycles']} fast {summ['fast']['total_cycles']}")

# Summary lines: the same, but for the lines of unmeasured fields and timing.
def common(lines):
    return [s for s in lines if not s.startswith(("MVM lanes", "block counters", "  ", "level "))]


for l in LEVELS:
    check(common(text[l]) == common(text["ca"]), f"summary lines of {l}:\n{common(text[l])}\n!= ca:\n{common(text['ca'])}")
    timing = [s for s in text[l] if s.startswith("level ")]
    check(len(timing) == 1 and re.fullmatch(rf"level {l}: simulated {summ[l]['total_cycles']} cycles in [0-9.]+ s: "
                                            r"[0-9]+ cycles/s, [0-9.]+ images/s", timing[0]),
          f"{l} timing line {timing}")
check(len(common(text["ca"])) >= 4, f"too few summary lines: {text['ca']}")
check(f"images: {n}  correct: {summ['ca']['correct']}  accuracy: " in text["ca"][0], f"first line {text['ca'][0]}")
mvm = {l: [s for s in text[l] if s.startswith("MVM lanes")] for l in LEVELS}
for l in ("fast", "ca"):
    check(mvm[l] == [f"MVM lanes: {summ[l]['mvm_lanes']}, utilisation {100 * summ[l]['mvm_lane_utilisation']:.1f}%"],
          f"MVM line {l} {mvm[l]}")
check(mvm["rtl"] == [f"MVM lanes: {summ['rtl']['mvm_lanes']}, utilisation not measured at level rtl"],
      f"MVM line rtl {mvm['rtl']}")
for l in ("fast", "rtl"):
    check(f"block counters: not measured at level {l}" in text[l], f"{l}: no counters line")
rows = [s.split() for s in text["ca"] if s.startswith("  ")]
check([r[0] for r in rows] == list(summ["ca"]["counters"]) and
      all(int(r[1]) == summ["ca"]["counters"][r[0]]["busy"] for r in rows), f"ca counter rows {rows}")

# classify: the keys it can fill, with the same values.
rs = ref["summary"]
check(rs["level"] == "ref", f"classify level {rs['level']}")
check(set(rs) <= set(summ["ca"]), f"classify summary keys not in run's: {set(rs) - set(summ['ca'])}")
check({"images", "model", "kind", "accuracy", "correct"} <= set(rs), f"classify summary keys {list(rs)}")
for k in set(rs) - {"level"}:
    check(rs[k] == summ["ca"][k], f"classify summary.{k} {rs[k]} != run {summ['ca'][k]}")
for it, jt in zip(ref["images"], rep["ca"]["images"]):
    check(list(it) == [k for k in jt if k in it] and set(it) == {"index", "class", "label", "logits"},
          f"classify image keys {list(it)}")
    check(all(it[k] == jt[k] for k in it), f"classify image {it['index']} differs from run")
check(ref_text == [text["ca"][0]], f"classify summary {ref_text} != run's first line {text['ca'][0]}")

if fails:
    print("FAIL:\n" + "\n".join(fails))
    sys.exit(1)
print(f"ok: fast, ca, rtl and classify reports agree on {n} images ({len(summ['ca'])} summary keys)")
