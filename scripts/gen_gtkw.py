#!/usr/bin/env python3
"""Writes a GTKWave save file for a VCD from `lstmsim run --vcd`: one group
per block (the VCD scopes), its ports in declaration order, vectors shown
as signed decimal (the first 8 elements of each word vector).

    scripts/gen_gtkw.py trace.vcd > docs/lstm_accel.gtkw
"""
import re
import sys

ORDER = ["top", "spx", "controller", "wmem", "kmux", "mvm", "ewu", "fifo_c", "sph", "fc", "argmax"]
MAX_ELEMS = 8


def main(vcd_path):
    scopes = {}
    stack = []
    with open(vcd_path) as f:
        for line in f:
            tok = line.split()
            if not tok:
                continue
            if tok[0] == "$scope":
                stack.append(tok[2])
                scopes.setdefault(tok[2], [])
            elif tok[0] == "$upscope":
                stack.pop()
            elif tok[0] == "$var":
                width, name = int(tok[2]), tok[4]
                rng = tok[5] if tok[5] != "$end" else ""
                m = re.match(r"(.*)_(\d+)$", name)
                if m and width > 1 and int(m.group(2)) >= MAX_ELEMS:
                    continue
                scopes[stack[-1]].append((name, width, rng))
            elif tok[0] == "$enddefinitions":
                break
    out = ["[*] GTKWave save file for lstmsim run --vcd (scripts/gen_gtkw.py)",
           '[dumpfile] "lstm_accel.vcd"', "[timestart] 0", "[size] 1600 1000",
           "[treeopen] SystemC."]
    for blk in ORDER:
        if blk not in scopes:
            continue
        out += ["@800200", "-" + blk]
        for name, width, rng in scopes[blk]:
            full = "SystemC.%s.%s%s" % (blk, name, rng)
            out += ["@28" if width == 1 else "@424", full]
        out += ["@1000200", "-" + blk]
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
