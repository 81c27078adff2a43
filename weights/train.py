#!/usr/bin/python3
"""Train, prune, quantize and export the sparse quantized (CNN-)LSTM on Fashion-MNIST.

    /usr/bin/python3 weights/train.py --kind lstm     --out weights/fmnist-lstm
    /usr/bin/python3 weights/train.py --kind cnn-lstm --out weights/fmnist-cnn-lstm
    /usr/bin/python3 weights/train.py --kind lstm --H 42,28 --out weights/fmnist-lstm2   # 2 stacked layers

--H 56,28 stacks LSTM layers (hidden size per layer, layer 1 first; SPEC Part A
"Stacked layers"); the default, one layer of 28, is the single-layer network.

Stages (each one retrains, model selection on a validation split of the
training set, never on the test set):
  a. float model with the SPEC's hard activations (hsig, ptanh) and Q2.13 clamps
  b. structured top-k pruning (c=7, k=4) of every weight matrix, retrain
  c. quantization-aware retraining whose forward pass is the exact integer
     arithmetic of SPEC Part A (log2 LSTM weights, int4 FC, Q2.13 biases/conv)
  d. export (docs/formats.md) and
  e. integer evaluation of the exported files with intsim.py (numpy, bit-exact
     SPEC Part A), which writes test_logits.csv.
Needs torch (run with /usr/bin/python3).
"""
import os
# 2 OpenMP threads that busy-wait are very slow when the cores are shared with
# other jobs (a C++ build); passive waiting costs nothing when they are not.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import copy  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export  # noqa: E402
import fmnist_data  # noqa: E402
import intsim  # noqa: E402
import qlstm  # noqa: E402

DEFAULTS = {
    "lstm": dict(epochs_float=24, epochs_prune=8, epochs_qat=10, lr_float=5e-3, lr_prune=2e-3, lr_qat=4e-4),
    "cnn-lstm": dict(epochs_float=20, epochs_prune=8, epochs_qat=10, lr_float=5e-3, lr_prune=2e-3, lr_qat=4e-4),
}


def log(msg):
    print(msg, flush=True)


def set_seeds(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@torch.no_grad()
def predict(model, forward, X, batch=2500):
    model.eval()
    out = [forward(X[s:s + batch]).detach() for s in range(0, len(X), batch)]
    model.train()
    return torch.cat(out)


def accuracy(lg, Y):
    cls = np.argmax(lg.cpu().numpy(), axis=1)          # lowest index on ties, as SPEC
    return float((cls == Y.numpy()).mean())


def train_stage(name, model, forward, Xtr, Ytr, Xva, Yva, epochs, lr, batch, seed, clip=1.0):
    """Adam + per-step cosine decay to lr/20; returns (best val acc, epoch, seconds).
    The model is left at the state with the best validation accuracy."""
    t0 = time.time()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=lr)
    gen = torch.Generator().manual_seed(seed)
    n = len(Xtr)
    steps = epochs * ((n + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.05 + 0.95 * 0.5 * (1 + np.cos(np.pi * min(s, steps) / steps)))
    best = (-1.0, 0, None)
    for ep in range(1, epochs + 1):
        te = time.time()
        perm = torch.randperm(n, generator=gen)
        tot_loss, tot_ok = 0.0, 0
        for s in range(0, n, batch):
            idx = perm[s:s + batch]
            out = forward(Xtr[idx])
            y = Ytr[idx]
            loss = F.cross_entropy(out, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, clip)
            opt.step()
            sched.step()
            model.project()
            tot_loss += float(loss) * len(idx)
            tot_ok += int((out.detach().argmax(1) == y).sum())
        va = accuracy(predict(model, forward, Xva), Yva)
        mark = ""
        if va > best[0]:
            best = (va, ep, copy.deepcopy(model.state_dict()))
            mark = " *"
        log("[%s] epoch %2d/%d  loss %.4f  train %.2f%%  val %.2f%%  %.1fs  (stage %.0fs)%s"
            % (name, ep, epochs, tot_loss / n, 100.0 * tot_ok / n, 100 * va, time.time() - te,
               time.time() - t0, mark))
    model.load_state_dict(best[2])
    return best[0], best[1], time.time() - t0


def readme_text(kind, out, res, cmd, man):
    a = res["accuracy"]
    lines = [
        "# %s" % os.path.basename(os.path.normpath(out)),
        "",
        "Sparse quantized %s classifier for Fashion-MNIST, exported in the format of"
        % ("LSTM" if kind == "lstm" else "CNN-LSTM"),
        "`docs/formats.md`; numerics per SPEC Part A.",
        "",
    ]
    Hs = res.get("H", [28])
    if len(Hs) == 1:
        if kind == "lstm":
            lines.append("Model: LSTM (input 28 = image columns, hidden 28, 28 steps = image rows, bias), "
                         "FC 28 -> 10 on h_T, arg-max.")
        else:
            lines.append("Model: Conv1d over the 28 image rows (28 input channels = image columns, 28 output "
                         "channels, kernel 3, padding 1) + ReLU + max-pool 2 -> LSTM (input 28, hidden 28, "
                         "14 steps) -> FC 28 -> 10 on h_T, arg-max.")
    else:
        ins = [28] + Hs[:-1]
        stack = "%d stacked LSTM layers (%s; bias; %s)" % (
            len(Hs), "28 steps = image rows" if kind == "lstm" else "14 steps",
            "; ".join("layer %d: input %d%s, hidden %d" % (l + 1, ins[l],
                      " = image columns" if l == 0 and kind == "lstm" else "", Hs[l]) for l in range(len(Hs))))
        fc = "FC %d -> 10 on h_T of the last layer, arg-max." % Hs[-1]
        if kind == "lstm":
            lines.append("Model: %s, %s" % (stack, fc))
        else:
            lines.append("Model: Conv1d over the 28 image rows (28 input channels = image columns, 28 output "
                         "channels, kernel 3, padding 1) + ReLU + max-pool 2 -> %s -> %s" % (stack, fc))
        lines.append("Layer l > 1 reads h_t of layer l-1 at the same step; every layer starts from "
                     "h_0 = c_0 = 0 (SPEC Part A, \"Stacked layers\"). Manifest version 2 "
                     "(`\"H\": %s`), layer l's LSTM files prefixed `l<l>_` (docs/formats.md)."
                     % json.dumps(Hs))
        lines.append("")
        lines.append("Kept LSTM weights (4 gates x rows x (input + hidden) / c x k): %s; FC %d."
                     % (", ".join("layer %d %d" % (l + 1, 4 * Hs[l] * (ins[l] + Hs[l]) // 7 * 4)
                                  for l in range(len(Hs))), 10 * Hs[-1] // 7 * 4))
        lines.append("")
    lines += [
        "Top-k pruning c = 7, k = 4 on every weight matrix; LSTM weights log2 (sign * 2^-n, n = 0..7), "
        "FC weights int4 (q/8), biases%s Q2.13." % (" and conv weights" if kind == "cnn-lstm" else ""),
        "",
        "## Accuracy (10,000 Fashion-MNIST test images)",
        "",
        "| stage | accuracy |",
        "|---|---|",
        "| float, hard activations (hsig/ptanh) | %.2f%% |" % (100 * a["float"]),
        "| top-k pruned (c=7, k=4), float | %.2f%% |" % (100 * a["pruned"]),
        "| QAT (torch forward, integer-exact) | %.2f%% |" % (100 * a["qat"]),
        "| **integer (SPEC Part A, from the exported files)** | **%.2f%%** |" % (100 * a["integer"]),
        "",
        "Integer accuracy is computed by `weights/intsim.py` from the exported `.mem` files; "
        "its logits are `test_logits.csv`.",
        "",
        "Seed: %d (torch, numpy, python `random`; validation split of %d training images, "
        "model selection on it per stage). Threads: %d."
        % (res["seed"], res["validation_images"], res["threads"]),
        "",
        "Training time: %.1f min total (float %.0f s, pruned %.0f s, QAT %.0f s, export + integer "
        "evaluation %.0f s) on %s." % (res["time_s"]["total"] / 60, res["time_s"]["float"],
                                        res["time_s"]["pruned"], res["time_s"]["qat"],
                                        res["time_s"]["export"], res["machine"]),
        "",
        "Epochs: float %d, pruned %d, QAT %d (batch %d)." % (
            res["epochs"]["float"], res["epochs"]["pruned"], res["epochs"]["qat"], res["batch"]),
        "",
        "Reproduce (from the repository root; torch %s, numpy %s):" % (res["torch_version"], res["numpy_version"]),
        "",
        "    %s" % cmd,
        "",
        "Rerunning produces identical memory files and test_logits.csv; training.json, "
        "README.md (times) and hence manifest.json differ only in the recorded times.",
        "",
        "Check the export independently (numpy only):",
        "",
        "    /usr/bin/python3 weights/intsim.py %s" % out,
        "",
        "Files: %s." % ", ".join("`%s`" % f for f in sorted(man["files"]) + ["manifest.json"]),
        "",
    ]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", required=True, choices=["lstm", "cnn-lstm"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--H", default="28", metavar="H1[,H2,...]",
                    help="hidden size per LSTM layer, layer 1 first, comma-separated (default 28: one layer); "
                         "each a multiple of c = 7")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, nargs=3, metavar=("FLOAT", "PRUNE", "QAT"),
                    help="epochs per stage (default per kind)")
    ap.add_argument("--lr", type=float, nargs=3, metavar=("FLOAT", "PRUNE", "QAT"))
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--val", type=int, default=5000, help="validation images taken from the training set")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", default=fmnist_data.DATA_DIR)
    args = ap.parse_args()
    try:
        Hs = [int(v) for v in args.H.split(",")]
        if any(h <= 0 or h % 7 for h in Hs):
            raise ValueError
    except ValueError:
        ap.error("--H %s: expected positive multiples of c = 7 separated by commas, e.g. 56,28" % args.H)

    t_start = time.time()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    set_seeds(args.seed)
    cfg = dict(DEFAULTS[args.kind])
    if args.epochs:
        cfg.update(epochs_float=args.epochs[0], epochs_prune=args.epochs[1], epochs_qat=args.epochs[2])
    if args.lr:
        cfg.update(lr_float=args.lr[0], lr_prune=args.lr[1], lr_qat=args.lr[2])

    img, lab = fmnist_data.load("train", args.data)
    timg, tlab = fmnist_data.load("t10k", args.data)
    perm = np.random.RandomState(args.seed).permutation(len(img))
    va_i, tr_i = perm[:args.val], perm[args.val:]
    Xtr, Ytr = torch.from_numpy(img[tr_i].copy()), torch.from_numpy(lab[tr_i].copy())
    Xva, Yva = torch.from_numpy(img[va_i].copy()), torch.from_numpy(lab[va_i].copy())
    Xte, Yte = torch.from_numpy(timg.copy()), torch.from_numpy(tlab.copy())
    log("kind %s, H %s, train %d, val %d, test %d, seed %d, threads %d, torch %s"
        % (args.kind, ",".join(map(str, Hs)), len(Xtr), len(Xva), len(Xte), args.seed, args.threads,
           torch.__version__))

    model = qlstm.Net(args.kind, H=Hs[0] if len(Hs) == 1 else Hs)
    model.project()
    res = {"kind": args.kind}
    if len(Hs) > 1:                               # one layer: training.json keys as before
        res["H"] = Hs
    res.update({"seed": args.seed,
           "seeds": {"torch_numpy_random": args.seed, "validation_split": args.seed,
                     "shuffle_float": args.seed + 1, "shuffle_pruned": args.seed + 2,
                     "shuffle_qat": args.seed + 3, "init": "torch.manual_seed(%d) before building the model"
                     % args.seed},
           "validation_images": args.val, "batch": args.batch,
           "threads": args.threads, "torch_version": torch.__version__, "numpy_version": np.__version__,
           "python": platform.python_version(), "machine": "%d-core %s" % (os.cpu_count(), platform.machine()),
           "lr": {"float": cfg["lr_float"], "pruned": cfg["lr_prune"], "qat": cfg["lr_qat"]},
           "epochs": {"float": cfg["epochs_float"], "pruned": cfg["epochs_prune"], "qat": cfg["epochs_qat"]},
           "accuracy": {}, "val_accuracy": {}, "best_epoch": {}, "time_s": {}})

    # a. float, hard activations
    va, ep, dt = train_stage("float", model, model.forward_float, Xtr, Ytr, Xva, Yva,
                             cfg["epochs_float"], cfg["lr_float"], args.batch, args.seed + 1)
    res["accuracy"]["float"] = accuracy(predict(model, model.forward_float, Xte), Yte)
    res["val_accuracy"]["float"], res["best_epoch"]["float"], res["time_s"]["float"] = va, ep, dt
    log("float: val %.2f%% (epoch %d), test %.2f%%" % (100 * va, ep, 100 * res["accuracy"]["float"]))

    # b. top-k pruning, retrain
    model.prune()
    res["accuracy"]["pruned_before_retrain"] = accuracy(predict(model, model.forward_float, Xte), Yte)
    va, ep, dt = train_stage("pruned", model, model.forward_float, Xtr, Ytr, Xva, Yva,
                             cfg["epochs_prune"], cfg["lr_prune"], args.batch, args.seed + 2)
    res["accuracy"]["pruned"] = accuracy(predict(model, model.forward_float, Xte), Yte)
    res["val_accuracy"]["pruned"], res["best_epoch"]["pruned"], res["time_s"]["pruned"] = va, ep, dt
    log("pruned: val %.2f%% (epoch %d), test %.2f%% (%.2f%% before retraining)"
        % (100 * va, ep, 100 * res["accuracy"]["pruned"], 100 * res["accuracy"]["pruned_before_retrain"]))

    # c. quantization-aware retraining (integer-exact forward, STE)
    res["accuracy"]["quantized_before_qat"] = accuracy(predict(model, model.forward_qat, Xte), Yte)
    va, ep, dt = train_stage("qat", model, model.forward_qat, Xtr, Ytr, Xva, Yva,
                             cfg["epochs_qat"], cfg["lr_qat"], args.batch, args.seed + 3)
    qat_logits = predict(model, lambda x: model.forward_qat(x, return_int=True), Xte)
    res["accuracy"]["qat"] = accuracy(qat_logits, Yte)
    res["accuracy"]["qat_weights_float_arith"] = accuracy(predict(model, model.forward_qweights_float, Xte), Yte)
    res["val_accuracy"]["qat"], res["best_epoch"]["qat"], res["time_s"]["qat"] = va, ep, dt
    log("qat: val %.2f%% (epoch %d), test %.2f%% (%.2f%% before QAT; quantized weights with float "
        "arithmetic %.2f%%)" % (100 * va, ep, 100 * res["accuracy"]["qat"],
                               100 * res["accuracy"]["quantized_before_qat"],
                               100 * res["accuracy"]["qat_weights_float_arith"]))

    # d. export + e. integer evaluation from the exported files
    t0 = time.time()
    out = args.out
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):                     # stale files from an earlier export
        p = os.path.join(out, f)
        if os.path.isfile(p) and (f.endswith((".mem", ".coe", ".csv", ".json")) or f == "README.md"):
            os.remove(p)
    mem_files = export.write_memories(model, out)
    export.write_manifest(model, out, mem_files)
    int_acc, int_logits, _ = intsim.evaluate_dir(out, args.data, write=True)
    res["accuracy"]["integer"] = int_acc
    q = qat_logits.numpy().astype(np.int64)
    assert np.all(q == qat_logits.numpy()), "QAT logits not integers"
    mism = int((q != int_logits).any(axis=1).sum())
    res["qat_vs_integer_logit_mismatches"] = mism
    res["time_s"]["export"] = time.time() - t0
    res["time_s"]["total"] = time.time() - t_start
    res["gap_float_minus_integer_points"] = round(100 * (res["accuracy"]["float"] - int_acc), 2)
    log("integer (intsim, from files): test %.2f%%; images whose QAT logits differ from intsim: %d"
        % (100 * int_acc, mism))
    if mism:
        log("WARNING: torch QAT forward and intsim disagree")

    res["time_s"] = {k: round(v, 1) for k, v in res["time_s"].items()}
    cmd = "/usr/bin/python3 " + " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0])] + sys.argv[1:])
    res["command"] = cmd
    with open(os.path.join(out, "training.json"), "w", newline="\n") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    files = mem_files + ["test_logits.csv", "training.json"]
    with open(os.path.join(out, "README.md"), "w", newline="\n") as f:
        f.write(readme_text(args.kind, out, res, cmd, {"files": {k: 0 for k in files + ["README.md"]}}))
    man = export.write_manifest(model, out, files + ["README.md"])
    # final self-check: the directory loads with checksums and reproduces test_logits.csv
    acc2, lg2, _ = intsim.evaluate_dir(out, args.data, write=False)
    assert acc2 == int_acc and np.all(lg2 == int_logits)
    log("float %.2f%%  pruned %.2f%%  qat %.2f%%  integer %.2f%%  (gap %.2f points)  total %.1f min"
        % (100 * res["accuracy"]["float"], 100 * res["accuracy"]["pruned"], 100 * res["accuracy"]["qat"],
           100 * int_acc, res["gap_float_minus_integer_points"], res["time_s"]["total"] / 60))
    log("wrote %s (%d files)" % (out, len(man["files"]) + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
