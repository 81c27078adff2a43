#!/usr/bin/python3
"""Plots a sweep CSV (lstmsim sweep / sweep-merge): inferences per second
against DSP slices, against block RAM (RAMB36 tiles) and against LUTs (the
resource that binds first in most designs here), the Pareto front
highlighted, each device budget drawn. Writes PREFIX.png and PREFIX.svg.

  /usr/bin/python3 scripts/plot_sweep.py SWEEP.csv PREFIX --device xc7z020 \
      --dsp 220 --bram 140 [--lut 53200]

lstmsim sweep --plot PREFIX runs it with the device's budgets.
"""
import argparse
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def front_2d(points):
    """Upper-left staircase: configs no other config beats with fewer or
    equal resources and more or equal throughput (this plot's two axes)."""
    best = []
    for x, y in sorted(points, key=lambda p: (p[0], -p[1])):
        if not best or y > best[-1][1]:
            best.append((x, y))
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("prefix")
    ap.add_argument("--device", default="")
    ap.add_argument("--dsp", type=float, help="device DSP slices")
    ap.add_argument("--bram", type=float, help="device RAMB36 tiles")
    ap.add_argument("--lut", type=float, help="device LUTs")
    a = ap.parse_args()
    try:
        rows = list(csv.DictReader(open(a.csv)))
    except OSError as e:
        sys.exit(f"plot_sweep.py: {a.csv}: {e.strerror}")
    if not rows:
        sys.exit(f"plot_sweep.py: {a.csv}: no rows")
    for key in ("dsp", "bram36", "lut", "inferences_per_s", "fits", "pareto"):
        if key not in rows[0]:
            sys.exit(f"plot_sweep.py: {a.csv}: column '{key}' missing (not a sweep CSV)")

    fig, axes = plt.subplots(1, 3, figsize=(19, 5.2))
    for ax, col, budget, label in ((axes[0], "dsp", a.dsp, "DSP48 slices"),
                                   (axes[1], "bram36", a.bram, "block RAM (RAMB36 tiles)"),
                                   (axes[2], "lut", a.lut, "LUTs")):
        groups = {
            "does not fit": [r for r in rows if r["fits"] != "1"],
            "fits": [r for r in rows if r["fits"] == "1" and r["pareto"] != "1"],
            "Pareto front (DSP, BRAM, LUT, inf/s)": [r for r in rows if r["pareto"] == "1"],
        }
        style = {"does not fit": dict(marker="x", color="0.65", s=18),
                 "fits": dict(marker="o", color="tab:blue", s=14, alpha=0.6),
                 "Pareto front (DSP, BRAM, LUT, inf/s)": dict(marker="o", color="tab:red", s=34,
                                                                edgecolors="k", linewidths=0.5)}
        for name, rs in groups.items():
            if rs:
                ax.scatter([float(r[col]) for r in rs], [float(r["inferences_per_s"]) for r in rs],
                           label=f"{name} ({len(rs)})", **style[name])
        fitting = [(float(r[col]), float(r["inferences_per_s"])) for r in rows if r["fits"] == "1"]
        if fitting:
            st = front_2d(fitting)
            xs, ys = [], []
            for i, (x, y) in enumerate(st):
                if i:
                    xs.append(x)
                    ys.append(st[i - 1][1])
                xs.append(x)
                ys.append(y)
            ax.plot(xs, ys, color="tab:red", lw=1, alpha=0.7, label="best throughput for the " + col.upper())
        if budget:
            ax.axvline(budget, color="k", ls="--", lw=1)
            ax.text(budget, ax.get_ylim()[1], f" {a.device} budget {budget:g}", va="top", ha="left", fontsize=8)
        ax.set_xlabel(label)
        ax.set_ylabel("inferences per second")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    fig.suptitle(f"{a.csv}: {len(rows)} configs on {a.device}")
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(f"{a.prefix}.{ext}", dpi=110)
    print(f"wrote {a.prefix}.png and {a.prefix}.svg")


if __name__ == "__main__":
    main()
