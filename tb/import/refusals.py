#!/usr/bin/env python3
"""weights/import.py refuses what this accelerator does not have (issue 16,
docs/import.md "What can be imported"): each case builds a small PyTorch
state_dict or ONNX file, runs the importer on it and checks the exit status
(1) and that the message names the file, the layer and the rule. Needs torch
and onnx (/usr/bin/python3); registered by tb/CMakeLists.txt only where they
import."""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMPORT = os.path.join(ROOT, "weights", "import.py")


class Net(nn.Module):
    """A model of the usual layout: optional conv, an RNN named lstm, fc."""

    def __init__(self, rnn, fc_in, conv=None, extra=None):
        super().__init__()
        if conv is not None:
            self.conv = conv
        self.lstm = rnn
        if extra is not None:
            self.attn = extra
        self.fc = nn.Linear(fc_in, 3)


def cases(tmp):
    torch.manual_seed(0)
    yield "gru", Net(nn.GRU(8, 16, batch_first=True), 16), ["GRU"]
    yield "bidirectional", Net(nn.LSTM(8, 16, batch_first=True, bidirectional=True), 32), ["bidirectional"]
    yield "proj_size", Net(nn.LSTM(8, 16, batch_first=True, proj_size=8), 8), ["proj"]
    yield "hidden_not_multiple_of_c", Net(nn.LSTM(8, 12, batch_first=True), 12), ["hidden size 12", "multiple of c = 8"]
    yield "kernel_5", Net(nn.LSTM(16, 16, batch_first=True), 16, conv=nn.Conv1d(8, 16, 5, padding=2)), ["kernel 3"]
    yield "attention", Net(nn.LSTM(8, 16, batch_first=True), 16, extra=nn.MultiheadAttention(16, 2)), ["attn"]
    yield "four_layers", Net(nn.LSTM(8, 16, num_layers=4, batch_first=True), 16), ["more than 3 LSTM layers"]


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        rng = np.random.default_rng(0)
        data = os.path.join(tmp, "data.npz")
        np.savez(data, x_train=rng.normal(size=(20, 6, 8)).astype(np.float32), y_train=rng.integers(0, 3, 20),
                 x_test=rng.normal(size=(5, 6, 8)).astype(np.float32), y_test=rng.integers(0, 3, 5))
        runs = []
        for name, net, want in cases(tmp):
            pt = os.path.join(tmp, name + ".pt")
            torch.save(net.state_dict(), pt)
            runs.append((name + " (state_dict)", pt, want))
        # ONNX: a GRU node and a bidirectional LSTM node.
        for name, rnn, fc_in, want in [("gru", nn.GRU(8, 16, batch_first=True), 16, ["GRU"]),
                                       ("bidirectional", nn.LSTM(8, 16, batch_first=True, bidirectional=True), 32,
                                        ["direction"])]:
            class Seq(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.lstm, self.fc = rnn, nn.Linear(fc_in, 3)

                def forward(self, x):
                    y, _ = self.lstm(x)
                    return self.fc(y[:, -1])
            path = os.path.join(tmp, name + ".onnx")
            torch.onnx.export(Seq(), torch.zeros(1, 6, 8), path, opset_version=13)
            runs.append((name + " (ONNX)", path, want))
        for label, path, want in runs:
            out = os.path.join(tmp, "out_" + os.path.basename(path))
            r = subprocess.run([sys.executable, IMPORT, "--from", path, "--data", data, "--out", out,
                                "--c", "8", "--k", "4", "--epochs", "1"], capture_output=True, text=True)
            msg = r.stderr.strip()
            rule = msg.replace(path, "")  # the words asked for must be in the message, not in the file's name
            ok = r.returncode == 1 and path in msg and all(w.lower() in rule.lower() for w in want) \
                and not os.path.exists(os.path.join(out, "manifest.json"))
            print(f"{'ok  ' if ok else 'FAIL'} {label}: exit {r.returncode}: {msg.splitlines()[-1] if msg else '(no message)'}")
            failures += not ok
    print(f"{len(runs) - failures}/{len(runs)} refusals as documented")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
