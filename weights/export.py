"""Export a trained qlstm.Net to the model-directory format of docs/formats.md.

Memory files only (.mem + .coe per matrix / bias vector) and the manifest;
test_logits.csv, training.json and README.md are written by train.py, which
calls write_manifest() again at the end so that every file is checksummed.
"""
import hashlib
import json
import math
import os

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


@torch.no_grad()
def integer_params(model):
    """All integers of the exported model, computed with the same quantizers as QAT."""
    H, c, k = model.H, model.c, model.k
    p = {}
    for tag, w, m in (("W", model.weight_ih, model.mask_ih), ("U", model.weight_hh, model.mask_hh)):
        _, neg, n = qlstm.log2_quant(w)
        codes = (neg.long() << 3) | n.long()
        for gi, g in enumerate(GATES):
            rs = slice(gi * H, (gi + 1) * H)
            p["%s_%s" % (tag, g)] = (m[rs].long().tolist(), codes[rs].tolist())
    b = qlstm.q213_quant(model.bias_ih + model.bias_hh).long()
    for gi, g in enumerate(GATES):
        p["b_" + g] = b[gi * H:(gi + 1) * H].tolist()
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
    for tag, cols in (("W", model.Il), ("U", model.H)):
        for g in GATES:
            name = "%s_%s" % (tag, g)
            mask, codes = p[name]
            write_mem_coe(outdir, name, sparse_words(mask, codes, c, k), sdig,
                          "%s: %d rows x %d entries {idx[%d:4], log4 code[3:0]}"
                          % (name, model.H, cols // c * k, ib + 3))
            names.append(name)
    for g in GATES:
        write_mem_coe(outdir, "b_" + g, q213_words(p["b_" + g]), 4, "b_%s: %d Q2.13 words" % (g, model.H))
        names.append("b_" + g)
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
        "version": 1,
        "kind": model.kind,
        "I": model.I,
        "T": model.T,
        "H": model.H,
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


def write_manifest(model, outdir, files):
    m = manifest_dict(model, files, outdir)
    with open(os.path.join(outdir, "manifest.json"), "w", newline="\n") as f:
        json.dump(m, f, indent=2)
        f.write("\n")
    return m
