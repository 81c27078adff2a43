#!/usr/bin/env python3
"""Bit-exact numpy evaluation of an exported model directory (SPEC Part A).

Reads the model back from its files (manifest.json, the .mem files, checks the
.coe files and the checksums), never from training tensors, and computes the
integer logits of SPEC Part A with int64 numpy arithmetic (numpy's >> on a
signed integer is arithmetic, i.e. floor, as SPEC requires). Manifest version 1
(one LSTM layer) and version 2 (stacked layers: H a list, files l<l>_*; layer
l > 1 reads h_t of layer l-1, SPEC Part A "Stacked layers").

    /usr/bin/python3 weights/intsim.py weights/fmnist-lstm            # accuracy + check test_logits.csv
    /usr/bin/python3 weights/intsim.py weights/fmnist-lstm --write    # (re)write test_logits.csv
    /usr/bin/python3 weights/intsim.py --selftest                     # hand-checked SPEC cases, stacked layers
The test set is Fashion-MNIST's t10k, or the directory's own test_inputs.idx.gz
(bytes or Q2.13 words) and test_labels.idx.gz when it has them (weights/import.py).
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


def layer_sizes(man, d=""):
    """(hidden sizes, file prefixes) of a manifest: version 1 has one layer with an
    integer H and unprefixed files; version 2 a list H (layer 1 first) and files
    prefixed l<l>_ (docs/formats.md, "Stacked layers (version 2)")."""
    H = man.get("H")
    if man["version"] == 1:
        if not isinstance(H, int) or isinstance(H, bool):
            raise ModelError("%s: version 1 needs an integer H, got %r" % (d, H))
        return [H], [""]
    if (not isinstance(H, list) or not H
            or any(not isinstance(h, int) or isinstance(h, bool) or h <= 0 for h in H)):
        raise ModelError("%s: version 2 needs H as a non-empty list of positive integers, got %r" % (d, H))
    return list(H), ["l%d_" % (l + 1) for l in range(len(H))]


def load_model(d, verify=True):
    with open(os.path.join(d, "manifest.json")) as f:
        man = json.load(f)
    if man.get("format") != "sparse-lstm-model" or man.get("version") not in (1, 2):
        raise ModelError("%s: not a sparse-lstm-model version 1 or 2 manifest" % d)
    kind = man["kind"]
    I, T, C, c, k = (man[x] for x in ("I", "T", "classes", "c", "k"))
    Hs, prefixes = layer_sizes(man, d)
    H = Hs[-1]
    if kind == "cnn-lstm":
        cnn = man["cnn"]
        if cnn["kernel"] != 3 or cnn["pool"] != 2 or T % 2:
            raise ModelError("unsupported cnn parameters")
        Il, Tl, O = cnn["out_channels"], T // 2, cnn["out_channels"]
    elif kind == "lstm":
        Il, Tl, O = I, T, None
    else:
        raise ModelError("unknown kind %r" % kind)
    if Il % c or any(h % c for h in Hs) or not 1 <= k <= c <= 16:
        raise ModelError("LSTM input size %d and H %s must be multiples of c=%d, 1<=k<=c<=16"
                         % (Il, Hs if len(Hs) > 1 else H, c))
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

    m = {"kind": kind, "I": I, "T": T, "H": H, "Hs": Hs, "L": len(Hs), "C": C, "c": c, "k": k,
         "Il": Il, "Tl": Tl, "version": man["version"], "layers": []}
    In = [Il] + Hs[:-1]                                  # input size of each layer
    for Hl, Inl, pre in zip(Hs, In, prefixes):
        ly = {"H": Hl, "In": Inl, "prefix": pre}
        for g in GATES:
            v, p = mem(pre + "W_" + g, sdig); ly["W_" + g] = decode_sparse(v, Hl, Inl, c, k, "log4", p)
            v, p = mem(pre + "U_" + g, sdig); ly["U_" + g] = decode_sparse(v, Hl, Hl, c, k, "log4", p)
            v, p = mem(pre + "b_" + g, 4); ly["b_" + g] = decode_q213(v, Hl, p)
        # stack the four gates: rows 0..4H-1 in order i, f, g, o
        for tag in ("W", "U"):
            ly[tag] = {key: np.concatenate([ly["%s_%s" % (tag, g)][key] for g in GATES], axis=0)
                       for key in ("col", "neg", "n")}
        ly["b"] = np.concatenate([ly["b_" + g] for g in GATES])
        m["layers"].append(ly)
    v, p = mem("W_fc", sdig); m["W_fc"] = decode_sparse(v, C, H, c, k, "int4", p)
    v, p = mem("b_fc", 4); m["b_fc"] = decode_q213(v, C, p)
    if kind == "cnn-lstm":
        v, p = mem("conv_w", 4); m["conv_w"] = decode_q213(v, O * I * 3, p).reshape(O, I, 3)
        v, p = mem("conv_b", 4); m["conv_b"] = decode_q213(v, O, p)
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


def lstm_layer(ly, x):
    """One LSTM layer of SPEC Part A over a whole sequence.
    x [N, T, In] int64 -> (h_t for t = 1..T [N, T, H], h_T [N, H]); h_0 = c_0 = 0."""
    N, T, H = x.shape[0], x.shape[1], ly["H"]
    h = np.zeros((N, H), dtype=I64)
    c = np.zeros((N, H), dtype=I64)
    hs = np.zeros((N, T, H), dtype=I64)
    for t in range(T):
        a = sat16(ly["b"][None] + sparse_log_mv(x[:, t], ly["W"]) + sparse_log_mv(h, ly["U"]))
        i, f, o = hsig(a[:, 0:H]), hsig(a[:, H:2 * H]), hsig(a[:, 3 * H:4 * H])
        g = ptanh(a[:, 2 * H:3 * H])
        c = sat16(((f * c) >> 13) + ((i * g) >> 13))
        h = (o * ptanh(c)) >> 13
        hs[:, t] = h
    return hs, h


def logits_batch(m, images):
    """images [N, T, I] -> integer logits [N, C] (int64): pixels (uint8) become
    x = p << 5; int16 arrays are Q2.13 words, used unchanged (SPEC Part A, "Input words")."""
    x = images.astype(I64) if images.dtype == np.int16 else images.astype(I64) << 5
    if m["kind"] == "cnn-lstm":
        x = conv_front(m, x)
    for ly in m["layers"]:                  # stacked: layer l > 1 reads h_t of layer l-1 at the same t
        x, h = lstm_layer(ly, x)
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


def read_idx_inputs(path):
    """Gzipped or plain IDX input file: type 0x08 -> uint8 pixels, type 0x0B ->
    int16 Q2.13 words (big-endian in the file; SPEC Part A "Input words")."""
    with fmnist_data._open(path) as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in (0x08, 0x0B):
        raise ModelError("%s: not an IDX file of type 0x08 (bytes) or 0x0B (Q2.13 words)" % path)
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    off, n = 4 + 4 * len(dims), int(np.prod(dims))
    dt = np.dtype(np.uint8) if data[2] == 0x08 else np.dtype(">i2")
    if len(data) - off != n * dt.itemsize:
        raise ModelError("%s: expected %d data bytes, found %d" % (path, n * dt.itemsize, len(data) - off))
    a = np.frombuffer(data, dtype=dt, offset=off).reshape(dims)
    return a if data[2] == 0x08 else a.astype(np.int16)


def test_set(d, data_dir=fmnist_data.DATA_DIR):
    """The test inputs of model directory d: its own test_inputs.idx.gz and
    test_labels.idx.gz when it has them (written by weights/import.py), else
    the Fashion-MNIST t10k files of data_dir."""
    own = [os.path.join(d, f) for f in ("test_inputs.idx.gz", "test_labels.idx.gz")]
    if all(os.path.exists(p) for p in own):
        return read_idx_inputs(own[0]), read_idx_inputs(own[1]).astype(np.int64)
    return fmnist_data.load("t10k", data_dir)


def evaluate_dir(d, data_dir=fmnist_data.DATA_DIR, write=False, verify=True):
    m = load_model(d, verify=verify)
    img, lab = test_set(d, data_dir)
    lg = logits(m, img)
    acc = float((classify(lg) == lab).mean())
    if write:
        write_logits_csv(os.path.join(d, "test_logits.csv"), lab, lg)
    return acc, lg, lab


# ----------------------------------------------------------------------------

def write_model_dir(d, man, mems):
    """Write a model directory from integers (numpy only; used by the self-test).
    man: manifest without "files"; mems: {name: (words, hex digits)}."""
    os.makedirs(d, exist_ok=True)
    for name, (words, digits) in mems.items():
        hexes = ["%0*x" % (digits, w) for w in words]
        with open(os.path.join(d, name + ".mem"), "w", newline="\n") as f:
            f.write("".join(h + "\n" for h in hexes))
        with open(os.path.join(d, name + ".coe"), "w", newline="\n") as f:
            f.write("; %s\nmemory_initialization_radix=16;\nmemory_initialization_vector=\n%s;\n"
                    % (name, ",\n".join(hexes)))
    man = dict(man)
    man["files"] = {n + e: sha256(os.path.join(d, n + e)) for n in sorted(mems) for e in (".mem", ".coe")}
    with open(os.path.join(d, "manifest.json"), "w", newline="\n") as f:
        json.dump(man, f, indent=2)
        f.write("\n")


def _random_stack(rng, I, Hs, C, c, k):
    """A random stacked model as plain Python lists: per layer and gate the kept
    entries (col, neg, n) of every row of W and U and the biases; the FC (col, q)."""
    def sparse(rows, cols, fc=False):
        out = []
        for _ in range(rows):
            row = []
            for g in range(cols // c):
                for j in sorted(rng.choice(c, size=k, replace=False).tolist()):
                    if fc:
                        row.append((g * c + j, int(rng.integers(-8, 8))))
                    else:   # favour large weights (small n) so that sat16 and the clamps are reached
                        row.append((g * c + j, bool(rng.integers(2)), int(min(rng.geometric(0.45) - 1, 7))))
            out.append(row)
        return out
    layers, In = [], I
    for H in Hs:
        layers.append({"H": H, "In": In,
                       "W": {g: sparse(H, In) for g in GATES}, "U": {g: sparse(H, H) for g in GATES},
                       "b": {g: [int(v) for v in rng.integers(-24000, 24000, H)] for g in GATES}})
        In = H
    return layers, sparse(C, Hs[-1], fc=True), [int(v) for v in rng.integers(-32768, 32768, C)]


def _stack_files(layers, fc, bfc, prefixes, c):
    """{name: (words, digits)} of a random stack (docs/formats.md entry words)."""
    mems = {}
    for ly, pre in zip(layers, prefixes):
        for tag in ("W", "U"):
            for g in GATES:
                mems["%s%s_%s" % (pre, tag, g)] = (
                    [((col % c) << 4) | (int(neg) << 3) | n for row in ly[tag][g] for col, neg, n in row], 2)
        for g in GATES:
            mems["%sb_%s" % (pre, g)] = ([v & 0xFFFF for v in ly["b"][g]], 4)
    mems["W_fc"] = ([((col % c) << 4) | (q & 0xF) for row in fc for col, q in row], 2)
    mems["b_fc"] = ([v & 0xFFFF for v in bfc], 4)
    return mems


def _scalar_reference(layers, fc, bfc, image):
    """SPEC Part A for one image, written out element by element with Python
    integers (>> on a negative int floors), layer by layer: layer l > 1 reads
    h_t of layer l-1 at the same step t; every layer starts from h_0 = c_0 = 0."""
    def s16(v):
        return max(-32768, min(32767, v))

    def mlog(v, neg, n):
        mag = abs(v) >> n
        return -mag if (v < 0) != neg else mag

    def hs(a):
        return max(0, min(8192, (a >> 2) + 4096))

    def pt(a):
        if a < -20480:
            return -8192
        if a < -4096:
            return (a >> 2) - 3072
        if a < 4096:
            return a
        if a < 20480:
            return (a >> 2) + 3072
        return 8192

    seq = [[int(p) << 5 for p in row] for row in image]          # x_t, t = 1..T
    for ly in layers:
        H = ly["H"]
        h, cst, out = [0] * H, [0] * H, []
        for x in seq:
            a = {g: [s16(ly["b"][g][r] + sum(mlog(x[col], ng, n) for col, ng, n in ly["W"][g][r])
                         + sum(mlog(h[col], ng, n) for col, ng, n in ly["U"][g][r])) for r in range(H)]
                 for g in GATES}
            cst = [s16(((hs(a["f"][r]) * cst[r]) >> 13) + ((hs(a["i"][r]) * pt(a["g"][r])) >> 13))
                   for r in range(H)]
            h = [(hs(a["o"][r]) * pt(cst[r])) >> 13 for r in range(H)]
            out.append(h)
        seq = out
    return [(bfc[j] << 3) + sum(q * h[col] for col, q in fc[j]) for j in range(len(fc))]


def selftest_stacked():
    """Stacked layers (SPEC Part A): random 2-layer models written as version-2
    directories, read back and evaluated by logits(), against the element-by-element
    scalar reference; a one-layer model gives the same logits as version 1 and as
    version 2 with H = [H1]; malformed H is rejected."""
    import tempfile
    fails = []
    rng = np.random.default_rng(13)
    I, T, C = 14, 6, 4
    with tempfile.TemporaryDirectory() as tmp:
        for case, (Hs, c, k) in enumerate((([14, 7], 7, 4), ([7, 14], 7, 3), ([8, 8, 4], 4, 2))):
            layers, fc, bfc = _random_stack(rng, I if I % c == 0 else 16, Hs, C, c, k)
            In = layers[0]["In"]
            images = rng.integers(0, 256, (5, T, In)).astype(np.uint8)
            images[0] = 255                                          # drives the saturations
            man = {"format": "sparse-lstm-model", "version": 2, "kind": "lstm", "I": In, "T": T,
                   "H": Hs, "classes": C, "c": c, "k": k}
            d = os.path.join(tmp, "v2_%d" % case)
            write_model_dir(d, man, _stack_files(layers, fc, bfc, ["l%d_" % (l + 1) for l in range(len(Hs))], c))
            got = logits(load_model(d), images)
            want = np.array([_scalar_reference(layers, fc, bfc, im) for im in images], dtype=I64)
            if not np.array_equal(got, want):
                fails.append("stacked H=%s c=%d k=%d: logits differ from the scalar reference in %d of %d images"
                             % (Hs, c, k, int((got != want).any(axis=1).sum()), len(images)))
            if len(set(map(tuple, got.tolist()))) < 2 or np.abs(got).max() == 0:
                fails.append("stacked H=%s: degenerate test (all logits equal)" % Hs)
        # L = 1: version 1 == version 2 with a one-element H == scalar reference
        layers, fc, bfc = _random_stack(rng, I, [14], C, 7, 4)
        images = rng.integers(0, 256, (4, T, I)).astype(np.uint8)
        want = np.array([_scalar_reference(layers, fc, bfc, im) for im in images], dtype=I64)
        base = {"format": "sparse-lstm-model", "kind": "lstm", "I": I, "T": T, "classes": C, "c": 7, "k": 4}
        for ver, H, pre in ((1, 14, ""), (2, [14], "l1_")):
            d = os.path.join(tmp, "one_v%d" % ver)
            write_model_dir(d, dict(base, version=ver, H=H), _stack_files(layers, fc, bfc, [pre], 7))
            got = logits(load_model(d), images)
            if not np.array_equal(got, want):
                fails.append("one layer, version %d: logits differ from the scalar reference" % ver)
        for ver, H in ((1, [14]), (2, 14), (2, []), (2, [14, 0])):
            d = os.path.join(tmp, "bad")
            write_model_dir(d, dict(base, version=ver, H=H), _stack_files(layers, fc, bfc, [""], 7))
            try:
                load_model(d)
                fails.append("version %d with H=%r accepted" % (ver, H))
            except ModelError:
                pass
    return fails


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
    for msg in selftest_stacked():
        ok = False
        print("FAIL %s" % msg)
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
