// SPEC Part A at its edges. Where a function has a closed form the test
// compares it exhaustively with an independent floating-point statement of
// the SPEC formula (floor / trunc written out), so a wrong shift direction
// or sign handling cannot hide between hand-picked points.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "numerics/numerics.hpp"
#include "numerics/reference.hpp"

using namespace lstm::formats; using namespace lstm::numerics;

namespace {
double spec_mul_log(int v, int code) {
  const double mag = std::trunc(std::fabs(double(v)) / double(1 << (code & 7)));
  const bool neg = (v < 0) != ((code & 8) != 0);
  return neg ? -mag : mag;
}
int fl4(int a) { return static_cast<int>(std::floor(a / 4.0)); }
int spec_hsig(int a) { return std::min(8192, std::max(0, fl4(a) + 4096)); }
int spec_ptanh(int a) {
  if (a < -20480) return -8192;
  if (a < -4096) return fl4(a) - 3072;
  if (a < 4096) return a;
  if (a < 20480) return fl4(a) + 3072;
  return 8192;
}
}  // namespace

TEST_CASE("sat16 clamps to the 16-bit word", "[numerics]") {
  CHECK(sat16(32767) == 32767);
  CHECK(sat16(32768) == 32767);
  CHECK(sat16(-32768) == -32768);
  CHECK(sat16(-32769) == -32768);
  CHECK(sat16(int64_t(1) << 40) == 32767);
  CHECK(sat16(-(int64_t(1) << 40)) == -32768);
  CHECK(sat16(0) == 0);
}

TEST_CASE("pixel_to_word is p/256 in Q2.13", "[numerics]") {
  CHECK(pixel_to_word(0) == 0);
  CHECK(pixel_to_word(1) == 32);
  CHECK(pixel_to_word(255) == 8160);
}

TEST_CASE("mul_log at |-32768| and toward zero", "[numerics]") {
  CHECK(mul_log(-32768, 0x0) == -32768);
  CHECK(mul_log(-32768, 0x8) == 32768);  // |-32768| must not overflow
  CHECK(mul_log(-32768, 0xF) == 256);
  CHECK(mul_log(-32768, 0x7) == -256);
  CHECK(mul_log(32767, 0x8) == -32767);
  CHECK(mul_log(-1, 0x1) == 0);   // truncates toward zero: an arithmetic shift would give -1
  CHECK(mul_log(-5, 0x1) == -2);  // not floor(-2.5) = -3
  CHECK(mul_log(5, 0x9) == -2);
  CHECK(mul_log(-5, 0x9) == 2);
  CHECK(mul_log(0, 0x8) == 0);
}

TEST_CASE("mul_log equals the SPEC formula for every word and code", "[numerics]") {
  long bad = 0;
  for (int v = -32768; v <= 32767; ++v)
    for (int code = 0; code < 16; ++code)
      if (mul_log(v, static_cast<uint8_t>(code)) != spec_mul_log(v, code)) ++bad;
  CHECK(bad == 0);
}

TEST_CASE("hsig at its breakpoints and neighbours", "[numerics]") {
  CHECK(hsig(-32768) == 0);
  CHECK(hsig(-16385) == 0);
  CHECK(hsig(-16384) == 0);
  CHECK(hsig(-16381) == 0);  // floor(-4095.25) = -4096
  CHECK(hsig(-16380) == 1);
  CHECK(hsig(-1) == 4095);  // floor, not toward zero
  CHECK(hsig(0) == 4096);
  CHECK(hsig(3) == 4096);
  CHECK(hsig(4) == 4097);
  CHECK(hsig(16379) == 8190);
  CHECK(hsig(16380) == 8191);
  CHECK(hsig(16383) == 8191);
  CHECK(hsig(16384) == 8192);
  CHECK(hsig(16388) == 8192);
  CHECK(hsig(32767) == 8192);
  long bad = 0;
  for (int a = -32768; a <= 32767; ++a) bad += hsig(a) != spec_hsig(a);
  CHECK(bad == 0);
}

TEST_CASE("ptanh at its breakpoints and neighbours", "[numerics]") {
  CHECK(ptanh(-32768) == -8192);
  CHECK(ptanh(-20481) == -8192);
  CHECK(ptanh(-20480) == -8192);  // (-5120) - 3072
  CHECK(ptanh(-20479) == -8192);  // floor(-5119.75) = -5120
  CHECK(ptanh(-20476) == -8191);
  CHECK(ptanh(-4097) == -4097);   // floor(-1024.25) - 3072 = -1025 - 3072
  CHECK(ptanh(-4100) == -4097);   // -1025 - 3072
  CHECK(ptanh(-4101) == -4098);   // floor(-1025.25) - 3072
  CHECK(ptanh(-4096) == -4096);
  CHECK(ptanh(-4095) == -4095);
  CHECK(ptanh(-1) == -1);
  CHECK(ptanh(4095) == 4095);
  CHECK(ptanh(4096) == 4096);
  CHECK(ptanh(4097) == 4096);
  CHECK(ptanh(20479) == 8191);
  CHECK(ptanh(20480) == 8192);
  CHECK(ptanh(32767) == 8192);
  long bad = 0;
  for (int a = -32768; a <= 32767; ++a) bad += ptanh(a) != spec_ptanh(a);
  CHECK(bad == 0);
}

TEST_CASE("cell update saturates c and follows the SPEC formula", "[numerics]") {
  // f = i = o = 1.0, g = 1.0: c = sat16(c_prev + 8192).
  auto s = cell_update(32767, 32767, 32767, 32767, 32767);
  CHECK(s.c == 32767);
  CHECK(s.h == 8192);  // o * ptanh(32767) >> 13 = 8192
  s = cell_update(32767, 32767, -32768, 32767, -32768);
  CHECK(s.c == -32768);
  CHECK(s.h == -8192);
  // f = 0.5 (a_f = 0), i = 0 (a_i very negative): c = (4096 * c_prev) >> 13, floored.
  s = cell_update(-32768, 0, 12345, 0, -3);
  CHECK(s.c == -2);  // floor(-1.5)
  CHECK(s.h == -1);  // (4096 * -2) >> 13 = -1
  // Generic point against the formula written out.
  const int ai = 1000, af = -2000, ag = 5000, ao = 3000, cp = -7777;
  const int i = spec_hsig(ai), f = spec_hsig(af), g = spec_ptanh(ag), o = spec_hsig(ao);
  const int c = static_cast<int>(std::floor(f * double(cp) / 8192) + std::floor(i * double(g) / 8192));
  s = cell_update(ai, af, ag, ao, cp);
  CHECK(s.c == c);
  CHECK(s.h == static_cast<int>(std::floor(o * double(spec_ptanh(c)) / 8192)));
}

TEST_CASE("gate pre-activation saturates after the exact sum", "[numerics]") {
  Model m;
  m.I = m.layers[0].H = m.c = m.k = 2;  // dense 2x2, one group per row
  m.T = 1;
  m.classes = 1;
  auto dense = [](uint8_t c0, uint8_t c1) {
    SparseMatrix s;
    s.rows = 2; s.cols = 2; s.c = 2; s.k = 2;
    s.code = {c0, c1, c0, c1};
    s.idx = {0, 1, 0, 1};
    return s;
  };
  for (int g = 0; g < kGates; ++g) {
    m.layers[0].W[g] = dense(0x0, 0x0);  // +1, +1
    m.layers[0].U[g] = dense(0x8, 0x8);  // -1, -1
    m.layers[0].b[g] = {32767, -32768};
  }
  const int32_t x[2] = {32767, 32767}, h[2] = {32767, 32767};
  // 32767 + 65534 - 65534 = 32767: intermediate overflow must not leak.
  CHECK(gate_preact(m.layers[0], 0, 0, x, h) == 32767);
  const int32_t h0[2] = {0, 0};
  CHECK(gate_preact(m.layers[0], 0, 0, x, h0) == 32767);   // 32767 + 65534 saturates
  const int32_t xn[2] = {-32768, -32768};
  CHECK(gate_preact(m.layers[0], 0, 1, xn, h0) == -32768);  // -32768 - 65536 saturates
  CHECK(gate_preact(m.layers[0], 0, 1, x, h0) == 32766);    // -32768 + 65534, in range
}

TEST_CASE("int4 FC codes and bias", "[numerics]") {
  CHECK(int4_value(0x7) == 7);
  CHECK(int4_value(0x8) == -8);
  CHECK(int4_value(0xF) == -1);
  CHECK(int4_value(0x0) == 0);
  CHECK(fc_bias(-32768) == -262144);
  CHECK(fc_bias(32767) == 262136);
}

TEST_CASE("arg-max picks the lowest index on ties", "[numerics]") {
  std::vector<int64_t> a = {5, 5, 3};
  CHECK(argmax(a.data(), a.size()) == 0);
  a = {1, 7, 7, 2};
  CHECK(argmax(a.data(), a.size()) == 1);
  a = {-4, -4, -4};
  CHECK(argmax(a.data(), a.size()) == 0);
  a = {-9, -3, -8, -3};
  CHECK(argmax(a.data(), a.size()) == 1);
  a = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  CHECK(argmax(a.data(), a.size()) == 9);
}

TEST_CASE("conv output: floor shift, bias, saturation, ReLU, max-pool", "[numerics]") {
  CHECK(conv_relu(-1, 5) == 4);              // -1 >> 13 = -1
  CHECK(conv_relu(8191, 0) == 0);            // floor(0.99)
  CHECK(conv_relu(8192 * 3, -2) == 1);
  CHECK(conv_relu(-(int64_t(1) << 40), 32767) == 0);
  CHECK(conv_relu(int64_t(1) << 40, 0) == 32767);
  CHECK(conv_relu(int64_t(32767) << 13, 32767) == 32767);
  CHECK(max_pool2(3, 7) == 7);
  CHECK(max_pool2(7, 3) == 7);
}
