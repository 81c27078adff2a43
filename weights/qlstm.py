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

Stacked layers (SPEC Part A): ``Net(H=[56, 28])`` runs the layers one after the
other over the whole sequence; layer l > 1 reads layer l-1's h_t at the same
step t, every layer starts from h_0 = c_0 = 0, the FC reads the last layer's
h_T.  ``Net(H=28)`` (one layer) is exactly the single-layer network.
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
    """H: hidden size (int, one layer) or a list of hidden sizes, layer 1 first
    (SPEC Part A, "Stacked layers"). Layer 1's parameters keep the single-layer
    names (weight_ih, weight_hh, bias_ih, bias_hh, mask_ih, mask_hh); layer l > 1
    (1-based) has the same names with the suffix _l<l>. With one layer the model,
    its initialisation (random number stream) and its arithmetic are exactly
    those of the single-layer network."""

    def __init__(self, kind="lstm", I=28, T=28, H=28, classes=10, cnn_out=28, c=7, k=4):
        super().__init__()
        if kind not in ("lstm", "cnn-lstm"):
            raise ValueError(kind)
        Hs = [int(H)] if isinstance(H, int) else [int(h) for h in H]
        if not Hs or any(h <= 0 for h in Hs):
            raise ValueError("hidden sizes must be positive: %r" % (H,))
        self.Hs, self.L = Hs, len(Hs)
        self.kind, self.I, self.T, self.H, self.C, self.c, self.k = kind, I, T, Hs[-1], classes, c, k
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
        if self.Il % c or any(h % c for h in Hs):
            raise ValueError("LSTM input size and every H must be multiples of c")
        # exactness of the float32 sums in _mul_log: at most cols kept terms of |.| <= 32768 below 2^24
        if max([self.Il] + Hs) * 32768 >= 2 ** 24:
            raise ValueError("LSTM input size and H must be below 512")
        self.In = [self.Il] + Hs[:-1]                      # input size per layer
        for l, (Hl, Il) in enumerate(zip(Hs, self.In)):
            sfx = self._sfx(l)
            s = 1.0 / math.sqrt(Hl)
            setattr(self, "weight_ih" + sfx, nn.Parameter(torch.empty(4 * Hl, Il).uniform_(-s, s)))
            setattr(self, "weight_hh" + sfx, nn.Parameter(torch.empty(4 * Hl, Hl).uniform_(-s, s)))
            setattr(self, "bias_ih" + sfx, nn.Parameter(torch.empty(4 * Hl).uniform_(-s, s)))
            setattr(self, "bias_hh" + sfx, nn.Parameter(torch.empty(4 * Hl).uniform_(-s, s)))
        H = Hs[-1]
        s = 1.0 / math.sqrt(H)
        self.fc_w = nn.Parameter(torch.empty(classes, H).uniform_(-s, s))
        self.fc_b = nn.Parameter(torch.empty(classes).uniform_(-s, s))
        for l, (Hl, Il) in enumerate(zip(Hs, self.In)):
            self.register_buffer("mask_ih" + self._sfx(l), torch.ones(4 * Hl, Il))
            self.register_buffer("mask_hh" + self._sfx(l), torch.ones(4 * Hl, Hl))
        self.register_buffer("mask_fc", torch.ones(classes, H))

    @staticmethod
    def _sfx(l):
        """attribute suffix of layer l (0-based): '' for layer 1, '_l<l+1>' otherwise."""
        return "" if l == 0 else "_l%d" % (l + 1)

    def layer(self, l):
        """Parameters and masks of layer l (0-based) as a dict."""
        sfx = self._sfx(l)
        return {n: getattr(self, n + sfx) for n in
                ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "mask_ih", "mask_hh")}

    # -- constraints / pruning ------------------------------------------------
    @torch.no_grad()
    def project(self):
        """Keep parameters inside what the integer formats can represent."""
        for l in range(self.L):
            p = self.layer(l)
            p["weight_ih"].clamp_(-1.0, 1.0)
            p["weight_hh"].clamp_(-1.0, 1.0)
        self.fc_w.clamp_(-1.0, 0.875)
        self.fc_b.clamp_(-4.0, QMAX)
        for l in range(self.L):
            p = self.layer(l)
            p["bias_ih"].clamp_(-2.0, 2.0)
            p["bias_hh"].clamp_(-2.0, 2.0)
        if self.kind == "cnn-lstm":
            self.conv_w.clamp_(-4.0, QMAX)
            self.conv_b.clamp_(-4.0, QMAX)

    @torch.no_grad()
    def prune(self):
        for l in range(self.L):
            p = self.layer(l)
            p["mask_ih"].copy_(topk_mask(p["weight_ih"], self.c, self.k))
            p["mask_hh"].copy_(topk_mask(p["weight_hh"], self.c, self.k))
        self.mask_fc.copy_(topk_mask(self.fc_w, self.c, self.k))
        for l in range(self.L):
            p = self.layer(l)
            p["weight_ih"].mul_(p["mask_ih"])
            p["weight_hh"].mul_(p["mask_hh"])
        self.fc_w.mul_(self.mask_fc)

    # -- float model -------------------------------------------------------------
    def forward_float(self, img):
        """img: [B, T, I] pixels 0..255 (uint8), or Q2.13 words (int16, SPEC Part A
        "Input words") -> logits [B, C] (real)."""
        x = input_real(img)
        if self.kind == "cnn-lstm":
            y = F.conv1d(x.transpose(1, 2), self.conv_w, self.conv_b, padding=1)   # [B, O, T]
            y = torch.clamp(y, 0.0, QMAX)                                          # sat16 + ReLU
            y = F.max_pool1d(y, 2)                                                 # [B, O, T/2]
            x = y.transpose(1, 2)                                                  # [B, T/2, O]
        B, T, _ = x.shape
        for l in range(self.L):                     # layer by layer: layer l+1 reads h_t of layer l
            p = self.layer(l)
            W = p["weight_ih"] * p["mask_ih"]
            U = p["weight_hh"] * p["mask_hh"]
            b = p["bias_ih"] + p["bias_hh"]
            H = self.Hs[l]
            last = l == self.L - 1
            xw = lin(x, W) + b                                                     # [B, T, 4H]
            h = x.new_zeros(B, H)
            c = x.new_zeros(B, H)
            xws = xw.unbind(1)
            hs = []
            for t in range(T):
                a = torch.clamp(xws[t] + lin(h, U), -4.0, QMAX)
                ai, af, ag, ao = a.split(H, dim=1)
                c = torch.clamp(hsig(af) * c + hsig(ai) * ptanh(ag), -4.0, QMAX)
                h = hsig(ao) * ptanh(c)
                if not last:
                    hs.append(h)
            if not last:
                x = torch.stack(hs, dim=1)                                         # [B, T, H_l]
        return h @ (self.fc_w * self.mask_fc).t() + self.fc_b

    # -- integer-exact QAT model -------------------------------------------------
    def quantized(self):
        """Quantized parameters (STE-carrying where trainable) + exact helpers."""
        q = {"lstm": []}
        for l in range(self.L):
            p = self.layer(l)
            ql = {}
            for name, w, m in (("W", p["weight_ih"], p["mask_ih"]), ("U", p["weight_hh"], p["mask_hh"])):
                val, neg, n = log2_quant(w)
                ql[name] = ste(w, val) * m                           # real values, STE gradient
                sgn = torch.where(neg, -1.0, 1.0) * m
                # exact matrix [4H, 8*cols]: column block e = sign * [code n == e]
                ql[name + "_exact"] = torch.cat([sgn * (n == e).float() for e in range(LOG_NMAX + 1)], dim=1)
            bsum = p["bias_ih"] + p["bias_hh"]
            ql["b"] = ste(bsum * Q, q213_quant(bsum))                # integer units
            q["lstm"].append(ql)
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
        v: float32 integers |v| <= 32768; the exact matrix has one nonzero (+-1) per
        kept weight, so every partial sum is an integer of magnitude <= cols * 32768,
        below 2^24 (exact in float32) for cols < 512 (checked in __init__)."""
        with torch.no_grad():
            exact = lin(self._shift_stack(v.detach()), Wexact)
        return ste(lin(v, Wreal), exact)

    def forward_qat(self, img, return_int=False):
        """Integer-exact forward. img: [B, T, I] pixels. Returns logits in real units
        (integer logits / 65536), or the integer logits if return_int.
        Sums of log2 products run in float32 (exact, see _mul_log); everything
        with wider products (conv accumulator, f*c, i*g, o*ptanh(c)) in float64."""
        q = self.quantized()
        x = input_int(img)                                                         # p << 5, or the word
        if self.kind == "cnn-lstm":
            acc = F.conv1d(x.transpose(1, 2).double(), q["conv_w"].double(), None, padding=1)
            y = floor_ste(acc / Q) + q["conv_b"].double()[None, :, None]
            y = torch.clamp(y, 0.0, 32767.0)                                       # max(0, sat16(.))
            y = F.max_pool1d(y, 2)
            x = y.transpose(1, 2).float()
        B, T, _ = x.shape
        for l in range(self.L):                     # layer by layer: layer l+1 reads h_t of layer l
            ql = q["lstm"][l]
            H = self.Hs[l]
            last = l == self.L - 1
            xw = self._mul_log(x, ql["W"], ql["W_exact"]) + ql["b"]
            h = x.new_zeros(B, H)
            c = x.new_zeros(B, H, dtype=torch.float64)
            xws = xw.unbind(1)
            hs = []
            for t in range(T):
                a = xws[t] + self._mul_log(h, ql["U"], ql["U_exact"])
                a = torch.clamp(a, -32768.0, 32767.0).double()
                ai, af, ag, ao = a.split(H, dim=1)
                i, f, o = hsig_int(ai), hsig_int(af), hsig_int(ao)
                g = ptanh_int(ag)
                c = torch.clamp(floor_ste(f * c / Q) + floor_ste(i * g / Q), -32768.0, 32767.0)
                h = floor_ste(o * ptanh_int(c) / Q).float()
                if not last:
                    hs.append(h)
            if not last:
                x = torch.stack(hs, dim=1)                                         # [B, T, H_l], integers
        logits = q["fc_b"].double() * 8.0 + h.double() @ q["fc"].t().double()
        return logits if return_int else logits / 65536.0

    def forward_qweights_float(self, img):
        """Float arithmetic (hard activations) with the quantized weights: diagnostics only."""
        q = self.quantized()
        sd = {k: v.detach().clone() for k, v in self.state_dict().items()}
        try:
            with torch.no_grad():
                for l in range(self.L):
                    p, ql = self.layer(l), q["lstm"][l]
                    p["weight_ih"].copy_(ql["W"]); p["weight_hh"].copy_(ql["U"])
                    p["bias_ih"].copy_(ql["b"] / Q); p["bias_hh"].zero_()
                self.fc_w.copy_(q["fc"] / 8.0); self.fc_b.copy_(q["fc_b"] / Q)
                if self.kind == "cnn-lstm":
                    self.conv_w.copy_(q["conv_w"] / Q); self.conv_b.copy_(q["conv_b"] / Q)
                return self.forward_float(img)
        finally:
            self.load_state_dict(sd)


def input_int(img):
    """The Q2.13 input words x of SPEC Part A as float32 integers: pixels (uint8,
    or any other integer type holding 0..255) become p << 5; int16 tensors are
    Q2.13 words already ("Input words", IDX type 0x0B)."""
    return img.float() if img.dtype == torch.int16 else img.float() * 32.0


def input_real(img):
    """The inputs in real units (input_int / 8192)."""
    return input_int(img) / Q


def hsig_int(a):
    return torch.clamp(floor_ste(a / 4.0) + 4096.0, 0.0, 8192.0)


def ptanh_int(a):
    q = floor_ste(a / 4.0)
    ad = a.detach()
    return torch.where(ad < -20480, torch.full_like(a, -8192.0),
           torch.where(ad < -4096, q - 3072.0,
           torch.where(ad < 4096, a,
           torch.where(ad < 20480, q + 3072.0, torch.full_like(a, 8192.0)))))
