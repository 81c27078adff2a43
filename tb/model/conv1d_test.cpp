// Conv1d alone: random images as pixel beats in (random gaps), pre-
// activations out (random back-pressure). Every beat must equal
// conv_preact(conv_acc(...), b) of the bit-exact reference, in order
// (image, step, channel group), and the line buffer must fill under
// back-pressure.
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "conv1d.hpp"
#include "numerics/numerics.hpp"
#include "numerics/reference.hpp"

using namespace bh;

namespace {

void run_conv1d(const lstm::arch::ArchConfig& a, size_t images, uint64_t seed) {
  const lstm::formats::Model m = model_for(a, seed);
  const int CI = a.cnn_in, TI = a.cnn_steps(), P = a.pixels_per_beat, Pc = a.conv_ch_per_beat();
  const int G = a.conv_groups();
  Rng rng(seed);
  std::vector<std::vector<uint8_t>> px(images, std::vector<uint8_t>(size_t(TI) * CI));
  for (auto& img : px)
    for (auto& p : img) p = static_cast<uint8_t>(rng.chance(0.2) ? 0 : rng.range(0, 255));

  // Expected output beats from the reference.
  std::vector<Words> want;
  for (size_t n = 0; n < images; ++n) {
    std::vector<std::vector<int32_t>> x(TI, std::vector<int32_t>(CI));
    for (int t = 0; t < TI; ++t)
      for (int ci = 0; ci < CI; ++ci) x[t][ci] = lstm::numerics::pixel_to_word(px[n][t * CI + ci]);
    for (int t = 0; t < TI; ++t)
      for (int g = 0; g < G; ++g) {
        Words w(Pc);
        for (int p = 0; p < Pc; ++p) {
          const int o = g * Pc + p;
          w[p] = lstm::numerics::conv_preact(lstm::numerics::conv_acc(m, o, t, x), m.conv_b[o]);
        }
        want.push_back(w);
      }
  }

  Bench b;
  sc_core::sc_signal<bool> pix_valid("pix_valid", false), pix_ready("pix_ready", false);
  sc_core::sc_signal<Words> pix_data("pix_data", Words(P));
  sc_core::sc_signal<bool> out_valid("out_valid", false), out_ready("out_ready", false);
  sc_core::sc_signal<Words> out_data("out_data", Words(Pc));

  accel::conv1d dut("conv1d", m, a);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.pix_valid_i(pix_valid);
  dut.pix_ready_o(pix_ready);
  dut.pix_data_i(pix_data);
  dut.out_valid_o(out_valid);
  dut.out_ready_i(out_ready);
  dut.out_data_o(out_data);

  const size_t beats_per_image = size_t(TI) * CI / P;
  Source src("src", images * beats_per_image, [&](size_t i) {
    Words w(P);
    const size_t n = i / beats_per_image, off = (i % beats_per_image) * P;
    for (int p = 0; p < P; ++p) w[p] = px[n][off + p];
    pix_data.write(w);
  }, seed + 1);
  src.bind(b.clk, b.rst, pix_valid, pix_ready);
  src.scramble = [&] {
    Words w(P);
    for (auto& x : w.v) x = static_cast<int32_t>(rng.range(0, 255));
    pix_data.write(w);
  };
  std::vector<Words> got;
  Sink sink("sink", [&] { Snap s; add(s, out_data.read()); return s; },
            [&](size_t) { got.push_back(out_data.read()); }, seed + 2);
  sink.bind(b.clk, b.rst, out_valid, out_ready);
  b.inputs({&src});
  b.outputs({&sink});

  // The line buffer holds 4 rows: rows written can run ahead of the steps
  // whose outputs are all delivered (which released row t-1) by at most 4 +
  // the steps in flight; under back-pressure pix_ready must drop.
  const size_t row_beats = size_t(CI) / P;
  size_t beats_in = 0, outs = 0, ahead_bad = 0, blocked = 0, max_ahead = 0;
  b.monitor = [&] {
    beats_in += pix_valid.read() && pix_ready.read();
    outs += out_valid.read() && out_ready.read();
    blocked += pix_valid.read() && !pix_ready.read();
    const size_t rows_in = beats_in / row_beats, steps_out = outs / G;
    // Released rows: step t (t >= 1) released row t-1; the last step the last row.
    const size_t released = steps_out == 0 ? 0 : steps_out - (steps_out + TI - 1) / TI + steps_out / TI;
    const size_t ahead = rows_in - std::min(rows_in, released);
    max_ahead = std::max(max_ahead, ahead);
    if (ahead > size_t(accel::conv1d::kLineRows) + 3) ++ahead_bad;
  };
  const size_t total = want.size();
  const bool ok = b.run([&] { return sink.got == total; }, [&] { return sink.got; }, total, 400 * total * a.conv_beats_per_ch() + 100000);

  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == total);
  size_t bad = 0;
  for (size_t i = 0; i < total; ++i)
    if (!(got[i] == want[i]) && bad++ == 0)
      UNSCOPED_INFO("beat " << i << " (image " << i / (TI * G) << ", step " << (i / G) % TI << ", group " << i % G
                            << "): got " << got[i] << ", want " << want[i]);
  CHECK(bad == 0);
  CHECK(src.sent == images * beats_per_image);
  CHECK(ahead_bad == 0);
  CHECK(blocked > 0);  // back-pressure reached the pixel stream
  CHECK(max_ahead >= size_t(accel::conv1d::kLineRows) - 1);
  CHECK(dut.lane_beats == uint64_t(images) * TI * a.conv_beats_per_step());
  b.report("conv1d " + a.name, total + src.sent);
}

lstm::arch::ArchConfig cnn_config(const std::string& name) { return config(name); }

}  // namespace

TEST_CASE("conv1d: cnn_default (84 multipliers, 1 channel per beat), random stalls", "[block][conv1d]") {
  run_conv1d(cnn_config("cnn_default"), 60, 21);
}

TEST_CASE("conv1d: cnn_small (21 multipliers, 4 beats per channel), random stalls", "[block][conv1d]") {
  run_conv1d(cnn_config("cnn_small"), 20, 22);
}

TEST_CASE("conv1d: cnn_fast (336 multipliers, 4 channels per beat, 4 pixels per beat), random stalls",
          "[block][conv1d]") {
  run_conv1d(cnn_config("cnn_fast"), 80, 23);
}

TEST_CASE("conv1d: cnn_odd (5 columns, 3 beats per channel, a row per pixel beat), random stalls",
          "[block][conv1d]") {
  run_conv1d(cnn_odd_config(), 3000, 24);
}

TEST_CASE("conv1d: cnn_multi (2 channels per beat, 2 image rows of pooled output), random stalls",
          "[block][conv1d]") {
  run_conv1d(cnn_multi_config(), 4000, 25);
}
