"""Export a trained qlstm.Net to the model-directory format of docs/formats.md.

Memory files only (.mem + .coe per matrix / bias vector) and the manifest;
test_logits.csv, training.json and README.md are written by train.py, which
calls write_manifest() again at the end so that every file is checksummed.
One LSTM layer: manifest version 1, unprefixed files (bytes as before stacked
models existed); L > 1 layers: version 2, "H" a list, layer l's files
prefixed l<l>_ ("Stacked layers (version 2)").

Checks (no training state needed):
    /usr/bin/python3 weights/export.py --roundtrip weights/fmnist-lstm /tmp/rt   # re-export: byte-identical?
    /usr/bin/python3 weights/export.py --rehash DIR                              # checksums after a hand edit
"""
import hashlib
import json
import math
import os
import re

import torch

import qlstm

GATES = "ifgo"


def idx_bits(c):
    return max(1, math.ceil(math.log2(c)))


def sparse_words(mask, codes, c, k):
    """mask: [rows, cols] 0/1, codes: [rows, cols] int 4-bit codes.
    Returns the entry words {idx, code} row by row, group by group, ascending idx."""
    rows, cols = len(mask), len(mask[0])
    words = []
    for r in range(rows):
        for g in range(cols // c):
            kept = [j for j in range(c) if mask[r][g * c + j]]
            if len(kept) != k:
                raise ValueError("row %d group %d keeps %d entries, not k=%d" % (r, g, len(kept), k))
            for j in kept:
                code = codes[r][g * c + j]
                assert 0 <= code < 16
                words.append((j << 4) | code)
    return words


def q213_words(values):
    out = []
    for v in values:
        v = int(v)
        if not -32768 <= v <= 32767:
            raise ValueError("Q2.13 value %d out of range" % v)
        out.append(v & 0xFFFF)
    return out


def write_mem_coe(outdir, name, words, digits, comment):
    fmt = "%%0%dx" % digits
    hexes = [fmt % w for w in words]
    for h in hexes:
        assert len(h) == digits
    with open(os.path.join(outdir, name + ".mem"), "w", newline="\n") as f:
        f.write("".join(h + "\n" for h in hexes))
    with open(os.path.join(outdir, name + ".coe"), "w", newline="\n") as f:
        f.write("; %s\n" % comment)
        f.write("memory_initialization_radix=16;\n")
        f.write("memory_initialization_vector=\n")
        f.write(",\n".join(hexes) + ";\n")


def layer_prefix(model, l):
    """File-name prefix of layer l (0-based): '' for a one-layer model (version 1),
    'l<l+1>_' for a stacked one (version 2, docs/formats.md)."""
    return "" if model.L == 1 else "l%d_" % (l + 1)


@torch.no_grad()
def integer_params(model):
    """All integers of the exported model, computed with the same quantizers as QAT.
    Keys are the file names without extension (layer prefix included)."""
    p = {}
    for l in range(model.L):
        lp, H, pre = model.layer(l), model.Hs[l], layer_prefix(model, l)
        for tag, w, m in (("W", lp["weight_ih"], lp["mask_ih"]), ("U", lp["weight_hh"], lp["mask_hh"])):
            _, neg, n = qlstm.log2_quant(w)
            codes = (neg.long() << 3) | n.long()
            for gi, g in enumerate(GATES):
                rs = slice(gi * H, (gi + 1) * H)
                p["%s%s_%s" % (pre, tag, g)] = (m[rs].long().tolist(), codes[rs].tolist())
        b = qlstm.q213_quant(lp["bias_ih"] + lp["bias_hh"]).long()
        for gi, g in enumerate(GATES):
            p[pre + "b_" + g] = b[gi * H:(gi + 1) * H].tolist()
    _, q = qlstm.int4_quant(model.fc_w)
    p["W_fc"] = (model.mask_fc.long().tolist(), (q.long() & 0xF).tolist())
    p["b_fc"] = qlstm.q213_quant(model.fc_b).long().tolist()
    if model.kind == "cnn-lstm":
        p["conv_w"] = qlstm.q213_quant(model.conv_w).long().reshape(-1).tolist()   # [o][ci][kk]
        p["conv_b"] = qlstm.q213_quant(model.conv_b).long().tolist()
    return p


def write_memories(model, outdir):
    os.makedirs(outdir, exist_ok=True)
    c, k = model.c, model.k
    ib = idx_bits(c)
    sdig = math.ceil((ib + 4) / 4)
    p = integer_params(model)
    names = []
    for l in range(model.L):
        pre, H = layer_prefix(model, l), model.Hs[l]
        for tag, cols in (("W", model.In[l]), ("U", H)):
            for g in GATES:
                name = "%s%s_%s" % (pre, tag, g)
                mask, codes = p[name]
                write_mem_coe(outdir, name, sparse_words(mask, codes, c, k), sdig,
                              "%s: %d rows x %d entries {idx[%d:4], log4 code[3:0]}"
                              % (name, H, cols // c * k, ib + 3))
                names.append(name)
        for g in GATES:
            name = pre + "b_" + g
            write_mem_coe(outdir, name, q213_words(p[name]), 4, "%s: %d Q2.13 words" % (name, H))
            names.append(name)
    mask, codes = p["W_fc"]
    write_mem_coe(outdir, "W_fc", sparse_words(mask, codes, c, k), sdig,
                  "W_fc: %d rows x %d entries {idx[%d:4], int4 code[3:0]}"
                  % (model.C, model.H // c * k, ib + 3))
    write_mem_coe(outdir, "b_fc", q213_words(p["b_fc"]), 4, "b_fc: %d Q2.13 words" % model.C)
    names += ["W_fc", "b_fc"]
    if model.kind == "cnn-lstm":
        write_mem_coe(outdir, "conv_w", q213_words(p["conv_w"]), 4,
                      "conv_w: %d x %d x 3 Q2.13 words, order [o][ci][kk]" % (model.cnn_out, model.I))
        write_mem_coe(outdir, "conv_b", q213_words(p["conv_b"]), 4,
                      "conv_b: %d Q2.13 words" % model.cnn_out)
        names += ["conv_w", "conv_b"]
    return [n + ext for n in names for ext in (".mem", ".coe")]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def manifest_dict(model, files, outdir):
    m = {
        "format": "sparse-lstm-model",
        "version": 1 if model.L == 1 else 2,
        "kind": model.kind,
        "I": model.I,
        "T": model.T,
        "H": model.H if model.L == 1 else list(model.Hs),
        "classes": model.C,
        "c": model.c,
        "k": model.k,
    }
    if model.kind == "cnn-lstm":
        m["cnn"] = {"out_channels": model.cnn_out, "kernel": 3, "pool": 2}
    m["formats"] = {"data": "Q2.13", "bias": "Q2.13", "lstm_weight": "log4",
                    "fc_weight": "int4", "conv_weight": "Q2.13", "entry": "idx:code"}
    m["files"] = {f: sha256(os.path.join(outdir, f)) for f in sorted(files)}
    return m


def dump_manifest(m, path):
    """json indent 2; a version-2 H list on one line ("H": [56, 28]) as docs/formats.md shows it."""
    text = json.dumps(m, indent=2)
    if isinstance(m.get("H"), list):
        text = re.sub(r'"H": \[[^\]]*\]', lambda _: '"H": ' + json.dumps(m["H"]), text, count=1)
    with open(path, "w", newline="\n") as f:
        f.write(text + "\n")


def write_manifest(model, outdir, files):
    m = manifest_dict(model, files, outdir)
    dump_manifest(m, os.path.join(outdir, "manifest.json"))
    return m


# ----------------------------------------------------------------------------
# reading an exported directory back into a Net (checks; no training state needed)

@torch.no_grad()
def model_from_dir(d):
    """A qlstm.Net whose quantized parameters are exactly the integers of the
    exported directory d (read with intsim.load_model): LSTM weights +-2^-n on
    the kept entries, biases b/8192 (bias_hh = 0), FC q/8, conv w/8192. Exporting
    it writes the same memory files; its forward_qat computes the same logits."""
    import intsim
    m = intsim.load_model(d)
    kw = dict(I=m["I"], T=m["T"], H=m["H"] if m["L"] == 1 else m["Hs"], classes=m["C"], c=m["c"], k=m["k"])
    if m["kind"] == "cnn-lstm":
        kw["cnn_out"] = m["conv_w"].shape[0]
    net = qlstm.Net(m["kind"], **kw)

    def dense(S, rows, cols, values):
        w = torch.zeros(rows, cols)
        mask = torch.zeros(rows, cols)
        r = torch.arange(rows)[:, None].expand(-1, S["col"].shape[1])
        col = torch.from_numpy(S["col"])
        w[r, col] = torch.from_numpy(values).float()
        mask[r, col] = 1.0
        return w, mask

    for l, ly in enumerate(m["layers"]):
        p = net.layer(l)
        for tag, name, cols in (("W", "ih", ly["In"]), ("U", "hh", ly["H"])):
            S = ly[tag]
            w, mask = dense(S, 4 * ly["H"], cols, (1.0 - 2.0 * S["neg"]) * 2.0 ** (-S["n"].astype(float)))
            p["weight_" + name].copy_(w)
            p["mask_" + name].copy_(mask)
        p["bias_ih"].copy_(torch.from_numpy(ly["b"] / qlstm.Q))
        p["bias_hh"].zero_()
    w, mask = dense(m["W_fc"], m["C"], m["H"], m["W_fc"]["q"] / 8.0)
    net.fc_w.copy_(w)
    net.mask_fc.copy_(mask)
    net.fc_b.copy_(torch.from_numpy(m["b_fc"] / qlstm.Q))
    if m["kind"] == "cnn-lstm":
        net.conv_w.copy_(torch.from_numpy(m["conv_w"] / qlstm.Q))
        net.conv_b.copy_(torch.from_numpy(m["conv_b"] / qlstm.Q))
    return net


def roundtrip(src, dst, qat=True):
    """Read src back into a Net, export it to dst with this code (memory files; the
    other files copied) and compare every file byte for byte, manifest included;
    with qat, also the torch integer forward (forward_qat) against src/test_logits.csv.
    Returns a list of differences (empty: identical)."""
    import shutil
    import intsim
    import fmnist_data
    net = model_from_dir(src)
    with open(os.path.join(src, "manifest.json")) as f:
        man = json.load(f)
    os.makedirs(dst, exist_ok=True)
    mem_files = write_memories(net, dst)
    other = [f for f in man["files"] if f not in mem_files]
    for f in other:
        shutil.copyfile(os.path.join(src, f), os.path.join(dst, f))
    write_manifest(net, dst, mem_files + other)
    diffs = []
    for f in sorted(set(man["files"]) | set(mem_files)) + ["manifest.json"]:
        a, b = os.path.join(src, f), os.path.join(dst, f)
        if not (os.path.exists(a) and os.path.exists(b)):
            diffs.append("%s: only in %s" % (f, src if os.path.exists(a) else dst))
            continue
        with open(a, "rb") as fa, open(b, "rb") as fb:
            if fa.read() != fb.read():
                diffs.append("%s differs" % f)
    if qat and "test_logits.csv" in man["files"]:
        img, _ = fmnist_data.load("t10k")
        x = torch.from_numpy(img.copy())
        with torch.no_grad():
            lg = torch.cat([net.forward_qat(x[s:s + 1000], return_int=True) for s in range(0, len(x), 1000)])
        ref = intsim.read_logits_csv(os.path.join(src, "test_logits.csv"))[:, 3:]
        n = int((lg.numpy() != ref).any(axis=1).sum())
        if n:
            diffs.append("forward_qat differs from test_logits.csv on %d images" % n)
    return diffs


def rehash(d):
    """Recompute the checksums of manifest.json's files (after a hand edit of README.md)."""
    with open(os.path.join(d, "manifest.json")) as f:
        man = json.load(f)
    man["files"] = {f: sha256(os.path.join(d, f)) for f in sorted(man["files"])}
    dump_manifest(man, os.path.join(d, "manifest.json"))


def main():
    import argparse
    import sys
    ap = argparse.ArgumentParser(description="Checks on exported model directories (the export itself runs "
                                             "from train.py).")
    ap.add_argument("--roundtrip", nargs=2, metavar=("SRC", "DST"),
                    help="re-export SRC into DST with this code; every file must be byte-identical and "
                         "forward_qat must reproduce SRC/test_logits.csv")
    ap.add_argument("--no-qat", action="store_true", help="with --roundtrip: skip the forward_qat check")
    ap.add_argument("--rehash", metavar="DIR", help="recompute the checksums in DIR/manifest.json")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.rehash:
        rehash(a.rehash)
    if a.roundtrip:
        diffs = roundtrip(*a.roundtrip, qat=not a.no_qat)
        for d in diffs:
            print("DIFFERS:", d)
        what = "files" if a.no_qat else "files and forward_qat logits"
        print("%s -> %s: %s" % (a.roundtrip[0], a.roundtrip[1],
                                "identical (%s)" % what if not diffs else "%d differences" % len(diffs)))
        return 1 if diffs else 0
    return 0


if __name__ == "__main__":
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
