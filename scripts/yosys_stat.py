#!/usr/bin/env python3
"""Reads the `stat` output of yosys synth_xilinx (scripts/synth.sh writes it to
OUT/stat.txt) and returns DSP48E1, RAMB18E1, RAMB36E1, LUT and FF counts per
module and for the whole design, counted the way docs/sizing.md defines them:

  LUT = LUT1..LUT6 + LUTs used as distributed RAM (RAM32M/RAM64M: 4,
        RAM32X1D/RAM64X1D: 2, RAM32X1S/RAM64X1S: 1, RAM128X1D: 4) + SRLs
  FF  = FDRE + FDSE + FDCE + FDPE

Usage: yosys_stat.py STAT.txt  (prints one line per module and the total)

synth_module() synthesizes one module alone (the characterization scripts).
"""
import re
import subprocess
import sys

LUTRAM = {"RAM32M": 4, "RAM64M": 4, "RAM32X1D": 2, "RAM64X1D": 2, "RAM32X1S": 1,
          "RAM64X1S": 1, "RAM128X1D": 4, "RAM128X1S": 2, "RAM256X1S": 4,
          "SRL16E": 1, "SRLC32E": 1}


def summarize(cells):
    r = {"dsp": 0, "ramb18": 0, "ramb36": 0, "lut": 0, "ff": 0, "lutram": 0}
    for name, n in cells.items():
        if name == "DSP48E1":
            r["dsp"] += n
        elif name == "RAMB18E1":
            r["ramb18"] += n
        elif name == "RAMB36E1":
            r["ramb36"] += n
        elif re.fullmatch(r"LUT[1-6]", name):
            r["lut"] += n
        elif name in LUTRAM:
            r["lut"] += LUTRAM[name] * n
            r["lutram"] += LUTRAM[name] * n
        elif re.fullmatch(r"FD[RSCP]E", name):
            r["ff"] += n
    r["bram36"] = r["ramb36"] + 0.5 * r["ramb18"]
    return r


def parse(text):
    """{module: summary}; the whole design is under 'total'."""
    modules = {}
    cur = None
    for line in text.splitlines():
        m = re.match(r"^=== (.*) ===$", line.strip())
        if m:
            cur = m.group(1)
            modules[cur] = {}
            continue
        m = re.match(r"^\s+([A-Za-z0-9_$]+)\s+(\d+)$", line)
        if m and cur is not None:
            modules[cur][m.group(1)] = int(m.group(2))
    out = {}
    for name, cells in modules.items():
        if name == "design hierarchy":
            out["total"] = summarize(cells)
        else:
            # $paramod$<hash>\mvm or $paramod\argmax\CLASSES=... -> mvm / argmax
            short = name.split("\\")[1] if "\\" in name else name
            out[short] = summarize(cells)
    if "total" not in out:  # a flat design has no hierarchy section
        if len(modules) != 1:
            raise ValueError("no 'design hierarchy' section and not exactly one module")
        out["total"] = summarize(next(iter(modules.values())))
    return out


def short_name(module):
    """$paramod$<hash>\\mvm or $paramod\\argmax\\CLASSES=... -> mvm / argmax."""
    return module.split("\\")[1] if "\\" in module else module


def per_module(text):
    """({module: {cell: count}}, {module: instances}) from the 'design
    hierarchy' section (a flat design: its one module, once)."""
    modules, hier, cur, in_hier = {}, {}, None, False
    for line in text.splitlines():
        m = re.match(r"^=== (.*) ===$", line.strip())
        if m:
            cur = m.group(1)
            in_hier = cur == "design hierarchy"
            if not in_hier:
                modules[cur] = {}
            continue
        if in_hier:
            m = re.match(r"^\s+(\S+)\s+(\d+)$", line)
            if m and m.group(1) in modules:
                hier[m.group(1)] = int(m.group(2))
            continue
        m = re.match(r"^\s+(\S+)\s+(\d+)$", line)  # a cell type, or a submodule's name
        if m and cur is not None:
            modules[cur][m.group(1)] = int(m.group(2))
    if not hier and len(modules) == 1:
        hier = {next(iter(modules)): 1}
    return modules, hier


def instances(modules, hier, module):
    """How many instances of `module` the design has, a black box too (it is
    not in the hierarchy section, only a cell of the modules around it)."""
    if module in hier:
        return hier[module]
    return sum(cells.get(module, 0) * hier.get(p, 0) for p, cells in modules.items())


def per_block(text):
    """{block: summary} with every instance counted: the cells of each module
    times its instances in the 'design hierarchy' section, summed over the
    modules of one name (a stack's layers are one module per parameter set).
    A block's count holds only its own cells, not its submodules'."""
    modules, hier = per_module(text)
    out = {}
    for mod, n in hier.items():
        r = summarize(modules[mod])
        acc = out.setdefault(short_name(mod), {k: 0 for k in r})
        for k, v in r.items():
            acc[k] += n * v
    return out


def synth_module(verilog, top, params, stat, cwd=None, include=None):
    """yosys synth_xilinx -family xc7 of module `top` of the file `verilog`
    with the parameters {name: value}; its stat goes to the file `stat`
    (readmemh paths resolve from `cwd`). Raises RuntimeError naming the
    module when yosys fails."""
    inc = f"-I{include} " if include else ""
    chparam = " ".join(f"-set {k} {v}" for k, v in params.items())
    script = (f"read_verilog {inc}{verilog}; chparam {chparam} {top}; "
              f"synth_xilinx -family xc7 -top {top}; tee -q -o {stat} stat")
    r = subprocess.run(["yosys", "-q", "-p", script], cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"yosys failed on {top} {params}: {r.stderr.strip()[-500:]}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for mod, r in parse(open(sys.argv[1]).read()).items():
        print(f"{mod:12s} dsp {r['dsp']:4d} ramb18 {r['ramb18']:3d} ramb36 {r['ramb36']:3d} "
              f"lut {r['lut']:7d} ff {r['ff']:7d}")
