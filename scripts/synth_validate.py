#!/usr/bin/env python3
"""Checks the resource model against synthesis: for each architecture
config, synthesizes the RTL top with `yosys synth_xilinx -family xc7`
(scripts/synth.sh) and compares DSP48E1, block RAM (RAMB36 tiles, a RAMB18
counting one half) and LUTs with `lstmsim size` (same config, same model).

  scripts/synth_validate.py --model weights/fmnist-lstm --out DIR CONFIG.json...
      [--table FILE.md] [--reuse]

Targets (docs/sizing.md): DSP exact, BRAM within 10%, LUT within 25%
(--lut-tol changes the last: 0.15 for the stacked configs).
Exit status 0 when every config meets them, 1 otherwise, 2 on a tool error.
--reuse skips synthesis when DIR/NAME/stat.txt exists (to rebuild the table).
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yosys_stat  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOL = {"dsp": 0.0, "bram36": 0.10, "lut": 0.25}


def rel(model, synth):
    if synth == 0:
        return 0.0 if model == 0 else float("inf")
    return (model - synth) / synth


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("configs", nargs="+")
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--table", help="write the markdown table to FILE")
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--lut-tol", type=float, default=TOL["lut"], help="LUT tolerance (fraction)")
    ap.add_argument("--lstmsim", default=os.environ.get("LSTMSIM", os.path.join(ROOT, "build/sc_model/lstmsim")))
    a = ap.parse_args()
    TOL["lut"] = a.lut_tol
    rows, ok = [], True
    for cfg in a.configs:
        name = os.path.splitext(os.path.basename(cfg))[0]
        out = os.path.join(a.out, name)
        stat = os.path.join(out, "stat.txt")
        t0 = time.time()
        if not (a.reuse and os.path.exists(stat)):
            r = subprocess.run(["bash", os.path.join(ROOT, "scripts/synth.sh"), cfg, a.model, out],
                               env=dict(os.environ, LSTMSIM=a.lstmsim), stdout=subprocess.DEVNULL)
            if r.returncode != 0:
                print(f"{name}: synthesis failed (see {out}/yosys.log)", file=sys.stderr)
                sys.exit(2)
        secs = time.time() - t0
        synth = yosys_stat.parse(open(stat).read())["total"]
        js = os.path.join(out, "size.json")
        r = subprocess.run([a.lstmsim, "size", "--arch", cfg, "--model", a.model, "--device", "xc7z045",
                            "--json", js], stdout=subprocess.DEVNULL)
        if r.returncode != 0:
            print(f"{name}: lstmsim size failed", file=sys.stderr)
            sys.exit(2)
        model = json.load(open(js))["total"]
        errs = {k: rel(model[k], synth[k]) for k in TOL}
        good = all(abs(errs[k]) <= TOL[k] + 1e-9 for k in TOL)
        ok &= good
        c = json.load(open(cfg))
        rows.append((name, c, model, synth, errs, good, secs))
        print(f"{name:14s} DSP {model['dsp']:4d}/{synth['dsp']:4d}  BRAM36 {model['bram36']:5.1f}/{synth['bram36']:5.1f} "
              f"({100*errs['bram36']:+.1f}%)  LUT {model['lut']:7.0f}/{synth['lut']:7d} ({100*errs['lut']:+.1f}%)  "
              f"FF {model['ff']:6.0f}/{synth['ff']:6d}  {'ok' if good else 'OUT OF TOLERANCE'}  synth {secs:.0f} s")
    if a.table:
        with open(a.table, "w") as f:
            f.write("| config | L | G | E | F | P | NB | DSP model / synth | BRAM36 model / synth | "
                    "LUT model / synth (error) | FF model / synth | meets targets |\n")
            f.write("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
            for name, c, m, s, e, g, _ in rows:
                # A stacked config: each field per layer, "64/64".
                ls = c.get("layers", [c])
                per = lambda k, d: "/".join(str(x.get(k, d)) for x in ls)  # noqa: E731
                f.write(f"| {name} | {per('mvm_lanes', 0)} | {per('mvm_groups', 1)} | {per('ewu_lanes', 0)} | {c['fc_lanes']} | "
                        f"{c['pixels_per_beat']} | {per('spx_buffers', 2)} | {m['dsp']} / {s['dsp']} | "
                        f"{m['bram36']:g} / {s['bram36']:g} | {m['lut']:.0f} / {s['lut']} ({100*e['lut']:+.1f}%) | "
                        f"{m['ff']:.0f} / {s['ff']} | {'yes' if g else 'NO'} |\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
