// The bit-exact reference: whole-network inference of SPEC Part A, built
// from the numerics functions and the row kernels below (which the SystemC
// blocks call as well).
#pragma once

#include <cstdint>
#include <vector>

#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/numerics.hpp"

namespace lstm::numerics {

// Sum over the kept entries of one row of a Log4 matrix: mul_log(v[col], code).
int64_t sparse_log_dot(const formats::SparseMatrix& m, int row, const int32_t* v);
// Sum over the kept entries of one row of an Int4 matrix: q * v[col].
int64_t sparse_int4_dot(const formats::SparseMatrix& m, int row, const int32_t* v);

// Pre-activation of gate g, row r of one layer: sat16(b + W.x + U.h).
int32_t gate_preact(const formats::LstmLayer& L, int g, int r, const int32_t* x, const int32_t* h);

// One step of one layer: h and c (L.H each) updated in place from input x.
void layer_step(const formats::LstmLayer& L, const int32_t* x, std::vector<int32_t>& h, std::vector<int32_t>& c);

// The exact Conv1d sum for output channel o at step t (x: T rows of I
// Q2.13 words; zero padding outside 0..T-1).
int64_t conv_acc(const formats::Model& m, int o, int t, const std::vector<std::vector<int32_t>>& x);
// y[o][t] after bias and ReLU.
int32_t conv_output(const formats::Model& m, int o, int t, const std::vector<std::vector<int32_t>>& x);

// The LSTM input sequence for one image: the rows as Q2.13 for kind lstm, the
// pooled conv features for kind cnn-lstm. `words`: T x I Q2.13 input words
// (SPEC Part A "Input words"); `pixels`: T x I pixels, x = p << 5.
std::vector<std::vector<int32_t>> lstm_inputs_words(const formats::Model& m, const int16_t* words);
std::vector<std::vector<int32_t>> lstm_inputs(const formats::Model& m, const uint8_t* pixels);

struct Inference {
  int cls = 0;
  std::vector<int64_t> logits;
  // Filled when requested: h[t][r], c[t][r] after step t (t = 0..steps-1)
  // of the last layer, and of every layer in layer_h[l][t][r], layer_c.
  std::vector<std::vector<int32_t>> h, c;
  std::vector<std::vector<std::vector<int32_t>>> layer_h, layer_c;
};

// Runs one image (T rows x I columns of pixels).
Inference infer(const formats::Model& m, const uint8_t* pixels, bool keep_states = false);
// Runs one sequence of Q2.13 input words (T x I).
Inference infer_words(const formats::Model& m, const int16_t* words, bool keep_states = false);
// Item n of an input set, pixels or words (whichever the set holds).
Inference infer(const formats::Model& m, const formats::ImageSet& s, size_t n, bool keep_states = false);
// Item n as the Q2.13 words x the LSTM (or Conv1d) reads (SPEC Part A,
// "Input"): a pixel p is p << 5, a word is used unchanged.
std::vector<int16_t> input_words(const formats::ImageSet& s, size_t n);

}  // namespace lstm::numerics
