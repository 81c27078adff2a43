#!/usr/bin/python3
"""Bring your own model: import a float PyTorch or ONNX LSTM / CNN-LSTM
classifier, compress it for this accelerator with fine-tuning on your data,
and export a model directory that lstmsim runs (docs/import.md).

    /usr/bin/python3 weights/import.py --from MODEL --data DATA.npz --out DIR
        [--epochs N] [--c C --k K] [--map OLD=NEW ...] [--seed S]

MODEL is a state_dict saved with torch.save (the names nn.LSTM(batch_first=True)
gets as attribute `lstm`: lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0,
lstm.bias_hh_l0, ... per layer; optionally conv.weight/conv.bias of an
nn.Conv1d(kernel 3, padding 1) followed by ReLU and MaxPool1d(2); fc.weight,
fc.bias of the nn.Linear head), or an ONNX file (.onnx: LSTM, Conv, Relu,
MaxPool, Gemm or MatMul + Add nodes). DATA.npz holds x_train, y_train, x_test,
y_test: float arrays N x T x I (time major inside a sequence) and integer
labels 0..classes-1.

Steps (each printed): map to SPEC Part A (gate order i, f, g, o; b = b_ih + b_hh);
choose the input scale (docs/import.md: byte images stay bytes, IDX 0x08;
anything else becomes Q2.13 words scaled by a power of two, IDX 0x0B); float
accuracy with sigmoid/tanh; hard activations (hsig, ptanh); fine-tune (float
with hard activations, then top-k pruned, then quantization-aware with the
integer-exact forward and straight-through estimators), N epochs each; export
(docs/formats.md; the manifest's "input" says "pixels" or "words", what the test
inputs are), the test inputs and labels as gzipped IDX, test_logits.csv (weights/intsim.py
from the exported files) and import.json. Exit status 1 for a model or data
this accelerator cannot run (the message names the layer and the rule).
Needs torch; onnx for .onnx files.
"""
import os
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export  # noqa: E402
import intsim  # noqa: E402
import qlstm  # noqa: E402
import train  # noqa: E402

MAX_LAYERS = 3


class ImportError_(Exception):
    """A model or data file this accelerator cannot run: the message says which and why."""


def log(msg):
    print(msg, flush=True)


# ----------------------------------------------------------------------------
# the float model, as plain arrays: {"conv": (w [O, I, 3], b [O]) or None,
#   "layers": [(w_ih [4H, In], w_hh [4H, H], b_ih [4H], b_hh [4H])] in PyTorch
#   gate order (i, f, g, o), "fc": (w [C, H], b [C])}

def from_state_dict(path, renames):
    try:
        sd = torch.load(path, map_location="cpu")
    except Exception as e:  # a corrupt or non-torch file
        raise ImportError_("%s: not a PyTorch file torch.load can read (%s)" % (path, e))
    if isinstance(sd, torch.nn.Module):
        sd = sd.state_dict()
    if not isinstance(sd, dict) or not all(isinstance(v, torch.Tensor) for v in sd.values()):
        raise ImportError_("%s: expected a state_dict (a dict of tensors saved with torch.save)" % path)
    sd = {k: v for k, v in sd.items()}
    for old, new in renames:
        sd = {(new + k[len(old):] if k.startswith(old) else k): v for k, v in sd.items()}
    arr = {k: v.detach().float().numpy() for k, v in sd.items()}
    where = "%s (state_dict)" % path

    unsupported = [(r"(^|\.)gru[._]", "a GRU"),
                   (r"_reverse$", "a bidirectional LSTM (weights *_reverse)"),
                   (r"weight_hr_l\d+", "an LSTM with a projection (proj_size > 0)"),
                   (r"(^|\.)(attn|attention|self_attn|mha)[._]|in_proj_weight", "attention"),
                   (r"(^|\.)rnn[._]", "an Elman RNN (nn.RNN)")]
    for k in arr:
        for pat, what in unsupported:
            if re.search(pat, k):
                raise ImportError_("%s: parameter %s is %s; this accelerator runs unidirectional nn.LSTM "
                                   "layers with sigmoid/tanh (docs/import.md, 'What can be imported')"
                                   % (where, k, what))
    known = set()
    layers = []
    for l in range(MAX_LAYERS + 1):
        names = ["lstm.%s_l%d" % (n, l) for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        if names[0] not in arr:
            break
        if l == MAX_LAYERS:
            raise ImportError_("%s: %s: more than %d LSTM layers (the accelerator stacks 1 to %d)"
                               % (where, names[0], MAX_LAYERS, MAX_LAYERS))
        for n in names[:2]:
            if n not in arr:
                raise ImportError_("%s: %s missing" % (where, n))
        H = arr[names[1]].shape[1]
        b_ih = arr.get(names[2], np.zeros(4 * H, np.float32))
        b_hh = arr.get(names[3], np.zeros(4 * H, np.float32))
        layers.append((arr[names[0]], arr[names[1]], b_ih, b_hh))
        known.update(names)
    if not layers:
        raise ImportError_("%s: no lstm.weight_ih_l0: the LSTM must be an nn.LSTM named 'lstm' "
                           "(or rename its keys with --map OLD=NEW, e.g. --map rnn.=lstm.)" % where)
    conv = None
    if "conv.weight" in arr:
        conv = (arr["conv.weight"], arr.get("conv.bias", np.zeros(arr["conv.weight"].shape[0], np.float32)))
        known.update(["conv.weight", "conv.bias"])
    if "fc.weight" not in arr:
        raise ImportError_("%s: no fc.weight: the head must be an nn.Linear named 'fc' (or use --map)" % where)
    fc = (arr["fc.weight"], arr.get("fc.bias", np.zeros(arr["fc.weight"].shape[0], np.float32)))
    known.update(["fc.weight", "fc.bias"])
    extra = sorted(k for k in arr if k not in known and not k.endswith("num_batches_tracked"))
    if extra:
        raise ImportError_("%s: parameter %s belongs to no layer this accelerator has (nn.LSTM 'lstm', "
                           "nn.Conv1d 'conv', nn.Linear 'fc'); rename with --map or remove it" % (where, extra[0]))
    return {"conv": conv, "layers": layers, "fc": fc, "source": where}


ONNX_GLUE = {"Transpose", "Squeeze", "Unsqueeze", "Gather", "Slice", "Shape", "Constant", "Identity",
             "Reshape", "Cast", "ConstantOfShape", "Concat", "Flatten", "Softmax", "Expand"}


def from_onnx(path):
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        raise ImportError_("%s: reading ONNX needs the onnx package (Debian: python3-onnx)" % path)
    try:
        model = onnx.load(path)
    except Exception as e:
        raise ImportError_("%s: not an ONNX model onnx.load can read (%s)" % (path, e))
    g = model.graph
    init = {t.name: numpy_helper.to_array(t).astype(np.float32) for t in g.initializer}
    for n in g.node:  # constants produced by nodes (torch exports some weights this way)
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    init[n.output[0]] = numpy_helper.to_array(a.t).astype(np.float32)

    def attr(n, name, default=None):
        for a in n.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    def weight(n, i):
        if len(n.input) <= i or not n.input[i]:
            return None
        if n.input[i] not in init:
            raise ImportError_("%s: node %s (%s): input %s is not a constant weight"
                               % (path, n.name, n.op_type, n.input[i]))
        return init[n.input[i]]

    conv, layers, fc, seen_pool, pending_mm = None, [], None, False, None
    for n in g.node:
        op, where = n.op_type, "%s: node %s (%s)" % (path, n.name or "?", n.op_type)
        if op == "LSTM":
            if attr(n, "direction", b"forward") not in (b"forward", "forward"):
                raise ImportError_("%s: direction %s; only forward (unidirectional) LSTMs run here"
                                   % (where, attr(n, "direction").decode()))
            acts = [a.decode() if isinstance(a, bytes) else a for a in (attr(n, "activations") or [])]
            if acts and acts != ["Sigmoid", "Tanh", "Tanh"]:
                raise ImportError_("%s: activations %s; the accelerator's LSTM is sigmoid/tanh "
                                   "(replaced by hsig/ptanh when importing)" % (where, acts))
            if attr(n, "clip") is not None or attr(n, "input_forget", 0):
                raise ImportError_("%s: clip / input_forget are not supported" % where)
            W, R, B = weight(n, 1), weight(n, 2), weight(n, 3)
            if len(n.input) > 7 and n.input[7]:
                raise ImportError_("%s: peephole weights (P) are not supported" % where)
            H = int(attr(n, "hidden_size", R.shape[-1]))
            # ONNX gate order i, o, f, c -> PyTorch / SPEC i, f, g(c), o
            perm = np.concatenate([np.arange(0, H), np.arange(2 * H, 3 * H), np.arange(3 * H, 4 * H),
                                   np.arange(H, 2 * H)])
            b = B[0] if B is not None else np.zeros(8 * H, np.float32)
            layers.append((W[0][perm], R[0][perm], b[:4 * H][perm], b[4 * H:][perm]))
        elif op == "GRU" or op == "RNN":
            raise ImportError_("%s: a %s layer; this accelerator runs LSTM layers only" % (where, op))
        elif op == "Conv":
            if layers or conv is not None:
                raise ImportError_("%s: a Conv after the LSTM or a second Conv; the front end is one "
                                   "Conv1d + ReLU + MaxPool1d(2) before the LSTM" % where)
            w = weight(n, 1)
            ks = list(attr(n, "kernel_shape", w.shape[2:]))
            if len(ks) != 1 or ks[0] != 3:
                raise ImportError_("%s: kernel %s; the Conv1d front end has kernel 3 (padding 1, stride 1)"
                                   % (where, ks))
            if list(attr(n, "pads", [1, 1])) != [1, 1] or list(attr(n, "strides", [1])) != [1] or \
                    attr(n, "group", 1) != 1 or list(attr(n, "dilations", [1])) != [1]:
                raise ImportError_("%s: pads %s, strides %s, group %s: the front end is padding 1, stride 1, "
                                   "one group" % (where, attr(n, "pads"), attr(n, "strides"), attr(n, "group")))
            b = weight(n, 2)
            conv = (w, b if b is not None else np.zeros(w.shape[0], np.float32))
        elif op == "Relu":
            if conv is None or layers:
                raise ImportError_("%s: a ReLU that does not follow the Conv1d front end" % where)
        elif op == "MaxPool":
            if conv is None or layers or list(attr(n, "kernel_shape", [])) != [2] or \
                    list(attr(n, "strides", [2])) != [2]:
                raise ImportError_("%s: the front end pools with MaxPool1d(2) (kernel 2, stride 2) "
                                   "after Conv1d and ReLU" % where)
            seen_pool = True
        elif op == "Gemm":
            if not layers:
                raise ImportError_("%s: a Gemm before the LSTM; the head is one Linear on h_T" % where)
            w, b = weight(n, 1), weight(n, 2)
            if not attr(n, "transB", 0):
                w = w.T
            fc = (w * float(attr(n, "alpha", 1.0)),
                  (b if b is not None else np.zeros(w.shape[0], np.float32)) * float(attr(n, "beta", 1.0)))
        elif op == "MatMul":
            if not layers:
                raise ImportError_("%s: a MatMul before the LSTM; the head is one Linear on h_T" % where)
            pending_mm = weight(n, 1).T  # x @ W^T: the initializer is W^T
            fc = (pending_mm, np.zeros(pending_mm.shape[0], np.float32))
        elif op == "Add" and pending_mm is not None:
            b = init.get(n.input[1], init.get(n.input[0]))
            if b is None:
                raise ImportError_("%s: the head's bias is not a constant" % where)
            fc = (pending_mm, b)
            pending_mm = None
        elif op in ONNX_GLUE:
            continue
        else:
            raise ImportError_("%s: operator %s is not a layer this accelerator has (LSTM, Conv, Relu, "
                               "MaxPool, Gemm, MatMul + Add)" % (where, op))
    if not layers:
        raise ImportError_("%s: no LSTM node" % path)
    if len(layers) > MAX_LAYERS:
        raise ImportError_("%s: %d LSTM layers (the accelerator stacks 1 to %d)" % (path, len(layers), MAX_LAYERS))
    if conv is not None and not seen_pool:
        raise ImportError_("%s: a Conv front end without MaxPool(2)" % path)
    if fc is None:
        raise ImportError_("%s: no Gemm or MatMul head after the LSTM" % path)
    return {"conv": conv, "layers": layers, "fc": fc, "source": "%s (ONNX)" % path}


def check_shapes(m, c, k, T):
    """Refuses what the accelerator cannot build, naming the layer and the rule."""
    src = m["source"]
    In = m["conv"][0].shape[1] if m["conv"] is not None else m["layers"][0][0].shape[1]
    if m["conv"] is not None:
        if m["conv"][0].ndim != 3 or m["conv"][0].shape[2] != 3:
            raise ImportError_("%s: conv weight of shape %s: the Conv1d front end has kernel 3 (weight "
                               "[out, in, 3], padding 1, stride 1)" % (src, list(m["conv"][0].shape)))
        O = m["conv"][0].shape[0]
        if T % 2:
            raise ImportError_("%s: conv front end: T = %d steps, MaxPool1d(2) needs an even T" % (src, T))
        if O % c:
            raise ImportError_("%s: conv: %d output channels (the LSTM's input size) is not a multiple of "
                               "c = %d (SPEC Part A: I and H are multiples of c); pick --c" % (src, O, c))
    prev = m["conv"][0].shape[0] if m["conv"] is not None else In
    for l, (w_ih, w_hh, _, _) in enumerate(m["layers"]):
        H = w_hh.shape[1]
        if w_hh.shape[0] in (H, 3 * H):
            # An nn.GRU (3 gates) or nn.RNN (1) under the LSTM's key names.
            kind = "a GRU (3 gates: r, z, n)" if w_hh.shape[0] == 3 * H else "an Elman RNN (1 gate)"
            raise ImportError_("%s: layer %d: weight_hh has %d rows for hidden size %d: %s, not an LSTM (4 gates); "
                               "this accelerator runs nn.LSTM layers only (docs/import.md, 'What can be imported')"
                               % (src, l + 1, w_hh.shape[0], H, kind))
        if w_ih.shape != (4 * H, prev) or w_hh.shape != (4 * H, H):
            raise ImportError_("%s: LSTM layer %d: weight_ih %s, weight_hh %s do not chain (input %d, hidden %d)"
                               % (src, l + 1, w_ih.shape, w_hh.shape, prev, H))
        for what, v in (("input size", prev), ("hidden size", H)):
            if v % c:
                raise ImportError_("%s: LSTM layer %d: %s %d is not a multiple of c = %d (SPEC Part A: I and H "
                                   "are multiples of the group size c); pick --c, a divisor of every size"
                                   % (src, l + 1, what, v, c))
        prev = H
    if m["fc"][0].shape[1] != prev:
        raise ImportError_("%s: fc: %d inputs, the last LSTM layer has H = %d" % (src, m["fc"][0].shape[1], prev))
    if not 1 <= k <= c <= 16:
        raise ImportError_("--c %d --k %d: need 1 <= k <= c <= 16" % (c, k))
    if m["fc"][0].shape[0] < 2:
        raise ImportError_("%s: fc: %d classes; a classifier needs at least 2" % (src, m["fc"][0].shape[0]))
    return In


# ----------------------------------------------------------------------------
# data and the input scale

def load_data(path):
    try:
        d = np.load(path)
    except Exception as e:
        raise ImportError_("%s: not an .npz numpy archive (%s)" % (path, e))
    need = ["x_train", "y_train", "x_test", "y_test"]
    missing = [k for k in need if k not in d.files]
    if missing:
        raise ImportError_("%s: missing %s (needs %s)" % (path, ", ".join(missing), ", ".join(need)))
    x_tr, y_tr, x_te, y_te = (d[k] for k in need)
    for name, x, y in (("train", x_tr, y_tr), ("test", x_te, y_te)):
        if x.ndim != 3:
            raise ImportError_("%s: x_%s has shape %s; expected N x T x I" % (path, name, x.shape))
        if y.shape != (x.shape[0],) or not np.issubdtype(y.dtype, np.integer):
            raise ImportError_("%s: y_%s must be N integer labels (shape %s, dtype %s)"
                               % (path, name, y.shape, y.dtype))
        if not np.all(np.isfinite(x)):
            raise ImportError_("%s: x_%s holds NaN or infinite values" % (path, name))
    if x_tr.shape[1:] != x_te.shape[1:]:
        raise ImportError_("%s: x_train is N x %s, x_test N x %s" % (path, x_tr.shape[1:], x_te.shape[1:]))
    return x_tr.astype(np.float64), y_tr.astype(np.int64), x_te.astype(np.float64), y_te.astype(np.int64)


def input_encoding(x_tr):
    """How the inputs reach the accelerator (docs/import.md, "Input scale"):
    ('pixels', a) when every value is an integer 0..255 times a (a = 1 or
    1/255: byte images, kept as bytes, x = p/256 in the accelerator); else
    ('words', s): Q2.13 words round(x * s * 8192), s the power of two that puts
    the 99.9th percentile of |x_train| in [1, 2) (outliers up to 4/s kept,
    beyond saturated). Either way the accelerator sees x * scale, and the first
    layer's weights are divided by the scale so the float model is unchanged."""
    for a in (1.0, 1.0 / 255.0):
        p = x_tr / a
        if p.min() >= -1e-6 and p.max() <= 255 + 1e-6 and np.allclose(p, np.round(p), atol=1e-4):
            return "pixels", a, (1.0 / a) / 256.0
    q = float(np.quantile(np.abs(x_tr), 0.999))
    if q == 0:
        q = float(np.abs(x_tr).max()) or 1.0
    s = 2.0 ** math.floor(math.log2(2.0 / q))
    s = min(s, 2.0 ** 12)
    return "words", s, s


def encode(x, enc):
    kind, a, scale = enc
    if kind == "pixels":
        return np.clip(np.round(x / a), 0, 255).astype(np.uint8)
    return np.clip(np.round(x * scale * qlstm.Q), -32768, 32767).astype(np.int16)


def write_idx(path, arr):
    """Gzipped IDX file (docs/formats.md): type 0x08 (uint8) or 0x0B (int16,
    big-endian); mtime 0, so the same data gives the same file."""
    code = {np.dtype(np.uint8): 0x08, np.dtype(np.int16): 0x0B}[arr.dtype]
    head = bytes([0, 0, code, arr.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in arr.shape)
    body = arr.astype(">i2").tobytes() if code == 0x0B else arr.tobytes()
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(head + body)


# ----------------------------------------------------------------------------
# the float model with the user's activations, and the mapping into qlstm.Net

def float_logits(m, x, sigmoid=torch.sigmoid, tanh=torch.tanh, batch=2000):
    """The imported float model as the user trained it (real-valued x)."""
    out = []
    with torch.no_grad():
        for s in range(0, len(x), batch):
            h_in = torch.from_numpy(x[s:s + batch]).float()
            if m["conv"] is not None:
                w, b = (torch.from_numpy(v) for v in m["conv"])
                y = F.max_pool1d(F.relu(F.conv1d(h_in.transpose(1, 2), w, b, padding=1)), 2)
                h_in = y.transpose(1, 2)
            for (w_ih, w_hh, b_ih, b_hh) in m["layers"]:
                W, U = torch.from_numpy(w_ih), torch.from_numpy(w_hh)
                b = torch.from_numpy(b_ih + b_hh)
                H = U.shape[1]
                h = h_in.new_zeros(h_in.shape[0], H)
                c = h_in.new_zeros(h_in.shape[0], H)
                hs = []
                for t in range(h_in.shape[1]):
                    a = h_in[:, t] @ W.t() + h @ U.t() + b
                    ai, af, ag, ao = a.split(H, dim=1)
                    c = sigmoid(af) * c + sigmoid(ai) * tanh(ag)
                    h = sigmoid(ao) * tanh(c)
                    hs.append(h)
                h_in = torch.stack(hs, dim=1)
            w, b = (torch.from_numpy(v) for v in m["fc"])
            out.append(h @ w.t() + b)
    return torch.cat(out).numpy()


def build_net(m, In, T, c, k, scale):
    kind = "cnn-lstm" if m["conv"] is not None else "lstm"
    Hs = [w_hh.shape[1] for _, w_hh, _, _ in m["layers"]]
    classes = m["fc"][0].shape[0]
    cnn_out = m["conv"][0].shape[0] if m["conv"] is not None else In
    net = qlstm.Net(kind, I=In, T=T, H=Hs[0] if len(Hs) == 1 else Hs, classes=classes, cnn_out=cnn_out, c=c, k=k)
    with torch.no_grad():
        # The accelerator sees x * scale: the first layer's weights take 1/scale.
        if m["conv"] is not None:
            net.conv_w.copy_(torch.from_numpy(m["conv"][0] / scale))
            net.conv_b.copy_(torch.from_numpy(m["conv"][1]))
        for l, (w_ih, w_hh, b_ih, b_hh) in enumerate(m["layers"]):
            p = net.layer(l)
            p["weight_ih"].copy_(torch.from_numpy(w_ih / (scale if l == 0 and m["conv"] is None else 1.0)))
            p["weight_hh"].copy_(torch.from_numpy(w_hh))
            p["bias_ih"].copy_(torch.from_numpy(b_ih))
            p["bias_hh"].copy_(torch.from_numpy(b_hh))
        net.fc_w.copy_(torch.from_numpy(m["fc"][0]))
        net.fc_b.copy_(torch.from_numpy(m["fc"][1]))
    return net


def write_manifest(net, out, files, input_kind):
    """export's manifest plus "input": "pixels" or "words", what test_inputs.idx.gz
    holds (IDX 0x08 bytes or 0x0B Q2.13 words), before "formats"."""
    m = export.manifest_dict(net, files, out)
    keys = list(m)
    keys.insert(keys.index("formats"), "input")
    m["input"] = input_kind
    export.dump_manifest({key: m[key] for key in keys}, os.path.join(out, "manifest.json"))


def acc_of(lg, y):
    return float((np.argmax(lg, axis=1) == y).mean())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="src", required=True, help="state_dict (torch.save) or .onnx file")
    ap.add_argument("--data", required=True, help="npz with x_train, y_train, x_test, y_test")
    ap.add_argument("--out", required=True, help="model directory to write")
    ap.add_argument("--epochs", type=int, default=3, help="epochs of each fine-tuning stage (default 3)")
    ap.add_argument("--c", type=int, default=7, help="group size of the top-k pruning (default 7)")
    ap.add_argument("--k", type=int, default=4, help="weights kept per group (default 4)")
    ap.add_argument("--map", action="append", default=[], metavar="OLD=NEW",
                    help="rename state_dict keys starting with OLD (repeatable), e.g. --map rnn.=lstm.")
    ap.add_argument("--lr", type=float, nargs=3, default=[1e-3, 1e-3, 2e-4], metavar=("HARD", "PRUNE", "QAT"))
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--val", type=float, default=0.1, help="fraction of x_train held out for model selection")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    try:
        return run(a)
    except ImportError_ as e:
        print("import.py: %s" % e, file=sys.stderr)
        return 1


def run(a):
    t_start = time.time()
    torch.set_num_threads(a.threads)
    torch.use_deterministic_algorithms(True)
    train.set_seeds(a.seed)
    renames = []
    for r in a.map:
        if "=" not in r:
            raise ImportError_("--map %s: expected OLD=NEW" % r)
        renames.append(tuple(r.split("=", 1)))
    if not os.path.exists(a.src):
        raise ImportError_("%s: no such file" % a.src)
    m = from_onnx(a.src) if a.src.endswith(".onnx") else from_state_dict(a.src, renames)
    x_tr, y_tr, x_te, y_te = load_data(a.data)
    N, T, I = x_tr.shape
    In = check_shapes(m, a.c, a.k, T)
    if In != I:
        raise ImportError_("%s: the model takes %d inputs per step, %s has I = %d" % (m["source"], In, a.data, I))
    classes = m["fc"][0].shape[0]
    for name, y in (("y_train", y_tr), ("y_test", y_te)):
        if y.min() < 0 or y.max() >= classes:
            raise ImportError_("%s: %s has labels outside 0..%d (the model has %d classes)"
                               % (a.data, name, classes - 1, classes))
    Hs = [w_hh.shape[1] for _, w_hh, _, _ in m["layers"]]
    log("model: %s; %s%d LSTM layer(s) H %s, %d classes; data: %d train, %d test, T %d, I %d"
        % (m["source"], "Conv1d %d -> " % m["conv"][0].shape[0] if m["conv"] is not None else "",
           len(Hs), Hs, classes, N, len(x_te), T, I))

    res = {"source": m["source"], "data": a.data, "kind": "cnn-lstm" if m["conv"] is not None else "lstm",
           "H": Hs, "I": I, "T": T, "classes": classes, "c": a.c, "k": a.k, "seed": a.seed,
           "epochs_per_stage": a.epochs, "accuracy": {}, "time_s": {}}
    lg = float_logits(m, x_te)
    res["accuracy"]["float"] = acc_of(lg, y_te)
    log("float (sigmoid/tanh, as trained): test %.2f%%" % (100 * res["accuracy"]["float"]))

    enc = input_encoding(x_tr)
    res["input"] = {"kind": enc[0], "scale": enc[2]}
    log("inputs: %s" % ("byte images (IDX 0x08): x = p/256 in the accelerator, model input scaled by %.6g" % enc[2]
                        if enc[0] == "pixels" else
                        "Q2.13 words (IDX 0x0B): x * %g (a power of two; 99.9%% of |x_train| below %.3g)"
                        % (enc[2], 2.0 / enc[2])))
    X_tr, X_te = encode(x_tr, enc), encode(x_te, enc)
    sat = float(np.mean((X_tr == 32767) | (X_tr == -32768))) if enc[0] == "words" else 0.0
    res["input"]["saturated_fraction"] = sat

    net = build_net(m, In, T, a.c, a.k, enc[2])
    net.project()
    to_t = lambda v: torch.from_numpy(v.astype(np.int16) if v.dtype == np.int16 else v.astype(np.uint8))  # noqa
    perm = np.random.RandomState(a.seed).permutation(N)
    nval = max(1, int(round(a.val * N)))
    va_i, tr_i = perm[:nval], perm[nval:]
    Xtr, Ytr = to_t(X_tr[tr_i]), torch.from_numpy(y_tr[tr_i])
    Xva, Yva = to_t(X_tr[va_i]), torch.from_numpy(y_tr[va_i])
    Xte, Yte = to_t(X_te), torch.from_numpy(y_te)
    ev = lambda fwd: train.accuracy(train.predict(net, fwd, Xte), Yte)  # noqa: E731
    res["accuracy"]["hard"] = ev(net.forward_float)
    log("hard activations (hsig/ptanh), input encoding and parameter clamps, before fine-tuning: test %.2f%%"
        % (100 * res["accuracy"]["hard"]))

    t0 = time.time()
    stages = [("hard", net.forward_float, None), ("pruned", net.forward_float, net.prune),
              ("qat", net.forward_qat, None)]
    for si, (name, fwd, before) in enumerate(stages):
        if before:
            before()
        va, ep, dt = train.train_stage(name, net, fwd, Xtr, Ytr, Xva, Yva, a.epochs, a.lr[si], a.batch,
                                       a.seed + 1 + si)
        res["accuracy"][name + "_finetuned"] = ev(fwd)
        res["time_s"][name] = round(dt, 1)
        log("%s: val %.2f%% (epoch %d), test %.2f%%" % (name, 100 * va, ep, 100 * res["accuracy"][name + "_finetuned"]))
    res["time_s"]["finetune"] = round(time.time() - t0, 1)

    out = a.out
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        p = os.path.join(out, f)
        if os.path.isfile(p) and (f.endswith((".mem", ".coe", ".csv", ".json", ".idx.gz")) or f == "README.md"):
            os.remove(p)
    mem_files = export.write_memories(net, out)
    write_manifest(net, out, mem_files, enc[0])
    im = intsim.load_model(out)
    int_lg = intsim.logits(im, X_te)
    res["accuracy"]["integer"] = acc_of(int_lg, y_te)
    qat_lg = train.predict(net, lambda x: net.forward_qat(x, return_int=True), Xte).numpy().astype(np.int64)
    res["qat_vs_integer_logit_mismatches"] = int((qat_lg != int_lg).any(axis=1).sum())
    intsim.write_logits_csv(os.path.join(out, "test_logits.csv"), y_te, int_lg)
    write_idx(os.path.join(out, "test_inputs.idx.gz"), X_te)
    write_idx(os.path.join(out, "test_labels.idx.gz"), y_te.astype(np.uint8))
    res["time_s"]["total"] = round(time.time() - t_start, 1)
    res["command"] = "/usr/bin/python3 " + " ".join(shlex.quote(v) for v in [os.path.relpath(sys.argv[0])] + sys.argv[1:])
    with open(os.path.join(out, "import.json"), "w", newline="\n") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    write_manifest(net, out, mem_files + ["test_logits.csv", "import.json"], enc[0])
    A = res["accuracy"]
    log("float %.2f%%  hard activations %.2f%%  integer %.2f%%  (fine-tuning %.0f s; QAT and intsim logits "
        "differ on %d inputs)" % (100 * A["float"], 100 * A["hard"], 100 * A["integer"], res["time_s"]["finetune"],
                                  res["qat_vs_integer_logit_mismatches"]))
    log("wrote %s: model, test_inputs.idx.gz (%s), test_labels.idx.gz, test_logits.csv, import.json"
        % (out, "IDX 0x0B Q2.13 words" if enc[0] == "words" else "IDX 0x08 bytes"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
