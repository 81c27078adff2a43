#!/usr/bin/python3
"""Checks that the RTL's derived parameters equal the C++ ones.

  scripts/check_rtl_derived.py --lstmsim LSTMSIM CONFIG.json...

For each config: Verilator elaborates the top with the config's -G
parameters (--xml-only), and every derived name (lstmsim arch --json,
"derived") found in any module instance must have the C++ value. Fails if a
value differs, or if a module that includes a generated header shows none of
its derived names (so the check cannot pass vacuously). docs/rtl.md,
"Derived parameters".
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def const_value(text):
    # Verilator constants: 32'sh1c, 32'h7, ...
    base = text.split("'")[1].lstrip("s")
    return int(base[1:], {"h": 16, "d": 10, "b": 2, "o": 8}[base[0]])


def check(lstmsim, cfg, verilator):
    arch = json.loads(subprocess.run([lstmsim, "arch", "--json", cfg], check=True, capture_output=True,
                                     text=True).stdout)
    want = arch["derived"]
    rtl = os.path.join(ROOT, "rtl")
    sources = sorted(os.path.join(rtl, f) for f in os.listdir(rtl) if f.endswith(".v"))
    with tempfile.TemporaryDirectory() as tmp:
        xml = os.path.join(tmp, "top.xml")
        subprocess.run([verilator, "--xml-only", "-Wno-fatal", "-I" + rtl, "--top-module", arch["top"],
                        "--xml-output", xml, "--Mdir", tmp] + arch["verilator_params"].split() + sources,
                       check=True, capture_output=True, text=True)
        tree = ET.parse(xml)
    errors, compared = [], 0
    headers = {f[:-3] for f in os.listdir(os.path.join(rtl, "derived"))}
    for mod in tree.iter("module"):
        orig = mod.get("origName")
        seen = 0
        for var in mod.iter("var"):
            name = var.get("name")
            if name not in want or not (var.get("localparam") or var.get("param")):
                continue
            c = var.find("const")
            if c is None:
                continue
            got = const_value(c.get("name"))
            seen += 1
            compared += 1
            if got != want[name]:
                errors.append(f"{os.path.basename(cfg)}: {orig}.{name} = {got} in the RTL, {want[name]} in C++")
        if orig in headers and seen == 0:
            errors.append(f"{os.path.basename(cfg)}: module {orig} shows none of its derived parameters")
    return errors, compared


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lstmsim", required=True)
    ap.add_argument("--verilator", default="verilator")
    ap.add_argument("configs", nargs="+")
    args = ap.parse_args()
    bad = []
    for cfg in args.configs:
        errors, n = check(args.lstmsim, cfg, args.verilator)
        print(f"{os.path.basename(cfg)}: {n} derived values compared, {len(errors)} differ")
        bad += errors
    for e in bad:
        print("MISMATCH", e)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
