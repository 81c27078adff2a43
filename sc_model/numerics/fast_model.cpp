#include "numerics/fast_model.hpp"

#include <string>

#include "formats/error.hpp"

namespace lstm::numerics {

// Per step, v = [x_t ; h_{t-1}] (I + H words) is expanded into a table of
// every product a kept weight can form, tbl[col * 16 + code] =
// mul_log(v[col], code); each gate row is then a sum of table lookups at
// precomputed indices. Same integer operations as the reference (the sum
// of the same terms, sat16 once), so the result is bit-identical.
FastNet::FastNet(const formats::Model& m) : m_(&m), V_(m.lstm_in() + m.H) {
  const int I = m.lstm_in(), H = m.H;
  const int ew = m.W[0].entries_per_row(), eu = m.U[0].entries_per_row();
  per_row_ = ew + eu;
  // |term| <= 2^15: 32-bit sums are exact below 2^16 - 1 terms per row.
  wide_ = per_row_ >= 65535;
  idx_.resize(size_t(H) * formats::kGates * per_row_);
  size_t at = 0;
  for (int r = 0; r < H; ++r)
    for (int g = 0; g < formats::kGates; ++g) {
      for (int e = 0; e < ew; ++e) idx_[at++] = uint32_t(m.W[g].column(r, e)) * 16 + m.W[g].code[m.W[g].at(r, e)];
      for (int e = 0; e < eu; ++e)
        idx_[at++] = uint32_t(I + m.U[g].column(r, e)) * 16 + m.U[g].code[m.U[g].at(r, e)];
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
  const formats::Model& m = *m_;
  const int I = m.lstm_in(), H = m.H, steps = m.lstm_steps();
  std::vector<int32_t> tbl(size_t(V_) * 16), h(H, 0), c(H, 0), h_next(H);
  std::vector<std::vector<int32_t>> xs;
  if (m.has_cnn()) xs = lstm_inputs(m, pixels);
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
  for (int t = 0; t < steps; ++t) {
    for (int j = 0; j < I; ++j) expand(j, m.has_cnn() ? xs[t][j] : pixel_to_word(pixels[t * I + j]));
    for (int j = 0; j < H; ++j) expand(I + j, h[j]);
    const uint32_t* ix = idx_.data();
    const int32_t* tb = tbl.data();
    for (int r = 0; r < H; ++r) {
      int32_t a[formats::kGates];
      for (int g = 0; g < formats::kGates; ++g) {
        a[g] = sat16(wide_ ? sum<int64_t>(m.b[g][r], tb, ix, per_row_) : sum<int32_t>(m.b[g][r], tb, ix, per_row_));
        ix += per_row_;
      }
      const CellState s = cell_update(a[0], a[1], a[2], a[3], c[r]);
      c[r] = s.c;
      h_next[r] = s.h;
    }
    h.swap(h_next);
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
  if (!r.schedule.exact)
    throw formats::InputError("sink hold " + std::to_string(sink_hold) + " with T = 1: the result consumer is so slow that "
                     "S-P-H stalls the EWU, which the fast model does not model; use --level ca");
  const FastNet net(m);
  r.results.reserve(count);
  for (size_t n = 0; n < count; ++n) r.results.push_back(net.infer(images.image(n)));
  r.mvm_beats = uint64_t(count) * a.T * a.blocks() * (a.w_beats() + a.u_beats());
  return r;
}

}  // namespace lstm::numerics
