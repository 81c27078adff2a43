// FC alone with the real FC ROM (wmem, random model): random full-range h_T
// vectors in with random gaps, logits out with random back-pressure. Every
// logit j must be lstm::numerics::fc_bias(b_fc[j]) + lstm::numerics::sparse_int4_dot(W_fc, j, h)
// (int4_value(q) * h[col] summed over the kept entries), one vector per h_T,
// in order. The ROM port is checked too: address and row are always in range,
// mem_row is the row of the address, and every ROM word is read once per h_T.
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "fc.hpp"
#include "numerics/numerics.hpp"
#include "numerics/reference.hpp"
#include "wmem.hpp"

using namespace bh;
using lstm::formats::kGates;

namespace {

void run_fc(const lstm::arch::ArchConfig& a, size_t vectors, uint64_t seed) {
  const lstm::formats::Model m = model_for(a, seed);
  Rng rng(seed);
  std::vector<Words> hs(vectors);
  for (auto& h : hs) {
    h = Words(a.H);
    for (auto& v : h.v) v = rng.chance(0.5) ? rng.word() : rng.edgy_word();
  }
  std::vector<Words> want(vectors, Words(a.classes));
  size_t overflow = 0;  // a logit the 32-bit output cannot hold
  for (size_t n = 0; n < vectors; ++n)
    for (int j = 0; j < a.classes; ++j) {
      const int64_t l = lstm::numerics::fc_bias(m.b_fc[j]) + lstm::numerics::sparse_int4_dot(m.W_fc, j, hs[n].v.data());
      overflow += l != int32_t(l);
      want[n][j] = int32_t(l);
    }

  REQUIRE(overflow == 0);

  Bench b;
  sc_core::sc_signal<bool> h_valid("h_valid", false), h_ready("h_ready", false);
  sc_core::sc_signal<Words> h("h", Words(a.H));
  sc_core::sc_signal<bool> mem_en("mem_en", false);
  sc_core::sc_signal<int> mem_addr("mem_addr", 0), mem_row("mem_row", 0), mem_bias("mem_bias", 0);
  sc_core::sc_signal<Words> mem_data("mem_data", Words(a.fc_lanes));
  sc_core::sc_signal<bool> logit_valid("logit_valid", false), logit_ready("logit_ready", false);
  sc_core::sc_signal<Words> logits("logits", Words(a.classes));
  sc_core::sc_signal<bool> off("off", false);
  sc_core::sc_signal<int> zero("zero", 0);
  sc_core::sc_signal<Words> lstm_data("lstm_data", Words(a.mvm_lanes)), bias_data("bias_data", Words(kGates * a.ewu_lanes));

  accel::wmem rom("wmem", m, a);
  rom.clk_i(b.clk);
  rom.lstm_en_i(off);
  rom.lstm_addr_i(zero);
  rom.lstm_data_o(lstm_data);
  rom.bias_en_i(off);
  rom.bias_addr_i(zero);
  rom.bias_data_o(bias_data);
  rom.fc_en_i(mem_en);
  rom.fc_addr_i(mem_addr);
  rom.fc_row_i(mem_row);
  rom.fc_data_o(mem_data);
  rom.fcb_data_o(mem_bias);

  accel::fc dut("fc", a);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.h_valid_i(h_valid);
  dut.h_ready_o(h_ready);
  dut.h_i(h);
  dut.mem_en_o(mem_en);
  dut.mem_addr_o(mem_addr);
  dut.mem_row_o(mem_row);
  dut.mem_data_i(mem_data);
  dut.mem_bias_i(mem_bias);
  dut.logit_valid_o(logit_valid);
  dut.logit_ready_i(logit_ready);
  dut.logits_o(logits);

  Source src("src", vectors, [&](size_t i) { h.write(hs[i]); }, seed + 1);
  src.bind(b.clk, b.rst, h_valid, h_ready);
  src.scramble = [&] { h.write(rng.words(a.H)); };
  std::vector<Words> got;
  Sink sink("sink", [&] { Snap s; add(s, logits.read()); return s; }, [&](size_t) { got.push_back(logits.read()); },
            seed + 2);
  sink.bind(b.clk, b.rst, logit_valid, logit_ready);
  b.inputs({&src});
  b.outputs({&sink});

  const int Fb = a.fc_beats_per_row();
  size_t port_bad = 0, reads = 0;
  b.monitor = [&] {
    // The address and row stay in range even while en is low (the RTL ROM
    // may read on any edge); with en high the row is the address's row.
    const int addr = mem_addr.read(), row = mem_row.read();
    if (addr < 0 || addr >= a.classes * Fb || row < 0 || row >= a.classes) ++port_bad;
    if (!mem_en.read()) return;
    ++reads;
    if (row != addr / Fb) ++port_bad;
  };

  const bool ok = b.run([&] { return sink.got == vectors; }, [&] { return sink.got; }, vectors,
                        vectors * (40 * a.classes * Fb + 200));
  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == vectors);
  size_t bad = 0;
  for (size_t n = 0; n < vectors; ++n)
    if (!(got[n] == want[n]) && bad++ < 3) UNSCOPED_INFO("vector " << n << ": " << got[n] << ", want " << want[n]);
  CHECK(bad == 0);
  CHECK(port_bad == 0);
  CHECK(reads == vectors * size_t(a.classes * Fb));  // every ROM word read once per vector
  b.report("fc " + a.name, 2 * vectors);
}

}  // namespace

TEST_CASE("fc: default config (4 lanes, 4 beats per row), wmem ROM, random stalls", "[block][fc]") {
  run_fc(config("default"), 25000, 81);
}

TEST_CASE("fc: fast4 config (16 lanes, 1 beat per row), wmem ROM, random stalls", "[block][fc]") {
  run_fc(config("fast4"), 30000, 82);
}

TEST_CASE("fc: odd config (5 classes, c=6 k=3, 3 lanes), wmem ROM, random stalls", "[block][fc]") {
  run_fc(odd_config(), 30000, 83);
}

TEST_CASE("fc: grouped config (3 classes, c=4 k=2, 2 groups per beat), wmem ROM, random stalls", "[block][fc]") {
  run_fc(grouped_config(), 30000, 84);
}

TEST_CASE("fc: tiny config (4 classes, 1 beat per row, H=8), wmem ROM, random stalls", "[block][fc]") {
  run_fc(tiny_config(), 40000, 85);
}
