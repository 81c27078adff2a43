"""Fashion-MNIST IDX loading (gzip or plain) with numpy only."""
import gzip
import os

import numpy as np

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def _open(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def read_idx(path):
    """Return the array stored in an IDX file (images: uint8 [N,R,C], labels: uint8 [N])."""
    with _open(path) as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % path)
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    off = 4 + 4 * ndim
    n = int(np.prod(dims))
    if len(data) - off != n:
        raise ValueError("%s: expected %d data bytes, found %d" % (path, n, len(data) - off))
    return np.frombuffer(data, dtype=np.uint8, offset=off).reshape(dims)


def load(split, data_dir=DATA_DIR):
    """split 'train' or 't10k' -> (images uint8 [N,28,28], labels int64 [N])."""
    def find(stem):
        for name in (stem + ".gz", stem):
            p = os.path.join(data_dir, name)
            if os.path.exists(p):
                return p
        raise FileNotFoundError(os.path.join(data_dir, stem + "[.gz]"))
    img = read_idx(find("%s-images-idx3-ubyte" % split))
    lab = read_idx(find("%s-labels-idx1-ubyte" % split))
    if img.ndim != 3 or lab.ndim != 1 or img.shape[0] != lab.shape[0]:
        raise ValueError("bad IDX shapes %s %s" % (img.shape, lab.shape))
    return img, lab.astype(np.int64)
