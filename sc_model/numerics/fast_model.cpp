#include "numerics/fast_model.hpp"

#include <algorithm>
#include <string>

#include "formats/error.hpp"

namespace lstm::numerics {

// Per step, v = [x_t ; h_{t-1}] (I + H words) is expanded into a table of
// every product a kept weight can form, tbl[col * 16 + code] =
// mul_log(v[col], code); each gate row is then a sum of table lookups at
// precomputed indices. Same integer operations as the reference (the sum
// of the same terms, sat16 once), so the result is bit-identical.
FastNet::FastNet(const formats::Model& m) : m_(&m) {
  for (int l = 0; l < m.num_layers(); ++l) {
    const formats::LstmLayer& L = m.layers[l];
    Layer f;
    f.in = m.layer_in(l);
    f.H = L.H;
    const int ew = L.W[0].entries_per_row(), eu = L.U[0].entries_per_row();
    f.per_row = ew + eu;
    // |term| <= 2^15: 32-bit sums are exact below 2^16 - 1 terms per row.
    f.wide = f.per_row >= 65535;
    f.idx.resize(size_t(f.H) * formats::kGates * f.per_row);
    size_t at = 0;
    for (int r = 0; r < f.H; ++r)
      for (int g = 0; g < formats::kGates; ++g) {
        for (int e = 0; e < ew; ++e) f.idx[at++] = uint32_t(L.W[g].column(r, e)) * 16 + L.W[g].code[L.W[g].at(r, e)];
        for (int e = 0; e < eu; ++e)
          f.idx[at++] = uint32_t(f.in + L.U[g].column(r, e)) * 16 + L.U[g].code[L.U[g].at(r, e)];
      }
    layers_.push_back(std::move(f));
  }
}

namespace {
// b + sum of tb[ix[e]]: four independent chains (the loads dominate).
template <typename Acc>
int64_t sum(int32_t b, const int32_t* tb, const uint32_t* ix, int n) {
  Acc s0 = b, s1 = 0, s2 = 0, s3 = 0;
  int e = 0;
  for (; e + 3 < n; e += 4) {
    s0 += tb[ix[e]];
    s1 += tb[ix[e + 1]];
    s2 += tb[ix[e + 2]];
    s3 += tb[ix[e + 3]];
  }
  for (; e < n; ++e) s0 += tb[ix[e]];
  return int64_t(s0) + s1 + s2 + s3;
}
}  // namespace

Inference FastNet::infer(const uint8_t* pixels) const {
  const size_t len = size_t(m_->T) * m_->I;
  std::vector<int16_t> x(len);
  for (size_t i = 0; i < len; ++i) x[i] = static_cast<int16_t>(pixel_to_word(pixels[i]));
  return infer_words(x.data());
}

Inference FastNet::infer(const formats::ImageSet& s, size_t n) const {
  return infer_words(input_words(s, n).data());
}

Inference FastNet::infer_words(const int16_t* words) const {
  const formats::Model& m = *m_;
  const int steps = m.lstm_steps();
  // The sequence each layer reads, flat (step t at t * W); layer l's h_t
  // replaces step t for layer l + 1 (SPEC Part A, "Stacked layers").
  size_t W = size_t(m.lstm_in());
  for (const Layer& f : layers_) W = std::max(W, size_t(f.H));
  std::vector<int32_t> seq(size_t(steps) * W);
  if (m.has_cnn()) {
    const auto xs = lstm_inputs_words(m, words);
    for (int t = 0; t < steps; ++t) std::copy(xs[t].begin(), xs[t].end(), seq.begin() + t * W);
  } else {
    for (int t = 0; t < steps; ++t)
      for (int j = 0; j < m.I; ++j) seq[t * W + j] = words[t * m.I + j];
  }
  std::vector<int32_t> tbl, h, c, h_next;
  // tbl[col*16 + code] = mul_log(v, code): codes 0..7 are +2^-n, 8..15 -2^-n.
  auto expand = [&](int col, int32_t v) {
    int32_t* t = &tbl[size_t(col) * 16];
    const int32_t mag = v < 0 ? -v : v, neg = v < 0 ? -1 : 0;
    for (int sh = 0; sh < 8; ++sh) {
      const int32_t p = mag >> sh;
      t[sh] = (p ^ neg) - neg;
      t[8 + sh] = -t[sh];
    }
  };
  for (int l = 0; l < m.num_layers(); ++l) {
    const Layer& f = layers_[l];
    const formats::LstmLayer& L = m.layers[l];
    tbl.assign(size_t(f.in + f.H) * 16, 0);
    h.assign(f.H, 0);
    c.assign(f.H, 0);
    h_next.resize(f.H);
    for (int t = 0; t < steps; ++t) {
      int32_t* x = &seq[t * W];
      for (int j = 0; j < f.in; ++j) expand(j, x[j]);
      for (int j = 0; j < f.H; ++j) expand(f.in + j, h[j]);
      const uint32_t* ix = f.idx.data();
      const int32_t* tb = tbl.data();
      for (int r = 0; r < f.H; ++r) {
        int32_t a[formats::kGates];
        for (int g = 0; g < formats::kGates; ++g) {
          a[g] = sat16(f.wide ? sum<int64_t>(L.b[g][r], tb, ix, f.per_row) : sum<int32_t>(L.b[g][r], tb, ix, f.per_row));
          ix += f.per_row;
        }
        const CellState s = cell_update(a[0], a[1], a[2], a[3], c[r]);
        c[r] = s.c;
        h_next[r] = s.h;
      }
      h.swap(h_next);
      std::copy(h.begin(), h.end(), x);
    }
  }
  Inference out;
  out.logits.resize(m.classes);
  for (int j = 0; j < m.classes; ++j) out.logits[j] = fc_bias(m.b_fc[j]) + sparse_int4_dot(m.W_fc, j, h.data());
  out.cls = argmax(out.logits.data(), out.logits.size());
  return out;
}

FastRun run_fast(const formats::Model& m, const arch::ArchConfig& a, const formats::ImageSet& images, size_t count, uint64_t sink_hold) {
  FastRun r;
  r.schedule = arch::schedule(a, count, sink_hold);
  const FastNet net(m);
  r.results.reserve(count);
  for (size_t n = 0; n < count; ++n) r.results.push_back(net.infer(images, n));
  for (int l = 0; l < a.num_layers(); ++l) {
    const arch::ArchConfig v = a.layer(l);
    r.mvm_beats += uint64_t(count) * v.T * v.blocks() * (v.w_beats() + v.u_beats());
  }
  return r;
}

}  // namespace lstm::numerics
