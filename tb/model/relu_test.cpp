// ReLU alone: random words in (random gaps, around zero and the limits),
// max(0, v) out (random back-pressure), in order, and the register passes
// one beat per cycle when nothing stalls.
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "numerics/numerics.hpp"
#include "relu.hpp"

using namespace bh;

namespace {

void run_relu(int width, size_t beats, uint64_t seed) {
  Rng rng(seed);
  std::vector<Words> in(beats, Words(width));
  for (auto& w : in)
    for (auto& x : w.v) x = rng.chance(0.3) ? static_cast<int32_t>(rng.range(-2, 2)) : rng.edgy_word();

  Bench b;
  sc_core::sc_signal<bool> in_valid("in_valid", false), in_ready("in_ready", false);
  sc_core::sc_signal<Words> in_data("in_data", Words(width));
  sc_core::sc_signal<bool> out_valid("out_valid", false), out_ready("out_ready", false);
  sc_core::sc_signal<Words> out_data("out_data", Words(width));
  accel::relu dut("relu", width);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.in_valid_i(in_valid);
  dut.in_ready_o(in_ready);
  dut.in_data_i(in_data);
  dut.out_valid_o(out_valid);
  dut.out_ready_i(out_ready);
  dut.out_data_o(out_data);

  Source src("src", beats, [&](size_t i) { in_data.write(in[i]); }, seed + 1);
  src.bind(b.clk, b.rst, in_valid, in_ready);
  src.scramble = [&] { in_data.write(rng.words(width)); };
  std::vector<Words> got;
  Sink sink("sink", [&] { Snap s; add(s, out_data.read()); return s; },
            [&](size_t) { got.push_back(out_data.read()); }, seed + 2);
  sink.bind(b.clk, b.rst, out_valid, out_ready);
  b.inputs({&src});
  b.outputs({&sink});
  // Without stalls (first phase) a beat goes through every cycle.
  size_t ready_bad = 0;
  b.monitor = [&] {
    if (in_ready.read() != (!out_valid.read() || out_ready.read())) ++ready_bad;
  };
  const bool ok = b.run([&] { return sink.got == beats; }, [&] { return sink.got; }, beats, 100 * beats);
  REQUIRE(ok);
  check_protocol(b);
  CHECK(ready_bad == 0);
  REQUIRE(got.size() == beats);
  size_t bad = 0;
  for (size_t i = 0; i < beats; ++i) {
    Words want(width);
    for (int p = 0; p < width; ++p) want[p] = lstm::numerics::relu(in[i][p]);
    if (!(got[i] == want) && bad++ == 0) UNSCOPED_INFO("beat " << i << ": got " << got[i] << ", want " << want);
  }
  CHECK(bad == 0);
  // The first phase (no gaps, no stalls) moves one beat per cycle.
  CHECK(b.phase_cycles[0] <= beats / 10 + 4);
  b.report("relu width " + std::to_string(width), 2 * beats);
}

}  // namespace

TEST_CASE("relu: 1 word per beat, random stalls", "[block][relu]") { run_relu(1, 200000, 31); }
TEST_CASE("relu: 2 words per beat, random stalls", "[block][relu]") { run_relu(2, 200000, 32); }
TEST_CASE("relu: 7 words per beat, random stalls", "[block][relu]") { run_relu(7, 100000, 33); }
