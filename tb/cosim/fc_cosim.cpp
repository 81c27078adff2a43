// FC: SystemC model vs RTL in lockstep. The FC ROM port is modelled by the
// test bench like sc_model/blocks/wmem: a registered read (data the cycle
// after mem_en_o, at mem_addr_o / mem_row_o) that holds while mem_en_o is
// low. The ROM contents ({idx < C, q} entries and biases) are random and
// drawn again for every h_T; some images use all-extreme entries (q = -8 or
// 7) and h_T vectors (all -32768 or 32767) so the logits reach their
// limits. h_T arrives with random gaps (held until taken, data random while
// low); logits leave with random back-pressure; the probabilities change
// during the run; random reset pulses. Every output compared every cycle.
// Parameters: H, C, K, CLASSES, FC_LANES.
#include "cosim.hpp"
#include "fc.hpp"
#include RTL_HEADER

TEST_CASE("cosim fc " COSIM_NAME, "[cosim]") {
  constexpr int H = COSIM_H, C = COSIM_C, K = COSIM_K, CL = COSIM_CLASSES, F = COSIM_FC_LANES;
  constexpr int GF = COSIM_FC_GF, FB = COSIM_FC_FB, DEPTH = COSIM_FC_DEPTH;  // derived (lstm-arch --params)
  static_assert(F == GF * K && H == FB * C * GF, "FC_LANES/K must divide H/C");
  lstm::arch::ArchConfig a;
  a.H = H;
  a.c = C;
  a.k = K;
  a.classes = CL;
  a.fc_lanes = F;
  REQUIRE(a.fc_beats_per_row() == FB);

  cosim::bench<accel::fc, RTL_TOP> b("fc", 0x6663 + H * 7919 + F * 31 + CL, a);
  b.reset_rate = 2e-5;
  const std::vector<double> levels = {0.02, 0.1, 0.5, 0.9, 1.0, 1.0};
  auto& h_valid = b.in(COSIM_PORT(b, h_valid_i));
  auto& h = b.in(COSIM_PORT(b, h_i), cosim::words{16});
  auto& mem_data = b.in(COSIM_PORT(b, mem_data_i), cosim::words{COSIM_ENT_W, false});
  auto& mem_bias = b.in(COSIM_PORT(b, mem_bias_i), cosim::number{true});
  auto& logit_ready = b.in(COSIM_PORT(b, logit_ready_i));
  cosim::source src(b.pace, b.rst_n, h_valid, b.out(COSIM_PORT(b, h_ready_o)), levels);
  const auto& mem_en = b.out(COSIM_PORT(b, mem_en_o));
  const auto& mem_addr = b.out(COSIM_PORT(b, mem_addr_o), cosim::number{});
  const auto& mem_row = b.out(COSIM_PORT(b, mem_row_o), cosim::number{});
  cosim::sink snk(b.pace, b.rst_n, logit_ready, b.out(COSIM_PORT(b, logit_valid_o)), levels);
  b.out(COSIM_PORT(b, logits_o), cosim::words{32});

  auto word = [&]() -> int32_t {
    const int kind = b.pace.below(8);
    return kind == 0 ? -32768 : kind == 1 ? 32767 : b.pace.below(65536) - 32768;
  };
  // The FC ROM, drawn again for every h_T: {idx < C, q} entries and biases,
  // all-extreme (q = -8 or 7) for some images.
  std::vector<accel::Words> rom(DEPTH, accel::Words(F));
  std::vector<int32_t> bias(CL);
  uint64_t extreme = 0, reads = 0, bad_reads = 0;
  auto fill_rom = [&] {
    const int mode = b.pace.below(8);  // 0: every q = -8, 1: every q = 7
    extreme += mode < 2;
    for (auto& w : rom)
      for (auto& e : w.v) e = b.pace.below(C) << 4 | (mode == 0 ? 8 : mode == 1 ? 7 : b.pace.below(16));
    for (auto& x : bias) x = mode == 0 ? -32768 : (mode == 1 ? 32767 : word());
  };
  fill_rom();
  b.every_cycle([&] {
    // FC ROM: registered read, held while en is low.
    if (mem_en.read()) {
      ++reads;
      const int adr = mem_addr.read(), r = mem_row.read();
      if (adr < 0 || adr >= DEPTH || r < 0 || r >= CL || r != adr / FB) {
        ++bad_reads;
      } else {
        mem_data.write(rom[static_cast<size_t>(adr)]);
        mem_bias.write(bias[static_cast<size_t>(r)]);
      }
    }
    snk.tick();
    const bool took = src.tick([&](bool) {
      accel::Words x(H);
      const int mode = b.pace.below(16);
      for (auto& v : x.v) v = mode == 0 ? -32768 : (mode == 1 ? 32767 : word());
      h.write(x);
    });
    if (took) fill_rom();  // the next image reads other weights
  });
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(b.resets > 0);
  CHECK(bad_reads == 0);
  COSIM_ACTIVITY(snk.taken > COSIM_CYCLES / (16 * (DEPTH + 4)));
  COSIM_ACTIVITY(extreme > 0);
  b.summary(", ", b.resets, " resets, ", src.taken, " h_T in, ", snk.taken, " logit vectors out, ", reads,
            " ROM reads");
}
