#!/usr/bin/env python3
"""Bit-exact numpy evaluation of an exported model directory (SPEC Part A).

Reads the model back from its files (manifest.json, the .mem files, checks the
.coe files and the checksums), never from training tensors, and computes the
integer logits of SPEC Part A with int64 numpy arithmetic (numpy's >> on a
signed integer is arithmetic, i.e. floor, as SPEC requires).

    /usr/bin/python3 weights/intsim.py weights/fmnist-lstm            # accuracy + check test_logits.csv
    /usr/bin/python3 weights/intsim.py weights/fmnist-lstm --write    # (re)write test_logits.csv
    /usr/bin/python3 weights/intsim.py --selftest                     # hand-checked SPEC cases
Only numpy is needed (no torch).
"""
import argparse
import hashlib
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist_data  # noqa: E402

GATES = "ifgo"
I64 = np.int64


# ----------------------------------------------------------------------------
# SPEC Part A primitives (scalar or array, int64)

def sat16(v):
    return np.clip(v, -32768, 32767)


def mul_log(v, neg_code, n):
    """s * (|v| >> n), s = -1 iff sign(v) xor sign(code): sign-magnitude, truncates toward zero."""
    v = np.asarray(v, dtype=I64)
    mag = np.abs(v) >> n
    neg = (v < 0) ^ np.asarray(neg_code, dtype=bool)
    return np.where(neg, -mag, mag)


def hsig(a):
    return np.clip((a >> 2) + 4096, 0, 8192)


def ptanh(a):
    a = np.asarray(a, dtype=I64)
    q = a >> 2
    return np.where(a < -20480, -8192,
           np.where(a < -4096, q - 3072,
           np.where(a < 4096, a,
           np.where(a < 20480, q + 3072, 8192)))).astype(I64)


# ----------------------------------------------------------------------------
# loading

class ModelError(Exception):
    pass


def read_mem(path, digits):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("ascii")
    if "\r" in text:
        raise ModelError("%s: CR line ends" % path)
    lines = text.split("\n")
    if lines[-1] != "":
        raise ModelError("%s: last line not terminated" % path)
    lines = lines[:-1]
    vals = []
    for ln, s in enumerate(lines, 1):
        if len(s) != digits or any(ch not in "0123456789abcdef" for ch in s):
            raise ModelError("%s:%d: expected %d lowercase hex digits, got %r" % (path, ln, digits, s))
        vals.append(int(s, 16))
    return vals


def read_coe(path):
    with open(path) as f:
        lines = [l.strip() for l in f.read().split("\n")]
    lines = [l for l in lines if l and not l.startswith(";")]
    body = " ".join(lines).replace(" ", "")
    if not body.startswith("memory_initialization_radix=16;memory_initialization_vector="):
        raise ModelError("%s: bad header" % path)
    vec = body[len("memory_initialization_radix=16;memory_initialization_vector="):]
    if not vec.endswith(";") or vec.count(";") != 1:
        raise ModelError("%s: vector not ended by a single ';'" % path)
    return [int(t, 16) for t in vec[:-1].split(",")]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def decode_sparse(words, rows, cols, c, k, kind, path):
    """-> cols idx [rows, E], neg [rows, E] bool, n [rows, E] (log4) or q [rows, E] (int4)."""
    E = cols // c * k
    if len(words) != rows * E:
        raise ModelError("%s: %d entries, expected %d x %d" % (path, len(words), rows, E))
    ib = max(1, math.ceil(math.log2(c)))
    w = np.array(words, dtype=I64).reshape(rows, E)
    if np.any(w >> (4 + ib)):
        raise ModelError("%s: entry wider than %d bits" % (path, 4 + ib))
    idx = (w >> 4) & ((1 << ib) - 1)
    code = w & 0xF
    gi = idx.reshape(rows, cols // c, k)
    if np.any(gi >= c) or np.any(np.diff(gi, axis=-1) <= 0):
        raise ModelError("%s: idx not strictly ascending in 0..c-1 within a group" % path)
    col = idx + (np.arange(E) // k * c)[None, :]
    if kind == "log4":
        return {"col": col, "neg": (code >> 3).astype(bool), "n": code & 7}
    q = np.where(code >= 8, code - 16, code)
    return {"col": col, "q": q}


def decode_q213(words, count, path):
    if len(words) != count:
        raise ModelError("%s: %d words, expected %d" % (path, len(words), count))
    w = np.array(words, dtype=I64)
    return np.where(w >= 32768, w - 65536, w)


def load_model(d, verify=True):
    with open(os.path.join(d, "manifest.json")) as f:
        man = json.load(f)
    if man.get("format") != "sparse-lstm-model" or man.get("version") != 1:
        raise ModelError("%s: not a sparse-lstm-model v1 manifest" % d)
    kind = man["kind"]
    I, T, H, C, c, k = (man[x] for x in ("I", "T", "H", "classes", "c", "k"))
    if kind == "cnn-lstm":
        cnn = man["cnn"]
        if cnn["kernel"] != 3 or cnn["pool"] != 2 or T % 2:
            raise ModelError("unsupported cnn parameters")
        Il, Tl, O = cnn["out_channels"], T // 2, cnn["out_channels"]
    elif kind == "lstm":
        Il, Tl, O = I, T, None
    else:
        raise ModelError("unknown kind %r" % kind)
    if Il % c or H % c or not 1 <= k <= c <= 16:
        raise ModelError("LSTM input size %d and H %d must be multiples of c=%d, 1<=k<=c<=16" % (Il, H, c))
    files = man["files"]
    if verify:
        for name, digest in files.items():
            if sha256(os.path.join(d, name)) != digest:
                raise ModelError("%s: sha256 mismatch" % os.path.join(d, name))
    ib = max(1, math.ceil(math.log2(c)))
    sdig = math.ceil((ib + 4) / 4)

    def mem(name, digits):
        for ext in (".mem", ".coe"):
            if name + ext not in files:
                raise ModelError("%s: manifest lacks %s" % (d, name + ext))
        p = os.path.join(d, name + ".mem")
        vals = read_mem(p, digits)
        if read_coe(os.path.join(d, name + ".coe")) != vals:
            raise ModelError("%s.coe differs from %s.mem" % (name, name))
        return vals, p

    m = {"kind": kind, "I": I, "T": T, "H": H, "C": C, "c": c, "k": k, "Il": Il, "Tl": Tl}
    for g in GATES:
        v, p = mem("W_" + g, sdig); m["W_" + g] = decode_sparse(v, H, Il, c, k, "log4", p)
        v, p = mem("U_" + g, sdig); m["U_" + g] = decode_sparse(v, H, H, c, k, "log4", p)
        v, p = mem("b_" + g, 4); m["b_" + g] = decode_q213(v, H, p)
    v, p = mem("W_fc", sdig); m["W_fc"] = decode_sparse(v, C, H, c, k, "int4", p)
    v, p = mem("b_fc", 4); m["b_fc"] = decode_q213(v, C, p)
    if kind == "cnn-lstm":
        v, p = mem("conv_w", 4); m["conv_w"] = decode_q213(v, O * I * 3, p).reshape(O, I, 3)
        v, p = mem("conv_b", 4); m["conv_b"] = decode_q213(v, O, p)
    # stack the four gates: rows 0..4H-1 in order i, f, g, o
    for tag in ("W", "U"):
        m[tag] = {key: np.concatenate([m["%s_%s" % (tag, g)][key] for g in GATES], axis=0)
                  for key in ("col", "neg", "n")}
    m["b"] = np.concatenate([m["b_" + g] for g in GATES])
    return m


# ----------------------------------------------------------------------------
# evaluation

def sparse_log_mv(v, S):
    """v [N, cols] int64 -> [N, rows]: sum over kept entries of mul_log(v[col], code)."""
    g = v[:, S["col"]]                                   # [N, rows, E]
    return mul_log(g, S["neg"][None], S["n"][None]).sum(axis=-1)


def conv_front(m, x):
    """x [N, T, I] Q2.13 (time, channel) -> pooled [N, T/2, O]."""
    N, T, I = x.shape
    xp = np.zeros((N, T + 2, I), dtype=I64)
    xp[:, 1:T + 1] = x
    w = m["conv_w"]                                      # [O, I, 3]
    acc = np.zeros((N, T, w.shape[0]), dtype=I64)
    for kk in range(3):                                  # acc[o][t] += w[o][ci][kk] * x[ci][t+kk-1]
        acc += np.matmul(xp[:, kk:kk + T], w[:, :, kk].T.copy())
    y = np.maximum(0, sat16((acc >> 13) + m["conv_b"][None, None, :]))
    return np.maximum(y[:, 0::2], y[:, 1::2])


def logits_batch(m, images):
    """images uint8 [N, T, I] -> integer logits [N, C] (int64)."""
    x = images.astype(I64) << 5
    if m["kind"] == "cnn-lstm":
        x = conv_front(m, x)
    N, H = x.shape[0], m["H"]
    h = np.zeros((N, H), dtype=I64)
    c = np.zeros((N, H), dtype=I64)
    for t in range(m["Tl"]):
        a = sat16(m["b"][None] + sparse_log_mv(x[:, t], m["W"]) + sparse_log_mv(h, m["U"]))
        i, f, o = hsig(a[:, 0:H]), hsig(a[:, H:2 * H]), hsig(a[:, 3 * H:4 * H])
        g = ptanh(a[:, 2 * H:3 * H])
        c = sat16(((f * c) >> 13) + ((i * g) >> 13))
        h = (o * ptanh(c)) >> 13
    fc = m["W_fc"]
    return (m["b_fc"][None] << 3) + (h[:, fc["col"]] * fc["q"][None]).sum(axis=-1)


def logits(m, images, chunk=1000):
    return np.concatenate([logits_batch(m, images[s:s + chunk]) for s in range(0, len(images), chunk)])


def classify(lg):
    return np.argmax(lg, axis=1)        # first (lowest) index on ties


def write_logits_csv(path, labels, lg):
    cls = classify(lg)
    with open(path, "w", newline="\n") as f:
        f.write("index,label,class," + ",".join("logit%d" % j for j in range(lg.shape[1])) + "\n")
        for n in range(len(lg)):
            f.write("%d,%d,%d,%s\n" % (n, labels[n], cls[n], ",".join(str(int(v)) for v in lg[n])))


def read_logits_csv(path):
    with open(path) as f:
        rows = f.read().strip().split("\n")[1:]
    return np.array([[int(t) for t in r.split(",")] for r in rows], dtype=I64)


def evaluate_dir(d, data_dir=fmnist_data.DATA_DIR, write=False, verify=True):
    m = load_model(d, verify=verify)
    img, lab = fmnist_data.load("t10k", data_dir)
    lg = logits(m, img)
    acc = float((classify(lg) == lab).mean())
    if write:
        write_logits_csv(os.path.join(d, "test_logits.csv"), lab, lg)
    return acc, lg, lab


# ----------------------------------------------------------------------------

def selftest():
    ok = True

    def chk(name, got, want):
        nonlocal ok
        got = int(got)
        if got != want:
            ok = False
            print("FAIL %s: got %d want %d" % (name, got, want))

    chk("mul_log(-32768, +2^0)", mul_log(-32768, False, 0), -32768)
    chk("mul_log(-32768, -2^0)", mul_log(-32768, True, 0), 32768)
    chk("mul_log(-1, +2^-1)", mul_log(-1, False, 1), 0)          # toward zero, not floor (-1)
    chk("mul_log(-5, +2^-1)", mul_log(-5, False, 1), -2)
    chk("mul_log(5, -2^-1)", mul_log(5, True, 1), -2)
    chk("mul_log(-5, -2^-2)", mul_log(-5, True, 2), 1)
    chk("mul_log(32767, -2^-7)", mul_log(32767, True, 7), -255)
    chk("hsig(-16384)", hsig(I64(-16384)), 0)
    chk("hsig(-16383)", hsig(I64(-16383)), 0)                     # (-16383>>2) = -4096
    chk("hsig(-16379)", hsig(I64(-16379)), 1)
    chk("hsig(-1)", hsig(I64(-1)), 4095)
    chk("hsig(16383)", hsig(I64(16383)), 8191)
    chk("hsig(16384)", hsig(I64(16384)), 8192)
    chk("hsig(32767)", hsig(I64(32767)), 8192)
    for a, want in ((-32768, -8192), (-20481, -8192), (-20480, -8192), (-20479, -8192),
                    (-20476, -8191), (-4097, -4097), (-4096, -4096), (-1, -1), (0, 0), (4095, 4095),
                    (4096, 4096), (4099, 4096), (20479, 8191), (20480, 8192), (32767, 8192)):
        chk("ptanh(%d)" % a, ptanh(a), want)
    # cell: f=8192, c=-1 -> (8192*-1)>>13 = -1; i=4096, g=-1 -> floor(-0.5) = -1
    chk("cell", sat16(((I64(8192) * -1) >> 13) + ((I64(4096) * -1) >> 13)), -2)
    chk("sat16 high", sat16(I64(40000)), 32767)
    chk("sat16 low", sat16(I64(-40000)), -32768)
    chk("h", (I64(8191) * ptanh(I64(-3))) >> 13, -3)             # floor(-24573/8192) = -3
    print("selftest", "ok" if ok else "FAILED")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", nargs="?")
    ap.add_argument("--data", default=fmnist_data.DATA_DIR)
    ap.add_argument("--write", action="store_true", help="write test_logits.csv")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        if not selftest():
            return 1
        if not a.model:
            return 0
    if not a.model:
        ap.error("model directory required")
    try:
        acc, lg, lab = evaluate_dir(a.model, a.data, write=a.write)
    except (ModelError, OSError, KeyError, ValueError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    print("%s: integer accuracy %.4f (%d / %d)" % (a.model, acc, int(round(acc * len(lab))), len(lab)))
    p = os.path.join(a.model, "test_logits.csv")
    if not a.write and os.path.exists(p):
        ref = read_logits_csv(p)
        want = np.concatenate([np.arange(len(lab))[:, None], lab[:, None], classify(lg)[:, None], lg], axis=1)
        same = ref.shape == want.shape and bool(np.all(ref == want))
        print("test_logits.csv", "matches" if same else "DIFFERS")
        if not same:
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
