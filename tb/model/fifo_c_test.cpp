// FIFO-C alone: random words pushed with random gaps, popped with random
// back-pressure. Every word must come out once, in order; push_ready must be
// high exactly when the FIFO is not full and pop_valid exactly when it is not
// empty (checked every cycle against a count of the transfers), and the fill
// must reach the depth.
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "fifo_c.hpp"

using namespace bh;

namespace {

void run_fifo(int depth, int width, size_t words, uint64_t seed) {
  Rng rng(seed);
  std::vector<Words> in(words);
  for (auto& w : in) w = rng.words(width);

  Bench b;
  sc_core::sc_signal<bool> push_valid("push_valid", false), push_ready("push_ready", false);
  sc_core::sc_signal<Words> push_data("push_data", Words(width));
  sc_core::sc_signal<bool> pop_valid("pop_valid", false), pop_ready("pop_ready", false);
  sc_core::sc_signal<Words> pop_data("pop_data", Words(width));

  accel::fifo_c dut("fifo_c", depth, width);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.push_valid_i(push_valid);
  dut.push_ready_o(push_ready);
  dut.push_data_i(push_data);
  dut.pop_valid_o(pop_valid);
  dut.pop_ready_i(pop_ready);
  dut.pop_data_o(pop_data);

  Source src("src", words, [&](size_t i) { push_data.write(in[i]); }, seed + 1);
  src.bind(b.clk, b.rst, push_valid, push_ready);
  src.scramble = [&] { push_data.write(rng.words(width)); };
  std::vector<Words> got;
  Sink sink("sink", [&] { Snap s; add(s, pop_data.read()); return s; },
            [&](size_t) { got.push_back(pop_data.read()); }, seed + 2);
  sink.bind(b.clk, b.rst, pop_valid, pop_ready);
  b.inputs({&src});
  b.outputs({&sink});

  size_t pushes = 0, pops = 0, flags_bad = 0, max_count = 0;
  b.monitor = [&] {
    const size_t count = pushes - pops;
    max_count = std::max(max_count, count);
    if (push_ready.read() != (count < size_t(depth)) || pop_valid.read() != (count > 0)) ++flags_bad;
    pushes += push_valid.read() && push_ready.read();
    pops += pop_valid.read() && pop_ready.read();
  };

  const bool ok = b.run([&] { return sink.got == words; }, [&] { return sink.got; }, words, 200 * words + 1000);
  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == words);
  size_t bad = 0;
  for (size_t i = 0; i < words; ++i)
    if (!(got[i] == in[i]) && bad++ < 3) UNSCOPED_INFO("word " << i << ": " << got[i] << ", want " << in[i]);
  CHECK(bad == 0);
  CHECK(flags_bad == 0);
  CHECK(max_count == size_t(depth));
  CHECK(dut.max_fill == size_t(depth));
  b.report("fifo_c depth " + std::to_string(depth) + " width " + std::to_string(width), 2 * words);
}

}  // namespace

TEST_CASE("fifo_c: depth 4 x 7 words (default config), random stalls", "[block][fifo_c]") {
  run_fifo(4, 7, 80000, 61);
}

TEST_CASE("fifo_c: depth 28 x 1 word (minimal config), random stalls", "[block][fifo_c]") {
  run_fifo(28, 1, 80000, 62);
}

TEST_CASE("fifo_c: depth 2 x 14 words (wide config), random stalls", "[block][fifo_c]") {
  run_fifo(2, 14, 80000, 63);
}

TEST_CASE("fifo_c: depth 1 x 3 words, random stalls", "[block][fifo_c]") {
  run_fifo(1, 3, 50000, 64);
}
