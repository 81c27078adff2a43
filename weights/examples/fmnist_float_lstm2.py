#!/usr/bin/python3
"""Worked example 1 of docs/import.md: a float model trained the way a user
would, outside this project's training code, then imported.

A plain PyTorch 2-layer nn.LSTM (28 inputs = image columns, hidden 28, the 28
image rows as steps; sigmoid/tanh, no pruning, no quantization) and an
nn.Linear head on h_T, trained on Fashion-MNIST with Adam. Writes into OUT:
  model.pt     the state_dict (torch.save)
  model.onnx   the same model exported with torch.onnx.export
  data.npz     x_train, y_train, x_test, y_test: float32 pixels / 255 (N x 28 x 28), int64 labels

    /usr/bin/python3 weights/examples/fmnist_float_lstm2.py --out OUT [--epochs 8] [--seed 1] [--data-only]

then import it both ways (weights/examples/README.md has the exact commands).
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fmnist_data  # noqa: E402  (only to read the Debian dataset's IDX files)


class Classifier(nn.Module):
    def __init__(self, I=28, H=28, layers=2, classes=10):
        super().__init__()
        self.lstm = nn.LSTM(I, H, num_layers=layers, batch_first=True)
        self.fc = nn.Linear(H, classes)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data-only", action="store_true", help="only write data.npz (to import the committed model)")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    torch.use_deterministic_algorithms(True)
    os.makedirs(a.out, exist_ok=True)
    img, lab = fmnist_data.load("train")
    timg, tlab = fmnist_data.load("t10k")
    x_tr, x_te = (v.astype(np.float32) / 255.0 for v in (img, timg))
    np.savez(os.path.join(a.out, "data.npz"), x_train=x_tr, y_train=lab, x_test=x_te, y_test=tlab)
    if a.data_only:
        print("wrote %s/data.npz" % a.out)
        return 0
    m = Classifier()
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    X, Y = torch.from_numpy(x_tr), torch.from_numpy(lab)
    gen = torch.Generator().manual_seed(a.seed)
    t0 = time.time()
    for ep in range(a.epochs):
        perm = torch.randperm(len(X), generator=gen)
        for s in range(0, len(X), 128):
            i = perm[s:s + 128]
            loss = nn.functional.cross_entropy(m(X[i]), Y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            acc = float((m(torch.from_numpy(x_te)).argmax(1).numpy() == tlab).mean())
        print("epoch %d: loss %.4f, test %.2f%% (%.0f s)" % (ep + 1, float(loss), 100 * acc, time.time() - t0),
              flush=True)
    torch.save(m.state_dict(), os.path.join(a.out, "model.pt"))
    torch.onnx.export(m, torch.from_numpy(x_te[:2]), os.path.join(a.out, "model.onnx"), input_names=["x"],
                      output_names=["logits"], dynamic_axes={"x": {0: "batch"}}, opset_version=14)
    print("wrote %s: model.pt, model.onnx, data.npz (float test accuracy %.2f%%, %.0f s)"
          % (a.out, 100 * acc, time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
