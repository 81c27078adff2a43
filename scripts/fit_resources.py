#!/usr/bin/python3
"""Calibration of the LUT coefficients of the resource model
(sc_model/sizing/resources.cpp) from per-module yosys results.

  scripts/fit_resources.py CONFIG_DIR SYNTH_DIR

The derived dimensions (R, B, WC, ...) come from `lstmsim arch --json`
($LSTMSIM, default build/sc_model/lstmsim), never re-derived here.

For every CONFIG_DIR/NAME.json with a SYNTH_DIR/NAME/stat.txt (scripts/synth.sh
output), computes each block's features (the same formulas as resources.cpp)
and fits the LUT coefficients per block by least squares; prints them and the
per-block relative error. The coefficients are copied by hand into
resources.cpp (docs/sizing.md, "Calibration"). Needs numpy.
"""
import json
import math
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import yosys_stat  # noqa: E402


LSTMSIM = os.environ.get("LSTMSIM", os.path.join(os.path.dirname(__file__), "..", "build", "sc_model", "lstmsim"))


def derived(config_path):
    """Every derived value of a config, from the C++ rules (lstmsim arch --json)."""
    out = subprocess.run([LSTMSIM, "arch", "--json", config_path], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["derived"]


def mux_luts(n):
    # 7-series: a LUT6 is a 4:1 mux; MUXF7/MUXF8 join up to 16 inputs for free.
    if n <= 1:
        return 0
    return math.ceil(n / 4) + (math.ceil(n / 16) if n > 16 else 0)


def features(a, d):
    I, H, C, cl = a["I"], a["H"], a["c"], a["classes"]
    L, G, E, NB = a["mvm_lanes"], a["mvm_groups"], a["ewu_lanes"], a["spx_buffers"]
    R, Wc, Uc, S, X, Fb, acc = d["R"], d["WC"], d["UC"], d["S"], d["SPX_X"], d["FC_FB"], d["ACC_W"]
    clog2 = lambda n: max(1, math.ceil(math.log2(n))) if n > 1 else 1  # noqa: E731
    return {
        "spx": [8 * I * (1 if NB <= 2 else NB), NB * X],
        "kmux": [L, G * C * 16 * mux_luts(Wc + Uc)],
        "mvm": [L, 4 * R * acc],
        "ewu": [E, 4 * E * acc * mux_luts(S)],
        "fifo_c": [16 * E, 1],
        "sph": [16 * H, H // E],
        "fc": [16 * H * clog2(Fb * C), 32 * cl],
    }


def lutram_luts(cells):
    return sum(yosys_stat.LUTRAM.get(k, 0) * v for k, v in cells.items())


def main():
    cfg_dir, syn_dir = sys.argv[1], sys.argv[2]
    rows = {}
    for f in sorted(os.listdir(cfg_dir)):
        name = f[:-5]
        stat = os.path.join(syn_dir, name, "stat.txt")
        if not f.endswith(".json") or not os.path.exists(stat):
            continue
        path = os.path.join(cfg_dir, f)
        rows[name] = (features(json.load(open(path)), derived(path)), yosys_stat.parse(open(stat).read()))
    print(f"{len(rows)} configs: {' '.join(rows)}")
    for block in ["spx", "kmux", "mvm", "ewu", "fifo_c", "sph", "fc"]:
        X = np.array([rows[n][0][block] for n in rows], dtype=float)
        # Distributed RAM is modelled structurally (lutram_luts), not fitted.
        y = np.array([rows[n][1][block]["lut"] - rows[n][1][block]["lutram"] for n in rows], dtype=float)
        coef, *_ = np.linalg.lstsq(X, y, rcond=None)
        pred = X @ coef
        err = np.max(np.abs(pred - y) / y)
        print(f"{block:8s} coef {' '.join(f'{c:.4g}' for c in coef)}  max rel err {err:.3f}")
        for n, yy, pp in zip(rows, y, pred):
            print(f"    {n:14s} synth {yy:7.0f} fit {pp:7.0f}")


if __name__ == "__main__":
    main()
