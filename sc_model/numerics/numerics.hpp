// SPEC Part A, the only place the accelerator's arithmetic is written down in
// C++. Everything here is pure integer code with no SystemC dependency: the
// reference, the SystemC blocks and the tests all call these functions.
//
// Signed right shifts are arithmetic (floor), as SPEC requires; GCC and Clang
// guarantee this for C++17 and C++20 makes it standard.
#pragma once

#include <cstdint>
#include <cstddef>

namespace lstm::numerics {

constexpr int kFrac = 13;              // Q2.13
constexpr int32_t kOne = 1 << kFrac;   // 1.0 = 8192
constexpr int32_t kWordMin = -32768;
constexpr int32_t kWordMax = 32767;

// Clamp to a 16-bit word.
constexpr int32_t sat16(int64_t v) {
  return v < kWordMin ? kWordMin : (v > kWordMax ? kWordMax : static_cast<int32_t>(v));
}

// Pixel 0..255 to Q2.13 (p / 256).
constexpr int32_t pixel_to_word(uint8_t p) { return static_cast<int32_t>(p) << 5; }

// 4-bit log code: bit 3 sign (1 = negative), bits 2..0 the shift n.
constexpr bool log_code_negative(uint8_t code) { return (code & 0x8) != 0; }
constexpr int log_code_shift(uint8_t code) { return code & 0x7; }

// v * (+-2^-n) in sign-magnitude, truncating toward zero. v is a 16-bit word;
// |-32768| = 32768 is held in 32 bits, so the result lies in [-32768, 32768].
constexpr int32_t mul_log(int32_t v, uint8_t code) {
  const bool neg_v = v < 0;
  const int32_t mag = (neg_v ? -v : v) >> log_code_shift(code);
  return (neg_v != log_code_negative(code)) ? -mag : mag;
}

// 4-bit two's complement FC weight code to q in [-8, 7].
constexpr int32_t int4_value(uint8_t code) {
  return (code & 0x8) ? static_cast<int32_t>(code & 0xF) - 16 : static_cast<int32_t>(code & 0xF);
}

// Hard sigmoid: clamp((a >> 2) + 4096, 0, 8192).
constexpr int32_t hsig(int32_t a) {
  const int32_t v = (a >> 2) + 4096;
  return v < 0 ? 0 : (v > kOne ? kOne : v);
}

// Piecewise-linear tanh, breakpoints at +-4096 and +-20480.
constexpr int32_t ptanh(int32_t a) {
  if (a < -20480) return -kOne;
  if (a < -4096) return (a >> 2) - 3072;
  if (a < 4096) return a;
  if (a < 20480) return (a >> 2) + 3072;
  return kOne;
}

struct CellState {
  int32_t c;  // c_t, Q2.13
  int32_t h;  // h_t, Q2.13
};

// The element-wise update, split as the EWU pipelines it:
// c_t = sat16(((f * c_{t-1}) >> 13) + ((i * g) >> 13)), f, i = hsig, g = ptanh.
constexpr int32_t cell_c(int32_t i, int32_t f, int32_t g, int32_t c_prev) {
  return sat16(static_cast<int64_t>((f * c_prev) >> kFrac) + ((i * g) >> kFrac));
}
// h_t = (o * ptanh(c_t)) >> 13, o = hsig.
constexpr int32_t cell_h(int32_t o, int32_t c) { return (o * ptanh(c)) >> kFrac; }

// The element-wise update of one hidden row from its four saturated
// pre-activations and c_{t-1}.
constexpr CellState cell_update(int32_t a_i, int32_t a_f, int32_t a_g, int32_t a_o,
                                int32_t c_prev) {
  const int32_t c = cell_c(hsig(a_i), hsig(a_f), ptanh(a_g), c_prev);
  return {c, cell_h(hsig(a_o), c)};
}

// FC logit bias term: b << 3 (units of 2^-16).
constexpr int64_t fc_bias(int32_t b) { return static_cast<int64_t>(b) * 8; }

// Conv1d output before ReLU: sat16((acc >> 13) + b).
constexpr int32_t conv_preact(int64_t acc, int32_t b) { return sat16((acc >> kFrac) + b); }
constexpr int32_t relu(int32_t v) { return v < 0 ? 0 : v; }
// Conv1d output after bias and ReLU: max(0, sat16((acc >> 13) + b)).
constexpr int32_t conv_relu(int64_t acc, int32_t b) { return relu(conv_preact(acc, b)); }

constexpr int32_t max_pool2(int32_t a, int32_t b) { return a > b ? a : b; }

// Index of the largest value; the lowest index on a tie.
template <typename T>
int argmax(const T* v, size_t n) {
  size_t best = 0;
  for (size_t j = 1; j < n; ++j)
    if (v[j] > v[best]) best = j;
  return static_cast<int>(best);
}

}  // namespace lstm::numerics
