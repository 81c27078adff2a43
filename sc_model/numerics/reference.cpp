#include "numerics/reference.hpp"

namespace lstm::numerics {

int64_t sparse_log_dot(const formats::SparseMatrix& m, int row, const int32_t* v) {
  int64_t acc = 0;
  const int n = m.entries_per_row();
  for (int e = 0; e < n; ++e) acc += mul_log(v[m.column(row, e)], m.code[m.at(row, e)]);
  return acc;
}

int64_t sparse_int4_dot(const formats::SparseMatrix& m, int row, const int32_t* v) {
  int64_t acc = 0;
  const int n = m.entries_per_row();
  for (int e = 0; e < n; ++e) acc += int64_t(int4_value(m.code[m.at(row, e)])) * v[m.column(row, e)];
  return acc;
}

int32_t gate_preact(const formats::LstmLayer& L, int g, int r, const int32_t* x, const int32_t* h) {
  return sat16(int64_t(L.b[g][r]) + sparse_log_dot(L.W[g], r, x) + sparse_log_dot(L.U[g], r, h));
}

void layer_step(const formats::LstmLayer& L, const int32_t* x, std::vector<int32_t>& h, std::vector<int32_t>& c) {
  std::vector<int32_t> h_next(L.H);
  for (int r = 0; r < L.H; ++r) {
    int32_t a[formats::kGates];
    for (int g = 0; g < formats::kGates; ++g) a[g] = gate_preact(L, g, r, x, h.data());
    const CellState s = cell_update(a[0], a[1], a[2], a[3], c[r]);
    c[r] = s.c;
    h_next[r] = s.h;
  }
  h.swap(h_next);
}

int64_t conv_acc(const formats::Model& m, int o, int t, const std::vector<std::vector<int32_t>>& x) {
  const int K = m.conv_kernel, half = K / 2;
  int64_t acc = 0;
  for (int kk = 0; kk < K; ++kk) {
    const int tt = t + kk - half;
    if (tt < 0 || tt >= m.T) continue;  // zero padding
    for (int ci = 0; ci < m.I; ++ci)
      acc += int64_t(m.conv_w[(size_t(o) * m.I + ci) * K + kk]) * x[tt][ci];
  }
  return acc;
}

int32_t conv_output(const formats::Model& m, int o, int t, const std::vector<std::vector<int32_t>>& x) {
  return conv_relu(conv_acc(m, o, t, x), m.conv_b[o]);
}

namespace {
std::vector<std::vector<int32_t>> lstm_sequence(const formats::Model& m, std::vector<std::vector<int32_t>> x) {
  if (!m.has_cnn()) return x;
  std::vector<std::vector<int32_t>> pooled(m.lstm_steps(), std::vector<int32_t>(m.conv_out));
  for (int u = 0; u < m.lstm_steps(); ++u)
    for (int o = 0; o < m.conv_out; ++o)
      pooled[u][o] = max_pool2(conv_output(m, o, 2 * u, x), conv_output(m, o, 2 * u + 1, x));
  return pooled;
}

Inference run(const formats::Model& m, std::vector<std::vector<int32_t>> seq, bool keep_states) {
  // Layer by layer over the whole sequence: layer l's h_t is layer l+1's
  // input at step t (SPEC Part A, "Stacked layers").
  Inference out;
  std::vector<int32_t> h;
  for (int l = 0; l < m.num_layers(); ++l) {
    const formats::LstmLayer& L = m.layers[l];
    h.assign(L.H, 0);
    std::vector<int32_t> c(L.H, 0);
    if (keep_states) {
      out.layer_h.emplace_back();
      out.layer_c.emplace_back();
    }
    for (int t = 0; t < m.lstm_steps(); ++t) {
      layer_step(L, seq[t].data(), h, c);
      seq[t] = h;  // the next layer's input at step t
      if (keep_states) {
        out.layer_h.back().push_back(h);
        out.layer_c.back().push_back(c);
      }
    }
  }
  if (keep_states) {
    out.h = out.layer_h.back();
    out.c = out.layer_c.back();
  }
  out.logits.resize(m.classes);
  for (int j = 0; j < m.classes; ++j) out.logits[j] = fc_bias(m.b_fc[j]) + sparse_int4_dot(m.W_fc, j, h.data());
  out.cls = argmax(out.logits.data(), out.logits.size());
  return out;
}

}  // namespace

std::vector<std::vector<int32_t>> lstm_inputs(const formats::Model& m, const uint8_t* pixels) {
  std::vector<std::vector<int32_t>> x(m.T, std::vector<int32_t>(m.I));
  for (int t = 0; t < m.T; ++t)
    for (int j = 0; j < m.I; ++j) x[t][j] = pixel_to_word(pixels[t * m.I + j]);
  return lstm_sequence(m, std::move(x));
}

std::vector<std::vector<int32_t>> lstm_inputs_words(const formats::Model& m, const int16_t* words) {
  std::vector<std::vector<int32_t>> x(m.T, std::vector<int32_t>(m.I));
  for (int t = 0; t < m.T; ++t)
    for (int j = 0; j < m.I; ++j) x[t][j] = words[t * m.I + j];  // used unchanged
  return lstm_sequence(m, std::move(x));
}

Inference infer(const formats::Model& m, const uint8_t* pixels, bool keep_states) {
  return run(m, lstm_inputs(m, pixels), keep_states);
}

Inference infer_words(const formats::Model& m, const int16_t* words, bool keep_states) {
  return run(m, lstm_inputs_words(m, words), keep_states);
}

Inference infer(const formats::Model& m, const formats::ImageSet& s, size_t n, bool keep_states) {
  return s.is_words ? infer_words(m, s.word_image(n), keep_states) : infer(m, s.image(n), keep_states);
}

std::vector<int16_t> input_words(const formats::ImageSet& s, size_t n) {
  const size_t len = size_t(s.rows) * s.cols;
  if (s.is_words) return std::vector<int16_t>(s.word_image(n), s.word_image(n) + len);
  std::vector<int16_t> x(len);
  for (size_t i = 0; i < len; ++i) x[i] = static_cast<int16_t>(pixel_to_word(s.image(n)[i]));
  return x;
}

}  // namespace lstm::numerics
