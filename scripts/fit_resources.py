#!/usr/bin/python3
"""The resource model against the synthesis dataset (docs/sizing.md,
"Structural LUT and FF model"): fit its LUT coefficients on the dataset's
training shapes, and report its errors on the shapes it never saw.

  fit_resources.py report SPEC.json CSV... [--plot PNG] [--limits] [--kind K] [--rtl R]
  fit_resources.py fit    SPEC.json CSV... [--write FILE] [--rtl R]

Both run `lstmsim size --json` on every row's config and model (the model
is `gen-model` of the row's shape, as synth_sweep.py made it), so the
figures are what a user's `lstmsim size` prints, not a re-derivation.

- report: per split (train / test, the spec's "split" of each shape), per
  block and in total, the mean and maximum absolute relative error of LUT
  and FF, the DSP mismatches, and the BRAM36 error; markdown. --plot draws
  predicted against synthesized LUT and FF (PNG, matplotlib). --limits
  prints whether the test split meets each target of docs/sizing.md (total
  LUT 10% for every config, each block 25%, FF 5%, DSP exact, BRAM36 10%);
  --max KEY=V,... exits 1 when an error exceeds a bound (the ctest's
  regression check).
- fit: per block, least squares of the synthesized LUTs (minus the block's
  fixed terms) on the block's fitted terms ("lut_terms" of the size JSON),
  over the training shapes only; --write rewrites the coefficient table
  (sc_model/sizing/lut_coeffs.inc), which the C++ model includes.
--rtl current (or a hash, synth_sweep.py's `rtl` column) takes only the rows
synthesized from that RTL; the report lists each split's RTL hashes.
Needs numpy (and matplotlib for --plot).
"""
import argparse
import concurrent.futures
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth_sweep  # noqa: E402

ROOT = synth_sweep.ROOT
BLOCKS = [b for b in synth_sweep.BLOCKS if b != "top"]
# Targets on the unseen shapes (docs/sizing.md).
LIMITS = {"lut_total": 0.10, "lut_block": 0.25, "ff_total": 0.05, "bram36_total": 0.10, "dsp": 0}
# A block this small is judged by absolute error: 25% of 40 LUTs is noise
# from yosys' optimizer, not a modelling error a device budget feels.
SMALL = 40


def load_rows(paths):
    rows = {}
    for p in paths:
        rs, partial = synth_sweep.read_rows(p)
        for r in rs:
            rows[r["key"]] = r
    return rows


def size_json(lstmsim, model, cfg):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        synth_sweep.run([lstmsim, "size", "--arch", cfg, "--model", model, "--device", "xc7z045", "--count", "2",
                         "--json", f.name], f"lstmsim size {cfg}")
        return json.load(open(f.name))


def evaluate(a):
    """[(row, split, size JSON)] for every row of the CSVs that is a task of the spec."""
    spec = synth_sweep.load_spec(a.spec)
    split = {s["name"]: s.get("split", "train") for s in spec["shapes"]}
    rows = load_rows(a.csv)
    if getattr(a, "kind", None):
        rows = {k: r for k, r in rows.items() if r["kind"] == a.kind}
    if a.rtl:
        want = synth_sweep.rtl_hash(synth_sweep.rtl_files()) if a.rtl == "current" else a.rtl
        rows = {k: r for k, r in rows.items() if r["rtl"] == want}
        if not rows:
            raise synth_sweep.UserError(f"--rtl {a.rtl}: no row was synthesized from RTL {want}")
    # Only the shapes with rows are prepared (a model and its grid's configs each).
    spec = dict(spec, shapes=[s for s in spec["shapes"] if any(r["shape"] == s["name"] for r in rows.values())])
    tasks = {t[0]: t for t in synth_sweep.tasks(spec, os.path.join(a.work, "shapes"), a.lstmsim)}
    missing = [k for k in rows if k not in tasks]
    if missing:
        raise synth_sweep.UserError(f"row {missing[0]} is not a task of {a.spec}")
    keys = sorted(rows)
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        sizes = list(ex.map(lambda k: size_json(a.lstmsim, tasks[k][2], tasks[k][3]), keys))
    return [(rows[k], split[rows[k]["shape"]], s) for k, s in zip(keys, sizes)]


def rel(pred, real):
    return abs(pred - real) / real if real else (0.0 if pred == 0 else float("inf"))


def block_err(pred, real):
    """The relative error, or 0 for a small block within SMALL/4 LUTs."""
    if real < SMALL and abs(pred - real) <= SMALL / 4:
        return 0.0
    return rel(pred, real)


def report(a):
    ev = evaluate(a)
    out = []
    worst = {}
    for sp in ["train", "test"]:
        sel = [(r, s) for r, sp2, s in ev if sp2 == sp]
        if not sel:
            continue
        shapes = sorted({r["shape"] for r, _ in sel})
        out.append(f"### {sp} split: {len(sel)} configs of {len(shapes)} shapes ({', '.join(shapes)})\n")
        by_rtl = {}
        for r, _ in sel:
            by_rtl[r["rtl"]] = by_rtl.get(r["rtl"], 0) + 1
        out.append("RTL: " + ", ".join(f"{n} rows of {h}" for h, n in sorted(by_rtl.items())) + "\n")
        out.append("| block | configs | LUT mean err | LUT max err (config) | FF mean err | FF max err |")
        out.append("|---|---|---|---|---|---|")
        for b in BLOCKS + ["total"]:
            e_l, e_f = [], []
            for r, s in sel:
                if b == "total":
                    pl, pf, rl, rf = s["total"]["lut"], s["total"]["ff"], float(r["lut"]), float(r["ff"])
                else:
                    if b not in s["blocks"]:
                        continue
                    pl, pf = s["blocks"][b]["lut"], s["blocks"][b]["ff"]
                    rl, rf = float(r[f"{b}_lut"]), float(r[f"{b}_ff"])
                el = rel(pl, rl) if b == "total" else block_err(pl, rl)
                e_l.append((el, r["key"], pl, rl))
                e_f.append((rel(pf, rf), r["key"]))
            if not e_l:
                continue
            ml = max(e_l)
            mf = max(e_f)
            out.append(f"| {b} | {len(e_l)} | {100 * sum(x[0] for x in e_l) / len(e_l):.1f}% | "
                       f"{100 * ml[0]:.1f}% ({ml[1]}: {ml[2]:.0f} vs {ml[3]:.0f}) | "
                       f"{100 * sum(x[0] for x in e_f) / len(e_f):.1f}% | {100 * mf[0]:.1f}% |")
            worst[(sp, b, "lut")] = ml[0]
            worst[(sp, b, "ff")] = mf[0]
        dsp_bad = [r["key"] for r, s in sel if s["total"]["dsp"] != int(r["dsp"])]
        e_b = [rel(s["total"]["bram36"], float(r["bram36"])) for r, s in sel]
        worst[(sp, "total", "bram36")] = max(e_b)
        worst[(sp, "total", "dsp")] = len(dsp_bad)
        out.append(f"\nDSP: {len(sel) - len(dsp_bad)} of {len(sel)} exact"
                   + (f" (not: {', '.join(dsp_bad[:5])})" if dsp_bad else "")
                   + f"; BRAM36: mean err {100 * sum(e_b) / len(e_b):.1f}%, max {100 * max(e_b):.1f}%\n")
    print("\n".join(out))
    if a.plot:
        plot(ev, a.plot)
    if a.limits or a.max:
        bounds = dict(LIMITS)
        for item in filter(None, (a.max or "").split(",")):
            k, _, v = item.partition("=")
            if k not in bounds:
                raise synth_sweep.UserError(f"--max {item}: unknown bound (known: {', '.join(bounds)})")
            bounds[k] = float(v)
        miss = []
        blocks_max = max((v for (sp, b, x), v in worst.items() if sp == "test" and x == "lut" and b != "total"),
                         default=0)
        checks = [("total LUT", "lut_total", worst.get(("test", "total", "lut"), 0)),
                  ("block LUT", "lut_block", blocks_max),
                  ("total FF", "ff_total", worst.get(("test", "total", "ff"), 0)),
                  ("BRAM36", "bram36_total", worst.get(("test", "total", "bram36"), 0)),
                  ("DSP mismatches", "dsp", worst.get(("test", "total", "dsp"), 0))]
        bounds.setdefault("dsp", 0)
        for what, key, got in checks:
            target = LIMITS.get(key, 0)
            print(f"{'ok  ' if got <= target else 'MISS'} unseen shapes, {what}: max {got:.3g} (target {target:g})")
            if a.max and got > bounds[key]:
                miss.append(f"{what} {got:.3g} > {bounds[key]:g}")
        if miss:
            print("fit_resources: the model got worse than --max allows: " + "; ".join(miss), file=sys.stderr)
        return 1 if miss else 0
    return 0


def plot(ev, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(11, 5))
    for ax, what in zip(axes, ["lut", "ff"]):
        for sp, mark in [("train", "o"), ("test", "s")]:
            xs = [float(r[what]) for r, s2, s in ev if s2 == sp]
            ys = [s["total"][what] for r, s2, s in ev if s2 == sp]
            ax.scatter(xs, ys, marker=mark, s=22 if sp == "test" else 14, label=f"{sp} shapes ({len(xs)})",
                       facecolors="none" if sp == "test" else "C0", edgecolors="C3" if sp == "test" else "C0")
        lo = min(float(r[what]) for r, _, _ in ev) * 0.8
        hi = max(float(r[what]) for r, _, _ in ev) * 1.2
        ax.plot([lo, hi], [lo, hi], "k-", lw=0.8)
        band = 0.10 if what == "lut" else 0.05
        ax.plot([lo, hi], [lo * (1 + band), hi * (1 + band)], "k:", lw=0.6, label=f"±{band:.0%}")
        ax.plot([lo, hi], [lo * (1 - band), hi * (1 - band)], "k:", lw=0.6)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(f"synthesized {what.upper()} (yosys synth_xilinx -family xc7)")
        ax.set_ylabel(f"predicted {what.upper()} (lstmsim size)")
        ax.legend()
        ax.grid(True, which="both", lw=0.3)
    fig.suptitle("Resource model against the synthesis dataset (tb/synth/dataset)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"wrote {path}")


def fit(a):
    import numpy as np
    ev = evaluate(a)
    train = [(r, s) for r, sp, s in ev if sp == "train"]
    coeffs = {}
    for b in BLOCKS:
        sel = [(r, s["blocks"][b]) for r, s in train if b in s["blocks"] and s["blocks"][b].get("lut_terms")]
        if not sel:
            continue
        names = [n for n in sel[0][1]["lut_terms"] if not n.startswith("=")]
        if not names:
            continue
        X = np.array([[blk["lut_terms"][n] for n in names] for _, blk in sel], dtype=float)
        fixed = np.array([sum(v for n, v in blk["lut_terms"].items() if n.startswith("=")) for _, blk in sel])
        y = np.array([float(r[f"{b}_lut"]) for r, _ in sel]) - fixed
        # Relative least squares: each config weighs the same, not the biggest.
        w = 1.0 / np.maximum(np.array([float(r[f"{b}_lut"]) for r, _ in sel]), SMALL)
        coef, *_ = np.linalg.lstsq(X * w[:, None], y * w, rcond=None)
        coeffs[b] = dict(zip(names, coef))
        pred = X @ coef + fixed
        real = y + fixed
        err = [block_err(p, q) for p, q in zip(pred, real)]
        print(f"{b:10s} {len(sel):3d} configs  " + "  ".join(f"{n}={c:.4g}" for n, c in coeffs[b].items())
              + f"  train err mean {100 * np.mean(err):.1f}% max {100 * np.max(err):.1f}%")
    if a.write:
        # Blocks without training rows keep the coefficients the file has.
        if os.path.exists(a.write):
            for b, n, c in re.findall(r'\{"(\w+)", "(\w+)", ([-\d.e+]+)\}', open(a.write).read()):
                if b and b not in coeffs:
                    coeffs.setdefault(b + "\0kept", {})[n] = float(c)
        coeffs = {b.split("\0")[0]: cs for b, cs in coeffs.items()}
        lines = ["// Generated by scripts/fit_resources.py fit --write from the synthesis dataset's",
                 "// training shapes (tb/synth/dataset/spec.json); do not edit by hand.",
                 "// {block, term, LUTs per unit of the term}"]
        for b, cs in coeffs.items():
            for n, c in cs.items():
                lines.append(f'{{"{b}", "{n}", {c:.6g}}},')
        open(a.write, "w").write("\n".join(lines) + "\n")
        print(f"wrote {a.write}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    lstmsim = os.environ.get("LSTMSIM", os.path.join(ROOT, "build/sc_model/lstmsim"))
    for name in ["report", "fit"]:
        p = sub.add_parser(name)
        p.add_argument("spec")
        p.add_argument("csv", nargs="+")
        p.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "fit_resources.work"),
                       help="where the shapes' models and configs are made")
        p.add_argument("--lstmsim", default=lstmsim)
        p.add_argument("--rtl", help="only the rows synthesized from this RTL (a hash, or current: rtl/ now)")
        if name == "report":
            p.add_argument("--plot")
            p.add_argument("--limits", action="store_true", help="print the unseen-shape targets, met or missed")
            p.add_argument("--kind", choices=["lstm", "cnn-lstm"], help="only the rows of shapes of this kind")
            p.add_argument("--max", help="exit 1 when an unseen-shape error exceeds a bound, e.g. "
                                         "lut_total=0.1,lut_block=0.4 (a regression check)")
        else:
            p.add_argument("--write")
    a = ap.parse_args()
    try:
        return {"report": report, "fit": fit}[a.cmd](a)
    except synth_sweep.UserError as e:
        print(f"fit_resources: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
