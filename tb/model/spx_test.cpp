// S-P-X alone: random pixel beats in (random gaps), rows out (random
// back-pressure). Every row must be pixel_to_word of its pixels, in order;
// with a.input_words (a stacked layer's input), the Q2.13 words themselves.
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "numerics/numerics.hpp"
#include "spx.hpp"

using namespace bh;

namespace {

void run_spx(const lstm::arch::ArchConfig& a, size_t rows, uint64_t seed) {
  const int I = a.I, P = a.pixels_per_beat;
  Rng rng(seed);
  const bool words = a.input_words;
  auto element = [&] { return words ? int32_t(rng.range(0, 65535)) - 32768 : int32_t(rng.range(0, 255)); };
  std::vector<std::vector<int32_t>> px(rows, std::vector<int32_t>(I));
  for (auto& r : px)
    for (auto& p : r) p = element();

  Bench b;
  sc_core::sc_signal<bool> pix_valid("pix_valid", false), pix_ready("pix_ready", false);
  sc_core::sc_signal<Words> pix_data("pix_data", Words(P));
  sc_core::sc_signal<bool> row_valid("row_valid", false), row_ready("row_ready", false);
  sc_core::sc_signal<Words> row_data("row_data", Words(I));

  accel::spx dut("spx", I, P, a.spx_buffers, words);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.pix_valid_i(pix_valid);
  dut.pix_ready_o(pix_ready);
  dut.pix_data_i(pix_data);
  dut.row_valid_o(row_valid);
  dut.row_ready_i(row_ready);
  dut.row_data_o(row_data);

  const size_t beats_per_row = I / P;
  Source src("src", rows * beats_per_row, [&](size_t i) {
    Words w(P);
    for (int p = 0; p < P; ++p) w[p] = px[i / beats_per_row][(i % beats_per_row) * P + p];
    pix_data.write(w);
  }, seed + 1);
  src.bind(b.clk, b.rst, pix_valid, pix_ready);
  src.scramble = [&] {
    Words w(P);
    for (auto& x : w.v) x = element();
    pix_data.write(w);
  };
  std::vector<Words> got;
  Sink sink("sink", [&] { Snap s; add(s, row_data.read()); return s; },
            [&](size_t) { got.push_back(row_data.read()); }, seed + 2);
  sink.bind(b.clk, b.rst, row_valid, row_ready);
  b.inputs({&src});
  b.outputs({&sink});

  // Flags against a model of the occupancy: pix_ready high exactly when a
  // row buffer is free, row_valid exactly when a row is complete.
  size_t beats_in = 0, rows_out = 0, flags_bad = 0, max_full = 0;
  b.monitor = [&] {
    const size_t full = beats_in / beats_per_row - rows_out;
    max_full = std::max(max_full, full);
    if (pix_ready.read() != (full < size_t(a.spx_buffers)) || row_valid.read() != (full > 0)) ++flags_bad;
    beats_in += pix_valid.read() && pix_ready.read();
    rows_out += row_valid.read() && row_ready.read();
  };
  const bool ok = b.run([&] { return sink.got == rows; }, [&] { return sink.got; }, rows, 200 * rows * beats_per_row);

  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == rows);
  size_t bad = 0;
  for (size_t r = 0; r < rows; ++r) {
    Words want(I);
    for (int i = 0; i < I; ++i) want[i] = words ? px[r][i] : lstm::numerics::pixel_to_word(uint8_t(px[r][i]));
    if (!(got[r] == want) && bad++ == 0) UNSCOPED_INFO("row " << r << ": got " << got[r] << ", want " << want);
  }
  CHECK(bad == 0);
  CHECK(src.sent == rows * beats_per_row);
  CHECK(flags_bad == 0);
  CHECK(max_full == size_t(a.spx_buffers));  // back-pressure filled every buffer
  b.report("spx " + a.name, rows + src.sent);
}

}  // namespace

TEST_CASE("spx: default config (I=28, 1 pixel/beat, 2 buffers), random stalls", "[block][spx]") {
  run_spx(config("default"), 15000, 11);
}

TEST_CASE("spx: fast4 config (4 pixels/beat, 3 buffers), random stalls", "[block][spx]") {
  run_spx(config("fast4"), 30000, 12);
}

TEST_CASE("spx: odd config (I=12, 3 pixels/beat, 3 buffers), random stalls", "[block][spx]") {
  run_spx(odd_config(), 40000, 13);
}

TEST_CASE("spx: grouped config (I=16, 2 pixels/beat, 4 buffers), random stalls", "[block][spx]") {
  run_spx(grouped_config(), 40000, 14);
}

TEST_CASE("spx: tiny config (a whole row of 8 pixels per beat), random stalls", "[block][spx]") {
  run_spx(tiny_config(), 60000, 15);
}

TEST_CASE("spx words: layer 2 of configs/stacked/fmnist-lstm2 (Q2.13 words, 4 per beat), random stalls",
          "[block][spx][stacked]") {
  const auto a = lstm::arch::load_arch(testutil::repo_dir() + "/sc_model/configs/stacked/fmnist-lstm2.json").layer(1);
  REQUIRE(a.input_words);
  run_spx(a, 20000, 16);
}
