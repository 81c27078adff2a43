#!/usr/bin/env python3
"""Synthesis sweep: every config of a grid, over one or more model shapes,
through yosys `synth_xilinx -family xc7` (scripts/synth.sh), one CSV row per
config as it finishes (docs/sizing.md, "Synthesis dataset").

  synth_sweep.py run SPEC.json --out FILE.csv [--shard i/N] [--work DIR] [--lstmsim PATH]
                   [--redo KEY]... [--redo-stale]
  synth_sweep.py merge --out FILE.csv SHARD.csv...
  synth_sweep.py list SPEC.json [--shard i/N]
  synth_sweep.py rtl-hash [--commit REV]
  synth_sweep.py remeasure SPEC.json --out FILE.csv --blocks B,... [--work DIR] [--check]

SPEC.json:
  {"grid": {...a sweep grid (docs/sizing.md)...},  shared by every shape
   "per_shape": 15,        at most this many configs of each shape (a seeded
                           draw from the grid's valid ones; 0: all of them)
   "max": {"mvm_lanes": 256},  only configs at or under these field values
                           (synthesis time grows with the lanes; a cap on the
                           config, not on a model's estimate, so the task
                           list does not change when the resource model does)
   "seed": 1,
   "shapes": [{"name": "s01", "I": 16, "H": 16, "T": 8, "c": 4, "k": 2,
               "classes": 3, "seed": 1, ["kind": "cnn-lstm", "conv_out": 8],
               ["grid": {...}: this shape's own grid]}, ...]}

Each shape's model is `lstmsim gen-model` of that shape (random weights, the
seed given); its configs are what `lstmsim sweep --configs` writes for the
grid, so the config files come from the C++ rules. The task list (shape
order, then the drawn configs in key order) is the same on every machine;
--shard i/N takes task n when n mod N = i - 1.

Rows: key (shape/config key), the shape, the config's fields, the totals
(dsp, ramb18, ramb36, bram36, lut, ff), per block <block>_{dsp, ramb18,
ramb36, lut, ff} (the top's own glue is block `top`), rtl, synth_seconds.
`rtl` is the RTL the row was synthesized from: a hash of rtl/*.v, rtl/*.vh
and rtl/derived/*.vh (`rtl-hash`; `--commit REV` hashes a commit's). A run
synthesizes from a snapshot of rtl/ taken when it starts; resuming a file
with rows of other RTL says how many (`--redo-stale` synthesizes them
again, `--redo KEY` that row again and no other). Each
row is appended and flushed when its synthesis ends; rerunning the same
command resumes (complete rows are kept, a half-written last line is
dropped, a file of another spec or shard is refused). When every task is
done the file is rewritten in key order. `merge` joins shards: one header,
no partial line, rows that share a key must agree; output in key order.

`remeasure` brings rows of other RTL to rtl/ now by synthesizing the
blocks of --blocks with every other block a black box (docs/sizing.md,
"Re-measuring blocks"): yosys keeps the hierarchy, so a block's cells do not
depend on the others. It finds each row's RTL in the git history (the
commit whose rtl/ hashes to the row's `rtl`) and refuses when a file that
differs belongs to a block not in --blocks (`top`: the tops' own glue), or
when a block not in --blocks has other parameters under the two RTLs. A
block whose RTL differs gets its new figures; one whose RTL is the same
keeps the row's and the difference is printed (a check of the method).
Then the totals and `rtl` are set. Each block is synthesized once per shape
and parameter set (a cache under the work directory, so a killed run
resumes). --check re-measures the rows already of rtl/ now and prints how
far each block is from the full synthesis, writing nothing.
Exit status: 0, 1 for bad input or a failed synthesis (named), 2 internal.
"""
import argparse
import csv
import fnmatch
import glob
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yosys_stat  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHAPE_FIELDS = ["shape", "kind", "I", "H", "T", "c", "k", "classes", "conv_out"]
CONFIG_FIELDS = ["mvm_lanes", "mvm_groups", "ewu_lanes", "fc_lanes", "pixels_per_beat", "spx_buffers", "conv_lanes"]
TOTALS = ["dsp", "ramb18", "ramb36", "bram36", "lut", "ff"]
BLOCKS = ["spx", "conv1d", "relu", "maxpool", "controller", "wmem", "kmux", "mvm", "ewu", "fifo_c", "sph", "fc",
          "argmax", "top"]
PER_BLOCK = ["dsp", "ramb18", "ramb36", "lut", "ff"]
HEADER = (["key"] + SHAPE_FIELDS + CONFIG_FIELDS + TOTALS + [f"{b}_{x}" for b in BLOCKS for x in PER_BLOCK] +
          ["rtl", "synth_seconds"])
# Modules that are a top's wiring, not a block (their own cells are glue).
TOP_MODULES = {"lstm_accel", "cnn_lstm_accel", "lstm_stack", "lstm_layer"}


class UserError(Exception):
    pass


def parse_shard(text):
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise UserError(f"--shard {text}: expected i/N, e.g. 2/8")
    if not 1 <= i <= n:
        raise UserError(f"--shard {text}: need 1 <= i <= N")
    return i, n


def load_spec(path):
    try:
        spec = json.load(open(path))
    except OSError as e:
        raise UserError(f"{path}: cannot read: {e.strerror}")
    except json.JSONDecodeError as e:
        raise UserError(f"{path}: not JSON: {e}")
    if not isinstance(spec.get("shapes"), list) or not spec["shapes"]:
        raise UserError(f"{path}: \"shapes\" must be a non-empty list")
    names = set()
    for n, s in enumerate(spec["shapes"]):
        for f in ["name", "I", "H", "T", "c", "k", "classes"]:
            if f not in s:
                raise UserError(f"{path}: shapes[{n}] has no \"{f}\"")
        if not isinstance(s["H"], int):
            raise UserError(f"{path}: shapes[{n}].H: one layer per shape (an integer)")
        if s["name"] in names:
            raise UserError(f"{path}: shape name {s['name']} twice")
        names.add(s["name"])
        if "grid" not in s and "grid" not in spec:
            raise UserError(f"{path}: shapes[{n}] has no grid and the spec no shared \"grid\"")
    return spec


def run(cmd, what):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise UserError(f"{what} failed (exit {r.returncode}): {r.stderr.strip() or r.stdout.strip()}")
    return r.stdout


def prepare_shape(spec, shape, work, lstmsim):
    """The shape's model and the configs of its grid: [(config key, path, predicted LUT)]."""
    d = os.path.join(work, shape["name"])
    model, cfgs = os.path.join(d, "model"), os.path.join(d, "configs")
    os.makedirs(d, exist_ok=True)
    stamp = json.dumps({"shape": shape, "grid": shape.get("grid", spec.get("grid"))}, sort_keys=True)
    stamp_file = os.path.join(d, "prepared.json")
    sweep_csv = os.path.join(d, "sweep.csv")
    if not (os.path.exists(stamp_file) and open(stamp_file).read() == stamp):
        cmd = [lstmsim, "gen-model", "--I", str(shape["I"]), "--H", str(shape["H"]), "--T", str(shape["T"]),
               "--c", str(shape["c"]), "--k", str(shape["k"]), "--classes", str(shape["classes"]),
               "--seed", str(shape.get("seed", 1)), "--out", model]
        if shape.get("kind", "lstm") != "lstm":
            cmd += ["--kind", shape["kind"], "--conv-out", str(shape.get("conv_out", shape["I"]))]
        run(cmd, f"gen-model for shape {shape['name']}")
        grid = os.path.join(d, "grid.json")
        json.dump(shape.get("grid", spec.get("grid")), open(grid, "w"))
        for f in [sweep_csv]:
            if os.path.exists(f):
                os.remove(f)
        run([lstmsim, "sweep", "--model", model, "--device", "xc7z045", "--grid", grid, "--out", sweep_csv,
             "--configs", cfgs], f"sweep of shape {shape['name']}")
        open(stamp_file, "w").write(stamp)
    rows = list(csv.DictReader(open(sweep_csv)))
    caps = spec.get("max", {})
    for f in caps:
        if rows and f not in rows[0]:
            raise UserError(f"\"max\": {f} is not a config field of the sweep CSV")
    return model, [(r["key"], os.path.join(cfgs, r["key"] + ".json")) for r in rows
                   if all(float(r[f]) <= v for f, v in caps.items())]


def tasks(spec, work, lstmsim):
    """Every task of the spec: [(key, shape, model dir, config path)], in task order."""
    out = []
    for shape in spec["shapes"]:
        model, cfgs = prepare_shape(spec, shape, work, lstmsim)
        cfgs.sort()
        n = spec.get("per_shape", 0)
        if n and len(cfgs) > n:
            # A draw seeded by the spec's seed and the shape's name (stable across machines).
            h = int(hashlib.sha256(f"{spec.get('seed', 1)}/{shape['name']}".encode()).hexdigest()[:12], 16)
            cfgs = sorted(random.Random(h).sample(cfgs, n))
        out += [(f"{shape['name']}/{k}", shape, model, p) for k, p in cfgs]
    return out


def read_rows(path, header_ok=True):
    """(complete rows, had a partial last line). Refuses another header."""
    text = open(path, newline="").read()
    partial = bool(text) and not text.endswith("\n")
    if partial:
        text = text[:text.rfind("\n") + 1] if "\n" in text else ""
    if not text:
        return [], partial
    rd = csv.reader(io.StringIO(text))
    header = next(rd)
    if header != HEADER:
        raise UserError(f"{path}: not a synth_sweep CSV of this version (its header differs); use another --out")
    rows = []
    for n, r in enumerate(rd, start=2):
        if len(r) != len(HEADER):
            raise UserError(f"{path}:{n}: {len(r)} fields, expected {len(HEADER)}")
        rows.append(dict(zip(HEADER, r)))
    return rows, partial


def write_rows(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, HEADER, lineterminator="\n")
        w.writeheader()
        for r in sorted(rows, key=lambda r: r["key"]):
            w.writerow(r)
    os.replace(tmp, path)


RTL_GLOBS = ("rtl/*.v", "rtl/*.vh", "rtl/derived/*.vh")


def rtl_hash(files):
    """12 hex digits of SHA-256 over the RTL files ({relative path: bytes}), path by path."""
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(f"{path}\0{len(files[path])}\0".encode())
        h.update(files[path])
    return h.hexdigest()[:12]


def rtl_files(commit=None):
    """{path: bytes} of the RTL in the checkout, or in a commit of it."""
    if commit is None:
        return {os.path.relpath(p, ROOT): open(p, "rb").read()
                for g in RTL_GLOBS for p in glob.glob(os.path.join(ROOT, g))}
    git = ["git", "-C", ROOT]
    r = subprocess.run(git + ["ls-tree", "-r", "--name-only", commit, "rtl"], capture_output=True, text=True)
    if r.returncode != 0:
        raise UserError(f"--commit {commit}: {r.stderr.strip()}")
    paths = [p for p in r.stdout.split() if any(fnmatch.fnmatchcase(p, g) and p.count("/") == g.count("/")
                                                for g in RTL_GLOBS)]
    return {p: subprocess.run(git + ["show", f"{commit}:{p}"], capture_output=True, check=True).stdout
            for p in paths}


def rtl_snapshot(work, files=None):
    """(hash, directory): a copy of rtl/ as it is now (or of the files
    given), the RTL a run synthesizes."""
    files = rtl_files() if files is None else files
    h = rtl_hash(files)
    d = os.path.join(work, f"rtl-{h}")
    for path, data in files.items():
        p = os.path.join(d, os.path.relpath(path, "rtl"))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    return h, os.path.abspath(d)


class TaskLock:
    """One process per task directory: two runs sharing a --work (a shard
    started twice) would rewrite each other's ROM images while yosys reads
    them, and a ROM read half-written synthesizes to constants, silently. A
    lock left by a process that is gone is taken over."""

    def __init__(self, out, key):
        self.path, self.key = out + ".lock", key

    def __enter__(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
                return self
            except FileExistsError:
                try:
                    pid = int(open(self.path).read() or 0)
                    if pid <= 0:  # written by a run that died before writing its pid
                        raise ProcessLookupError
                    os.kill(pid, 0)
                except (ValueError, ProcessLookupError):
                    os.remove(self.path)  # stale: its process is gone
                    continue
                except PermissionError:
                    pass
                raise UserError(f"{self.key}: process {pid} is synthesizing it in the same directory "
                                f"({os.path.dirname(self.path)}); give each run its own --work")
        raise UserError(f"{self.key}: cannot take {self.path}")

    def __exit__(self, *exc):
        os.remove(self.path)


def synthesize(task, work, lstmsim, rtl):
    key, shape, model, cfg = task
    out = os.path.join(work, "synth", key.replace("/", "__"))
    with TaskLock(out, key):
        return synthesize_locked(task, out, lstmsim, rtl)


def synthesize_locked(task, out, lstmsim, rtl):
    key, shape, model, cfg = task
    t0 = time.time()
    r = subprocess.run(["bash", os.path.join(ROOT, "scripts/synth.sh"), cfg, model, out],
                       env=dict(os.environ, LSTMSIM=lstmsim, RTL_DIR=rtl[1]), stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    secs = time.time() - t0
    if r.returncode != 0:
        raise UserError(f"{key}: synthesis failed (exit {r.returncode}; see {out}/yosys.log): {r.stderr.strip()[-300:]}")
    text = open(os.path.join(out, "stat.txt")).read()
    total = yosys_stat.parse(text)["total"]
    blocks = yosys_stat.per_block(text)
    c = json.load(open(cfg))
    row = {"key": key, "shape": shape["name"], "kind": shape.get("kind", "lstm"), "I": shape["I"], "H": shape["H"],
           "T": shape["T"], "c": shape["c"], "k": shape["k"], "classes": shape["classes"],
           "conv_out": shape.get("conv_out", 0) if shape.get("kind", "lstm") != "lstm" else 0}
    for f in CONFIG_FIELDS:
        row[f] = c.get(f, 0)
    for f in TOTALS:
        row[f] = f"{total[f]:g}"
    top = {x: 0 for x in PER_BLOCK}
    for b, r in blocks.items():
        if b in TOP_MODULES:
            for x in PER_BLOCK:
                top[x] += r[x]
        elif b not in BLOCKS:
            raise UserError(f"{key}: module {b} in the netlist is not a known block (add it to BLOCKS)")
    for b in BLOCKS:
        r = top if b == "top" else blocks.get(b, {x: 0 for x in PER_BLOCK})
        for x in PER_BLOCK:
            row[f"{b}_{x}"] = r[x]
    # Every cell is in exactly one block: the blocks add up to the totals.
    for x in PER_BLOCK:
        if sum(int(row[f"{b}_{x}"]) for b in BLOCKS) != total[x]:
            raise UserError(f"{key}: the blocks' {x} do not add up to the design's {total[x]} ({out}/stat.txt)")
    row["rtl"] = rtl[0]
    row["synth_seconds"] = f"{secs:.1f}"
    return {k: str(v) for k, v in row.items()}


def cmd_run(a):
    spec = load_spec(a.spec)
    i, n = parse_shard(a.shard)
    work = a.work or os.path.splitext(a.out)[0] + ".work"
    all_tasks = tasks(spec, os.path.join(work, "shapes"), a.lstmsim)
    rtl = rtl_snapshot(work)
    mine = [t for m, t in enumerate(all_tasks) if m % n == i - 1]
    keys = {t[0] for t in mine}
    done = []
    if os.path.exists(a.out):
        done, partial = read_rows(a.out)
        foreign = [r["key"] for r in done if r["key"] not in keys]
        if foreign:
            raise UserError(f"{a.out}: row {foreign[0]} is not a task of {a.spec} shard {i}/{n}; use another --out")
        unknown = [k for k in a.redo if k not in keys]
        if unknown:
            raise UserError(f"--redo {unknown[0]}: not a task of {a.spec} shard {i}/{n}")
        stale = [r for r in done if r["rtl"] != rtl[0]]
        redo = set(a.redo) | ({r["key"] for r in stale} if a.redo_stale else set())
        done = [r for r in done if r["key"] not in redo]
        write_rows(a.out, done)  # drops a half-written line, restores the header
        print(f"resuming: {len(done)} rows already in {a.out}" + (" (dropped a half-written last line)" if partial else "")
              + (f"; {len(redo)} to synthesize again" if redo else ""))
        if stale and not a.redo_stale:
            by = {}
            for r in stale:
                by[r["rtl"]] = by.get(r["rtl"], 0) + 1
            print(f"note: {len(stale)} rows of {a.out} were synthesized from other RTL than rtl/ now ({rtl[0]}): "
                  + ", ".join(f"{c} of {h}" for h, c in sorted(by.items())) + "; --redo-stale synthesizes them again",
                  flush=True)
    else:
        if a.redo:
            raise UserError(f"--redo: {a.out} does not exist yet")
        write_rows(a.out, [])
    have = {r["key"] for r in done}
    # --redo: those rows and nothing else (a missing task stays for a plain resume).
    left = [t for t in mine if t[0] not in have and (not a.redo or t[0] in a.redo)]
    print(f"RTL {rtl[0]} (a snapshot in {rtl[1]})")
    print(f"{len(all_tasks)} tasks over {len(spec['shapes'])} shapes; shard {i}/{n}: {len(mine)}, {len(left)} to do "
          f"-> {a.out}", flush=True)
    t0 = time.time()
    with open(a.out, "a", newline="") as f:
        w = csv.DictWriter(f, HEADER, lineterminator="\n")
        for m, t in enumerate(left, start=1):
            row = synthesize(t, work, a.lstmsim, rtl)
            w.writerow(row)
            f.flush()
            done.append(row)
            el = time.time() - t0
            print(f"[{len(have) + m}/{len(mine)}] {t[0]}: DSP {row['dsp']} BRAM36 {row['bram36']} LUT {row['lut']} "
                  f"FF {row['ff']} in {row['synth_seconds']} s; {el / m * (len(left) - m):.0f} s left", flush=True)
    write_rows(a.out, done)
    print(f"wrote {a.out}: {len(done)} rows")
    return 0


def rtl_commit_of(h, _memo={}):
    """The newest commit whose rtl/ hashes to h (git log of rtl/)."""
    if h in _memo:
        return _memo[h]
    r = subprocess.run(["git", "-C", ROOT, "log", "--format=%h", "--", "rtl"], capture_output=True, text=True)
    for c in r.stdout.split():
        files = rtl_files(c)
        _memo[rtl_hash(files)] = (c, files)
        if rtl_hash(files) == h:
            return _memo[h]
    raise UserError(f"no commit of this repository has RTL {h} (rows of it cannot be re-measured)")


def blocks_touched(old, new):
    """{block or 'top': [files]}: what the differences between two RTL file
    sets ({path: bytes}) change. A header changes what includes it."""
    changed = sorted(p for p in set(old) | set(new) if old.get(p) != new.get(p))
    src = {**old, **new}
    out = {}

    def mark(path, why, seen=()):
        name = os.path.splitext(os.path.basename(path))[0]
        if path.endswith(".v"):
            b = "top" if name in TOP_MODULES else name if name in BLOCKS else None
            if b is None:
                raise UserError(f"{why} differs, and {path} is not a block or a top")
            out.setdefault(b, []).append(why)
            return
        inc = f'`include "{os.path.relpath(path, "rtl")}"'.encode()
        for q, data in src.items():
            if inc in data and q not in seen:
                mark(q, why, seen + (q,))

    for p in changed:
        mark(p, p)
    return out


def elaborate(key, sh, env, out):
    """yosys' module names of the elaborated design (one per block and parameter set)."""
    r = subprocess.run(sh, env=dict(env, SYNTH_ELABORATE="1"), capture_output=True, text=True)
    if r.returncode != 0:
        raise UserError(f"{key}: elaboration failed (see {out}/yosys.log): {r.stderr.strip()[-300:]}")
    return [m.strip() for m in open(os.path.join(out, "modules.txt")).read().splitlines()[2:] if m.strip()]


def remeasure_row(t, row, blocks, work, lstmsim, rtl, old_rtl, cache):
    """The row with `blocks` synthesized from `rtl` (the others black boxes).
    The other blocks must be the same modules with the same parameters under
    the row's RTL (`old_rtl`) as under `rtl`: a top that passed them other
    values would change them without a change of their files."""
    key, shape, model, cfg = t
    out = os.path.join(work, "remeasure", key.replace("/", "__"))
    with TaskLock(out, key):
        sh = ["bash", os.path.join(ROOT, "scripts/synth.sh"), cfg, model, out]
        env = dict(os.environ, LSTMSIM=lstmsim, RTL_DIR=rtl[1])
        mods = elaborate(key, sh, env, out)
        if old_rtl[0] != rtl[0]:
            was = elaborate(key, sh, dict(env, RTL_DIR=old_rtl[1]), out)
            kept = lambda ms: sorted(m for m in ms if yosys_stat.short_name(m) in BLOCKS  # noqa: E731
                                     and yosys_stat.short_name(m) not in blocks)
            if kept(mods) != kept(was):
                diff = sorted(set(kept(mods)) ^ set(kept(was)))
                raise UserError(f"{key}: block {yosys_stat.short_name(diff[0])} has other parameters under RTL "
                                f"{rtl[0]} than under the row's {old_rtl[0]}; add it to --blocks")
        # A block's cache key: the shape (its ROMs) and yosys' name for the parameter set.
        ck = {m: os.path.join(cache, shape["name"], hashlib.sha256(m.encode()).hexdigest()[:16] + ".json")
              for m in mods}
        todo = [m for m in mods if yosys_stat.short_name(m) in blocks and not os.path.exists(ck[m])]
        # Every named block is synthesized while one is: a black box beside a
        # block can change it (yosys 0.23 reduced Conv1d to 79 LUTs and no
        # DSP48 with MaxPool a black box; docs/sizing.md).
        keep = {m for m in mods if yosys_stat.short_name(m) in TOP_MODULES or
                (todo and yosys_stat.short_name(m) in blocks)}
        extra = os.path.join(out, "blackbox.ys")
        with open(extra, "w") as f:
            f.writelines(f"blackbox {m}\n" for m in mods if m not in keep)
        t0 = time.time()
        r = subprocess.run(sh, env=dict(env, SYNTH_EXTRA=extra), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise UserError(f"{key}: synthesis failed (see {out}/yosys.log): {r.stderr.strip()[-300:]}")
        secs = time.time() - t0
        text = open(os.path.join(out, "stat.txt")).read()
        # Per module (not per block name): every instance of that parameter set.
        modules, hier = yosys_stat.per_module(text)
        for m in todo:
            os.makedirs(os.path.dirname(ck[m]), exist_ok=True)
            json.dump({"module": m, "cells": yosys_stat.summarize(modules[m])},
                      open(ck[m] + ".tmp", "w"))
            os.replace(ck[m] + ".tmp", ck[m])
    new = dict(row)
    measured = {b: {x: 0 for x in PER_BLOCK} for b in blocks}
    for m in mods:
        b = yosys_stat.short_name(m)
        if b in TOP_MODULES and "top" in blocks:
            c, b = yosys_stat.summarize(modules[m]), "top"
        elif b in blocks:
            c = json.load(open(ck[m]))["cells"]
        else:
            continue
        for x in PER_BLOCK:
            measured[b][x] += yosys_stat.instances(modules, hier, m) * c[x]
    for b in blocks:
        for x in PER_BLOCK:
            new[f"{b}_{x}"] = str(measured[b][x])
    new["rtl"] = rtl[0]
    return new, secs, len(todo)


def cmd_remeasure(a):
    spec = load_spec(a.spec)
    blocks = [b for b in a.blocks.split(",") if b]
    bad = [b for b in blocks if b not in BLOCKS]
    if bad:
        raise UserError(f"--blocks {bad[0]}: not a block ({', '.join(BLOCKS)})")
    if not os.path.exists(a.out):
        raise UserError(f"{a.out}: no such file")
    work = a.work or os.path.splitext(a.out)[0] + ".work"
    rows, partial = read_rows(a.out)
    if partial:
        raise UserError(f"{a.out}: ends in a half-written line; resume its run first")
    by_key = {t[0]: t for t in tasks(spec, os.path.join(work, "shapes"), a.lstmsim)}
    rtl = rtl_snapshot(work)
    now = rtl_files()
    todo = [r for r in rows if (r["rtl"] == rtl[0]) == a.check]
    touched = {rtl[0]: []}  # --check: no block changed, every one compared
    snapshots = {rtl[0]: rtl}
    for h in sorted({r["rtl"] for r in todo} - {rtl[0]}):
        c, files = rtl_commit_of(h)
        snapshots[h] = rtl_snapshot(work, files)
        differ = blocks_touched(files, now)
        touched[h] = [b for b in blocks if b in differ]
        other = {b: w for b, w in differ.items() if b not in blocks}
        if other:
            b, why = next(iter(other.items()))
            raise UserError(f"rows of RTL {h} (commit {c}): {why[0]} differs from rtl/ now and changes {b}, "
                            f"which --blocks does not re-measure (add it, or synthesize the rows again: "
                            f"run --redo-stale)")
        print(f"RTL {h} is commit {c}; it differs from rtl/ now ({rtl[0]}) in "
              + (", ".join(sorted(differ)) or "nothing"), flush=True)
    missing = [r["key"] for r in todo if r["key"] not in by_key]
    if missing:
        raise UserError(f"{a.out}: row {missing[0]} is not a task of {a.spec}")
    cache = os.path.join(work, "remeasure", f"cache-{rtl[0]}")
    print(f"{len(todo)} rows of {a.out} to {'check' if a.check else 're-measure'}: blocks {','.join(blocks)} "
          f"from RTL {rtl[0]}", flush=True)
    done, worst, held, t0 = {r["key"]: r for r in rows}, {}, [], time.time()
    for m, r in enumerate(todo, start=1):
        new, secs, syn = remeasure_row(by_key[r["key"]], r, blocks, work, a.lstmsim, rtl, snapshots[r["rtl"]], cache)
        diffs, dsp_moved = [], []
        for b in blocks:
            x0, x1 = int(r[f"{b}_lut"]), int(new[f"{b}_lut"])
            if b not in touched[r["rtl"]]:  # its RTL is the same: the row's figure stays, the difference is a check
                worst[b] = max(worst.get(b, (0, 0)), (abs(x1 - x0), x0), key=lambda v: v[0] / max(v[1], 1))
                for x in PER_BLOCK:
                    new[f"{b}_{x}"] = r[f"{b}_{x}"]
            if x0 != x1:
                diffs.append(f"{b} {x0}->{x1}")
            if r[f"{b}_dsp"] != new[f"{b}_dsp"]:  # only a re-measured block's (the others keep the row's)
                diffs.append(f"{b} DSP48 {r[f'{b}_dsp']}->{new[f'{b}_dsp']}")
                dsp_moved.append(b)
        for x in PER_BLOCK:
            new[x] = str(sum(int(new[f"{b}_{x}"]) for b in BLOCKS))
        new["bram36"] = f"{int(new['ramb36']) + 0.5 * int(new['ramb18']):g}"
        # DSP48s are the arithmetic lanes', structural: a re-measured count
        # that differs is yosys mapping the block differently (it reduced
        # Conv1d's products to constants where it mapped the weight ROM to
        # block RAM, docs/sizing.md), not a figure to write.
        if dsp_moved:
            held.append(f"{r['key']} ({', '.join(dsp_moved)})")
        elif not a.check:
            done[r["key"]] = new
            write_rows(a.out, list(done.values()))
        print(f"[{m}/{len(todo)}] {r['key']}: {syn} modules synthesized in {secs:.0f} s; LUT "
              + (", ".join(diffs) or "unchanged") + f"; {(time.time() - t0) / m * (len(todo) - m):.0f} s left",
              flush=True)
    if worst:
        print("blocks of unchanged RTL, largest LUT difference from the full synthesis: "
              + ", ".join(f"{b} {d} of {x}" for b, (d, x) in worst.items()))
    if held:
        print(f"synth_sweep: {len(held)} rows kept as they were, a re-measured block's DSP48 count changed "
              f"(synthesize them whole: run --redo KEY): " + "; ".join(held), file=sys.stderr)
        return 1
    return 0


def cmd_merge(a):
    merged = {}
    for p in a.shards:
        if not os.path.exists(p):
            raise UserError(f"{p}: no such file")
        rows, partial = read_rows(p)
        if partial:
            raise UserError(f"{p}: ends in a half-written line (its run did not finish); rerun that shard")
        for r in rows:
            old = merged.get(r["key"])
            same = lambda x, y: {k: v for k, v in x.items() if k != "synth_seconds"} == \
                {k: v for k, v in y.items() if k != "synth_seconds"}  # noqa: E731
            if old is not None and not same(old, r):
                raise UserError(f"{p}: row {r['key']} differs from the same row in another shard")
            merged[r["key"]] = r
    write_rows(a.out, list(merged.values()))
    print(f"merged {len(a.shards)} files into {a.out}: {len(merged)} rows")
    return 0


def cmd_list(a):
    spec = load_spec(a.spec)
    i, n = parse_shard(a.shard)
    work = a.work or "synth_sweep.work"
    for m, t in enumerate(tasks(spec, os.path.join(work, "shapes"), a.lstmsim)):
        if m % n == i - 1:
            print(t[0])
    return 0


def cmd_rtl_hash(a):
    print(rtl_hash(rtl_files(a.commit)))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    lstmsim = os.environ.get("LSTMSIM", os.path.join(ROOT, "build/sc_model/lstmsim"))
    r = sub.add_parser("run", help="synthesize the spec's configs (this shard's)")
    r.add_argument("spec")
    r.add_argument("--out", required=True)
    r.add_argument("--shard", default="1/1")
    r.add_argument("--work", help="models, configs and synthesis output (default OUT without .csv + .work)")
    r.add_argument("--lstmsim", default=lstmsim)
    r.add_argument("--redo", action="append", default=[], metavar="KEY", help="synthesize this row again (only the rows named)")
    r.add_argument("--redo-stale", action="store_true", help="synthesize the rows of other RTL again")
    m = sub.add_parser("merge", help="join shard CSVs")
    m.add_argument("shards", nargs="+")
    m.add_argument("--out", required=True)
    li = sub.add_parser("list", help="print the task keys (this shard's)")
    li.add_argument("spec")
    li.add_argument("--shard", default="1/1")
    li.add_argument("--work")
    li.add_argument("--lstmsim", default=lstmsim)
    rm = sub.add_parser("remeasure", help="bring rows of other RTL to rtl/ now, synthesizing only --blocks")
    rm.add_argument("spec")
    rm.add_argument("--out", required=True)
    rm.add_argument("--blocks", required=True, help="comma-separated blocks (top: the tops' glue)")
    rm.add_argument("--work")
    rm.add_argument("--lstmsim", default=lstmsim)
    rm.add_argument("--check", action="store_true", help="re-measure the rows of rtl/ now; print, write nothing")
    h = sub.add_parser("rtl-hash", help="the hash a row's rtl column holds, of rtl/ or of a commit")
    h.add_argument("--commit")
    a = ap.parse_args()
    try:
        return {"run": cmd_run, "merge": cmd_merge, "list": cmd_list, "rtl-hash": cmd_rtl_hash,
                "remeasure": cmd_remeasure}[a.cmd](a)
    except UserError as e:
        print(f"synth_sweep: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
