#!/usr/bin/python3
"""Calibration of the LUT coefficients of the resource model
(sc_model/numerics/src/resources.cpp) from per-module yosys results.

  scripts/fit_resources.py CONFIG_DIR SYNTH_DIR

For every CONFIG_DIR/NAME.json with a SYNTH_DIR/NAME/stat.txt (scripts/synth.sh
output), computes each block's features (the same formulas as resources.cpp)
and fits the LUT coefficients per block by least squares; prints them and the
per-block relative error. The coefficients are copied by hand into
resources.cpp (docs/sizing.md, "Calibration"). Needs numpy.
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import yosys_stat  # noqa: E402


def clog2(n):
    return max(1, math.ceil(math.log2(n))) if n > 1 else 1


def mux_luts(n):
    # 7-series: a LUT6 is a 4:1 mux; MUXF7/MUXF8 join up to 16 inputs for free.
    if n <= 1:
        return 0
    return math.ceil(n / 4) + (math.ceil(n / 16) if n > 16 else 0)


def features(a):
    I, H, C, K, cl = a["I"], a["H"], a["c"], a["k"], a["classes"]
    L, G, E, F, P, NB = (a["mvm_lanes"], a["mvm_groups"], a["ewu_lanes"], a["fc_lanes"],
                         a["pixels_per_beat"], a["spx_buffers"])
    R = L // (4 * K * G)
    B = H // R
    Wc, Uc = I // (C * G), H // (C * G)
    S = R // E
    X = I // P
    Gf = F // K
    Fb = H // (C * Gf)
    acc = 18 + clog2((I // C + H // C) * K)
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
        a = json.load(open(os.path.join(cfg_dir, f)))
        rows[name] = (features(a), yosys_stat.parse(open(stat).read()))
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
