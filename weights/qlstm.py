"""Model, top-k pruning and quantization (float and integer-exact QAT) for the
sparse quantized (CNN-)LSTM of SPEC Part A.

Two forward passes share one set of parameters:

* ``forward_float``: real-valued arithmetic with the SPEC's hard activations
  (hsig, ptanh) and the Q2.13 range clamps (pre-activation, cell state, conv
  output), optional top-k masks.  Used for stages a (float) and b (pruned).

* ``forward_qat``: the integer arithmetic of SPEC Part A, computed exactly in
  float64 on integer-valued tensors (every intermediate is an integer below
  2^53, so float64 is exact): log2 weights with sign-magnitude truncating
  products, sat16, hsig/ptanh with floor shifts, floor-shifted cell/hidden
  products, int4 FC, Q2.13 biases and conv.  Its logits are the integers the
  hardware computes; gradients use straight-through estimators (floor and
  round pass the gradient unchanged, the truncating log2 products get the
  gradient of the plain product).  Used for stage c (QAT).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

Q = 8192.0                 # 1.0 in Q2.13
QMAX = 4.0 - 1.0 / Q       # largest Q2.13 value
LOG_NMAX = 7               # log4 code: n in 0..7


# ----------------------------------------------------------------------------
# float hard activations (SPEC Part A, real-valued)

def hsig(x):
    return torch.clamp(x * 0.25 + 0.5, 0.0, 1.0)


def ptanh(x):
    return torch.where(x < -2.5, torch.full_like(x, -1.0),
           torch.where(x < -0.5, x * 0.25 - 0.375,
           torch.where(x < 0.5, x,
           torch.where(x < 2.5, x * 0.25 + 0.375, torch.full_like(x, 1.0)))))


# ----------------------------------------------------------------------------
# straight-through helpers

def ste(x, xq):
    """value exactly xq (x - x.detach() is exactly 0), gradient of x."""
    return xq.detach() + (x - x.detach())


def lin(x, w):
    """x [..., K] @ w[N, K]^T via a kernel-1 conv1d: on this torch build float32 mm
    goes to the reference BLAS while conv1d uses oneDNN (~10x faster).
    Exact whenever x, w and all partial sums are integers below 2^24."""
    shp = x.shape
    y = F.conv1d(x.reshape(-1, shp[-1], 1), w.unsqueeze(-1))
    return y.reshape(*shp[:-1], w.shape[0])


def floor_ste(x):
    return ste(x, torch.floor(x))


# ----------------------------------------------------------------------------
# quantizers (shared by QAT and export so both see the same integers)

def log2_quant(w):
    """Nearest (linear distance) value sign * 2^-n, n in 0..7 (ties -> larger
    magnitude). Zero is not representable: |w| < 2^-7 maps to 2^-7, and w == 0
    gets the positive sign. Returns (value, sign_negative bool tensor, n long tensor)."""
    a = w.detach().abs()
    pows = torch.tensor([2.0 ** -n for n in range(LOG_NMAX + 1)], dtype=w.dtype, device=w.device)
    n = torch.argmin((a.unsqueeze(-1) - pows).abs(), dim=-1)       # ties -> smaller n (larger magnitude)
    neg = w.detach() < 0
    val = torch.where(neg, -pows[n], pows[n])
    return val, neg, n


def int4_quant(w):
    """q = clamp(round(w*8), -8, 7) (round half to even); returns (q/8, q)."""
    q = torch.clamp(torch.round(w.detach() * 8.0), -8, 7)
    return q / 8.0, q


def q213_quant(x):
    """round(x*8192) clamped to int16; returns the integer (as float tensor)."""
    return torch.clamp(torch.round(x.detach() * Q), -32768, 32767)


# ----------------------------------------------------------------------------
# top-k masks

def topk_mask(w, c, k):
    """Keep the k largest |w| of every group of c consecutive columns of every row.
    Ties are broken towards the lower column (stable sort)."""
    rows, cols = w.shape
    if cols % c:
        raise ValueError("columns %d not a multiple of c=%d" % (cols, c))
    a = w.detach().abs().reshape(rows, cols // c, c)
    order = torch.sort(-a, dim=-1, stable=True).indices[..., :k]
    m = torch.zeros_like(a)
    m.scatter_(-1, order, 1.0)
    return m.reshape(rows, cols)


# ----------------------------------------------------------------------------

class Net(nn.Module):
    def __init__(self, kind="lstm", I=28, T=28, H=28, classes=10, cnn_out=28, c=7, k=4):
        super().__init__()
        if kind not in ("lstm", "cnn-lstm"):
            raise ValueError(kind)
        self.kind, self.I, self.T, self.H, self.C, self.c, self.k = kind, I, T, H, classes, c, k
        if kind == "cnn-lstm":
            self.cnn_out = cnn_out
            self.conv_w = nn.Parameter(torch.empty(cnn_out, I, 3))
            self.conv_b = nn.Parameter(torch.empty(cnn_out))
            bound = 1.0 / math.sqrt(I * 3)
            nn.init.uniform_(self.conv_w, -bound, bound)
            nn.init.uniform_(self.conv_b, -bound, bound)
            self.Il, self.Tl = cnn_out, T // 2
        else:
            self.Il, self.Tl = I, T
        if self.Il % c or H % c:
            raise ValueError("LSTM input size and H must be multiples of c")
        s = 1.0 / math.sqrt(H)
        self.weight_ih = nn.Parameter(torch.empty(4 * H, self.Il).uniform_(-s, s))
        self.weight_hh = nn.Parameter(torch.empty(4 * H, H).uniform_(-s, s))
        self.bias_ih = nn.Parameter(torch.empty(4 * H).uniform_(-s, s))
        self.bias_hh = nn.Parameter(torch.empty(4 * H).uniform_(-s, s))
        self.fc_w = nn.Parameter(torch.empty(classes, H).uniform_(-s, s))
        self.fc_b = nn.Parameter(torch.empty(classes).uniform_(-s, s))
        self.register_buffer("mask_ih", torch.ones(4 * H, self.Il))
        self.register_buffer("mask_hh", torch.ones(4 * H, H))
        self.register_buffer("mask_fc", torch.ones(classes, H))

    # -- constraints / pruning ------------------------------------------------
    @torch.no_grad()
    def project(self):
        """Keep parameters inside what the integer formats can represent."""
        self.weight_ih.clamp_(-1.0, 1.0)
        self.weight_hh.clamp_(-1.0, 1.0)
        self.fc_w.clamp_(-1.0, 0.875)
        self.fc_b.clamp_(-4.0, QMAX)
        self.bias_ih.clamp_(-2.0, 2.0)
        self.bias_hh.clamp_(-2.0, 2.0)
        if self.kind == "cnn-lstm":
            self.conv_w.clamp_(-4.0, QMAX)
            self.conv_b.clamp_(-4.0, QMAX)

    @torch.no_grad()
    def prune(self):
        self.mask_ih.copy_(topk_mask(self.weight_ih, self.c, self.k))
        self.mask_hh.copy_(topk_mask(self.weight_hh, self.c, self.k))
        self.mask_fc.copy_(topk_mask(self.fc_w, self.c, self.k))
        self.weight_ih.mul_(self.mask_ih)
        self.weight_hh.mul_(self.mask_hh)
        self.fc_w.mul_(self.mask_fc)

    # -- float model -------------------------------------------------------------
    def forward_float(self, img):
        """img: uint8/float tensor [B, T, I] of pixels 0..255 -> logits [B, C] (real)."""
        x = img.float() / 256.0
        if self.kind == "cnn-lstm":
            y = F.conv1d(x.transpose(1, 2), self.conv_w, self.conv_b, padding=1)   # [B, O, T]
            y = torch.clamp(y, 0.0, QMAX)                                          # sat16 + ReLU
            y = F.max_pool1d(y, 2)                                                 # [B, O, T/2]
            x = y.transpose(1, 2)                                                  # [B, T/2, O]
        W = self.weight_ih * self.mask_ih
        U = self.weight_hh * self.mask_hh
        b = self.bias_ih + self.bias_hh
        B, T, _ = x.shape
        H = self.H
        xw = lin(x, W) + b                                                         # [B, T, 4H]
        h = x.new_zeros(B, H)
        c = x.new_zeros(B, H)
        xws = xw.unbind(1)
        for t in range(T):
            a = torch.clamp(xws[t] + lin(h, U), -4.0, QMAX)
            ai, af, ag, ao = a.split(H, dim=1)
            c = torch.clamp(hsig(af) * c + hsig(ai) * ptanh(ag), -4.0, QMAX)
            h = hsig(ao) * ptanh(c)
        return h @ (self.fc_w * self.mask_fc).t() + self.fc_b

    # -- integer-exact QAT model -------------------------------------------------
    def quantized(self):
        """Quantized parameters (STE-carrying where trainable) + exact helpers."""
        q = {}
        for name, w, m in (("W", self.weight_ih, self.mask_ih), ("U", self.weight_hh, self.mask_hh)):
            val, neg, n = log2_quant(w)
            q[name] = ste(w, val) * m                                # real values, STE gradient
            sgn = torch.where(neg, -1.0, 1.0) * m
            # exact matrix [4H, 8*cols]: column block e = sign * [code n == e]
            q[name + "_exact"] = torch.cat([sgn * (n == e).float() for e in range(LOG_NMAX + 1)], dim=1)
        bsum = self.bias_ih + self.bias_hh
        q["b"] = ste(bsum * Q, q213_quant(bsum))                      # integer units
        fval, fq = int4_quant(self.fc_w)
        q["fc"] = ste(self.fc_w * 8.0, fq) * self.mask_fc              # q integers
        q["fc_b"] = ste(self.fc_b * Q, q213_quant(self.fc_b))
        if self.kind == "cnn-lstm":
            q["conv_w"] = ste(self.conv_w * Q, q213_quant(self.conv_w))
            q["conv_b"] = ste(self.conv_b * Q, q213_quant(self.conv_b))
        return q

    @staticmethod
    def _shift_stack(v):
        """[..., n] -> [..., 8n]: sign(v) * (|v| >> e) for e = 0..7 (exact, no grad)."""
        a = v.abs()
        s = torch.sign(v)
        return torch.cat([s * torch.floor(a / float(2 ** e)) for e in range(LOG_NMAX + 1)], dim=-1)

    def _mul_log(self, v, Wreal, Wexact):
        """sum over kept entries of mul_log(v[col], code): exact value, STE gradient (v @ W^T).
        v: float32 integers |v| <= 32768; the exact sum has at most 8*cols terms of
        magnitude <= 32768, so float32 accumulation is exact for cols <= 63."""
        with torch.no_grad():
            exact = lin(self._shift_stack(v.detach()), Wexact)
        return ste(lin(v, Wreal), exact)

    def forward_qat(self, img, return_int=False):
        """Integer-exact forward. img: [B, T, I] pixels. Returns logits in real units
        (integer logits / 65536), or the integer logits if return_int.
        Sums of log2 products run in float32 (exact, see _mul_log); everything
        with wider products (conv accumulator, f*c, i*g, o*ptanh(c)) in float64."""
        q = self.quantized()
        x = img.float() * 32.0                                                     # p << 5
        if self.kind == "cnn-lstm":
            acc = F.conv1d(x.transpose(1, 2).double(), q["conv_w"].double(), None, padding=1)
            y = floor_ste(acc / Q) + q["conv_b"].double()[None, :, None]
            y = torch.clamp(y, 0.0, 32767.0)                                       # max(0, sat16(.))
            y = F.max_pool1d(y, 2)
            x = y.transpose(1, 2).float()
        B, T, _ = x.shape
        H = self.H
        xw = self._mul_log(x, q["W"], q["W_exact"]) + q["b"]
        h = x.new_zeros(B, H)
        c = x.new_zeros(B, H, dtype=torch.float64)
        xws = xw.unbind(1)
        for t in range(T):
            a = xws[t] + self._mul_log(h, q["U"], q["U_exact"])
            a = torch.clamp(a, -32768.0, 32767.0).double()
            ai, af, ag, ao = a.split(H, dim=1)
            i, f, o = hsig_int(ai), hsig_int(af), hsig_int(ao)
            g = ptanh_int(ag)
            c = torch.clamp(floor_ste(f * c / Q) + floor_ste(i * g / Q), -32768.0, 32767.0)
            h = floor_ste(o * ptanh_int(c) / Q).float()
        logits = q["fc_b"].double() * 8.0 + h.double() @ q["fc"].t().double()
        return logits if return_int else logits / 65536.0

    def forward_qweights_float(self, img):
        """Float arithmetic (hard activations) with the quantized weights: diagnostics only."""
        q = self.quantized()
        sd = {k: v.detach().clone() for k, v in self.state_dict().items()}
        try:
            with torch.no_grad():
                self.weight_ih.copy_(q["W"]); self.weight_hh.copy_(q["U"])
                self.bias_ih.copy_(q["b"] / Q); self.bias_hh.zero_()
                self.fc_w.copy_(q["fc"] / 8.0); self.fc_b.copy_(q["fc_b"] / Q)
                if self.kind == "cnn-lstm":
                    self.conv_w.copy_(q["conv_w"] / Q); self.conv_b.copy_(q["conv_b"] / Q)
                return self.forward_float(img)
        finally:
            self.load_state_dict(sd)


def hsig_int(a):
    return torch.clamp(floor_ste(a / 4.0) + 4096.0, 0.0, 8192.0)


def ptanh_int(a):
    q = floor_ste(a / 4.0)
    ad = a.detach()
    return torch.where(ad < -20480, torch.full_like(a, -8192.0),
           torch.where(ad < -4096, q - 3072.0,
           torch.where(ad < 4096, a,
           torch.where(ad < 20480, q + 3072.0, torch.full_like(a, 8192.0)))))
