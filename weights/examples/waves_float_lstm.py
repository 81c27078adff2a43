#!/usr/bin/python3
"""Worked example 2 of docs/import.md: a one-dimensional task with real-valued
inputs and five classes, a float model trained outside this project's training
code, then imported (weights/examples/README.md has the exact commands).

The data: noisy waveforms of five shapes, generated from --seed alone
(rng = numpy.random.default_rng(seed); the training set, 8000 examples, is
drawn first, then the test set, 1000 examples, from the same generator).
Every example is a window of 256 samples x[n], n = 0..255, t = n / 256 (the
window is one time unit), with these random parameters per example:

  label  y = a permutation (rng.permutation) of [0, 1, 2, 3, 4] repeated N / 5 times: balanced classes
  freq   f  ~ U(2, 10) cycles per window
  phase  ph ~ U(0, 2 pi)
  amp    A  ~ U(0.5, 2.5)
  offset d  ~ U(-0.5, 0.5)
  duty   D  ~ U(0.1, 0.3)   (drawn for every example, used by the pulse train only)
  noise  e[n] ~ N(0, sigma^2) independently per sample, sigma = --noise (default 0.5)

  p = 2 pi f t + ph
  0 sine         w = sin(p)
  1 square       w = +1 where sin(p) >= 0, else -1
  2 triangle     w = (2 / pi) arcsin(sin(p))
  3 sawtooth     w = 2 frac(p / 2 pi) - 1          (rising ramps)
  4 pulse train  w = +1 where frac(p / 2 pi) < D, else -1   (a rectangular wave with duty cycle D)

  x[n] = d + A w[n] + e[n]

Draw order (each vectorised over the N examples of the set, see make_set): the
label permutation, f, ph, A, d, D, then the N x 256 noise samples. The 256
samples are framed as T = 32 steps of I = 8 consecutive samples: x[s, t, i] =
x[8 t + i] of example s (float32). Values reach about +-4.5 (2.5 + 0.5 + noise),
so the importer's input-scale rule (docs/import.md, "Input scale") applies:
they become Q2.13 words scaled by a power of two.

The model: a plain PyTorch nn.LSTM(8, 16, batch_first=True) named `lstm` (one
layer, sigmoid/tanh, no pruning, no quantization) and an nn.Linear(16, 5)
head `fc` on h_T, trained with Adam (lr 3e-3, batch 64, --epochs epochs,
torch seed --seed). Writes into OUT:
  model.pt     the state_dict (torch.save)
  model.onnx   the same model exported with torch.onnx.export
  data.npz     x_train (8000 x 32 x 8 float32), y_train (int64), x_test (1000 x 32 x 8), y_test
  train.log    the lines printed while training

    /usr/bin/python3 weights/examples/waves_float_lstm.py --out OUT [--epochs 20] [--seed 1] [--data-only]
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

T, I = 32, 8
L = T * I                      # samples per example
CLASSES = ["sine", "square", "triangle", "sawtooth", "pulse train"]


def make_set(rng, n, noise):
    """n examples (n a multiple of 5) drawn from rng as the docstring says: x [n, 32, 8] float32, y [n] int64."""
    y = rng.permutation(np.arange(n) % len(CLASSES)).astype(np.int64)
    f = rng.uniform(2.0, 10.0, n)
    ph = rng.uniform(0.0, 2 * np.pi, n)
    amp = rng.uniform(0.5, 2.5, n)
    off = rng.uniform(-0.5, 0.5, n)
    duty = rng.uniform(0.1, 0.3, n)
    e = rng.normal(0.0, noise, (n, L))
    t = np.arange(L) / L
    p = 2 * np.pi * f[:, None] * t[None, :] + ph[:, None]
    frac = np.mod(p / (2 * np.pi), 1.0)
    shapes = [np.sin(p),                                      # 0 sine
              np.where(np.sin(p) >= 0, 1.0, -1.0),            # 1 square
              (2 / np.pi) * np.arcsin(np.sin(p)),             # 2 triangle
              2 * frac - 1,                                   # 3 sawtooth
              np.where(frac < duty[:, None], 1.0, -1.0)]      # 4 pulse train, duty cycle D
    w = np.choose(y[:, None], shapes)
    x = off[:, None] + amp[:, None] * w + e
    return x.reshape(n, T, I).astype(np.float32), y


def make_data(seed, n_train=8000, n_test=1000, noise=0.5):
    rng = np.random.default_rng(seed)
    x_tr, y_tr = make_set(rng, n_train, noise)
    x_te, y_te = make_set(rng, n_test, noise)
    return x_tr, y_tr, x_te, y_te


class Classifier(nn.Module):
    def __init__(self, I=I, H=16, classes=len(CLASSES)):
        super().__init__()
        self.lstm = nn.LSTM(I, H, batch_first=True)
        self.fc = nn.Linear(H, classes)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--H", type=int, default=16)
    ap.add_argument("--noise", type=float, default=0.5, help="standard deviation of the additive noise")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data-only", action="store_true", help="only write data.npz (to import the committed model)")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    torch.use_deterministic_algorithms(True)
    os.makedirs(a.out, exist_ok=True)
    x_tr, y_tr, x_te, y_te = make_data(a.seed, noise=a.noise)
    np.savez(os.path.join(a.out, "data.npz"), x_train=x_tr, y_train=y_tr, x_test=x_te, y_test=y_te)
    if a.data_only:
        print("wrote %s/data.npz" % a.out)
        return 0
    logf = open(os.path.join(a.out, "train.log"), "w", newline="\n")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")

    log("data: seed %d, noise %g: %d train, %d test, %d x %d; |x| max %.2f, 99.9th percentile of |x_train| %.2f"
        % (a.seed, a.noise, len(x_tr), len(x_te), T, I, float(np.abs(x_tr).max()),
           float(np.quantile(np.abs(x_tr), 0.999))))
    m = Classifier(H=a.H)
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    X, Y = torch.from_numpy(x_tr), torch.from_numpy(y_tr)
    gen = torch.Generator().manual_seed(a.seed)
    t0 = time.time()
    for ep in range(a.epochs):
        perm = torch.randperm(len(X), generator=gen)
        for s in range(0, len(X), 64):
            i = perm[s:s + 64]
            loss = nn.functional.cross_entropy(m(X[i]), Y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            acc = float((m(torch.from_numpy(x_te)).argmax(1).numpy() == y_te).mean())
        log("epoch %d: loss %.4f, test %.2f%% (%.0f s)" % (ep + 1, float(loss), 100 * acc, time.time() - t0))
    torch.save(m.state_dict(), os.path.join(a.out, "model.pt"))
    torch.onnx.export(m, torch.from_numpy(x_te[:2]), os.path.join(a.out, "model.onnx"), input_names=["x"],
                      output_names=["logits"], dynamic_axes={"x": {0: "batch"}}, opset_version=14)
    log("wrote %s: model.pt, model.onnx, data.npz (float test accuracy %.2f%%, %.0f s)"
        % (a.out, 100 * acc, time.time() - t0))
    logf.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
