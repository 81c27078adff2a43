// MaxPool alone: random step beats in (random gaps), pooled rows out with
// the S-P-X row protocol (random pops). Every row must be the element-wise
// max of an even and the following odd step, in order; in_ready must be
// high exactly when the next beat is even or a row buffer is free.
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "numerics/numerics.hpp"
#include "maxpool.hpp"

using namespace bh;

namespace {

void run_maxpool(int I, int Pc, int buffers, size_t rows, uint64_t seed) {
  const int G = I / Pc;
  Rng rng(seed);
  // Two steps per pooled row, G beats of Pc words per step; ReLU output is
  // never negative but the block must not rely on it.
  std::vector<std::vector<int32_t>> steps(2 * rows, std::vector<int32_t>(I));
  for (auto& s : steps)
    for (auto& x : s) x = rng.chance(0.2) ? 0 : rng.edgy_word();

  Bench b;
  sc_core::sc_signal<bool> in_valid("in_valid", false), in_ready("in_ready", false);
  sc_core::sc_signal<Words> in_data("in_data", Words(Pc));
  sc_core::sc_signal<bool> row_valid("row_valid", false), row_ready("row_ready", false);
  sc_core::sc_signal<Words> row_data("row_data", Words(I));
  accel::maxpool dut("maxpool", I, Pc, buffers);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.in_valid_i(in_valid);
  dut.in_ready_o(in_ready);
  dut.in_data_i(in_data);
  dut.row_valid_o(row_valid);
  dut.row_ready_i(row_ready);
  dut.row_data_o(row_data);

  const size_t beats = 2 * rows * G;
  Source src("src", beats, [&](size_t i) {
    Words w(Pc);
    const size_t s = i / G, g = i % G;
    for (int p = 0; p < Pc; ++p) w[p] = steps[s][g * Pc + p];
    in_data.write(w);
  }, seed + 1);
  src.bind(b.clk, b.rst, in_valid, in_ready);
  src.scramble = [&] { in_data.write(rng.words(Pc)); };
  std::vector<Words> got;
  Sink sink("sink", [&] { Snap s; add(s, row_data.read()); return s; },
            [&](size_t) { got.push_back(row_data.read()); }, seed + 2);
  sink.bind(b.clk, b.rst, row_valid, row_ready);
  b.inputs({&src});
  b.outputs({&sink});

  size_t beats_in = 0, rows_out = 0, flags_bad = 0, max_full = 0;
  b.monitor = [&] {
    const size_t full = beats_in / (2 * G) - rows_out;
    const bool odd = (beats_in / G) % 2 == 1;
    max_full = std::max(max_full, full);
    if (in_ready.read() != (!odd || full < size_t(buffers)) || row_valid.read() != (full > 0)) ++flags_bad;
    beats_in += in_valid.read() && in_ready.read();
    rows_out += row_valid.read() && row_ready.read();
  };
  const bool ok = b.run([&] { return sink.got == rows; }, [&] { return sink.got; }, rows, 200 * beats);
  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == rows);
  size_t bad = 0;
  for (size_t r = 0; r < rows; ++r) {
    Words want(I);
    for (int i = 0; i < I; ++i) want[i] = lstm::numerics::max_pool2(steps[2 * r][i], steps[2 * r + 1][i]);
    if (!(got[r] == want) && bad++ == 0) UNSCOPED_INFO("row " << r << ": got " << got[r] << ", want " << want);
  }
  CHECK(bad == 0);
  CHECK(flags_bad == 0);
  CHECK(max_full == size_t(buffers));  // back-pressure filled every buffer
  b.report("maxpool I=" + std::to_string(I), beats + rows);
}

}  // namespace

TEST_CASE("maxpool: cnn_default (28 channels, 1 per beat, 2 buffers), random stalls", "[block][maxpool]") {
  run_maxpool(28, 1, 2, 8000, 41);
}
TEST_CASE("maxpool: cnn_fast (28 channels, 4 per beat, 3 buffers), random stalls", "[block][maxpool]") {
  run_maxpool(28, 4, 3, 20000, 42);
}
TEST_CASE("maxpool: odd (6 channels, 3 per beat, 5 buffers), random stalls", "[block][maxpool]") {
  run_maxpool(6, 3, 5, 40000, 43);
}
TEST_CASE("maxpool: a whole row per beat (8 channels, 2 buffers), random stalls", "[block][maxpool]") {
  run_maxpool(8, 8, 2, 60000, 44);
}
