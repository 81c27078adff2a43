// Controller: SystemC model vs RTL in lockstep. row_valid and h_valid are
// driven like S-P-X and S-P-H drive them (hold semantics: a vector stays
// valid until the controller pops it; up to 2 rows / 2 h vectors queued,
// new ones arriving at random), beat_ready at random, with probabilities
// that change during the run, and rare reset pulses (the producers reset
// with the block). h_rel (S-P-H's bank credit) pulses at random, so the
// credit count runs full and empty. Every output (the combinational beat, valid and pops)
// compared every cycle. Parameters: I, H, T, C, K, LANES, GROUPS.
#include "controller.hpp"
#include "cosim.hpp"
#include RTL_HEADER

TEST_CASE("cosim controller " COSIM_NAME, "[cosim]") {
  constexpr int I = COSIM_I, H = COSIM_H, T = COSIM_T, C = COSIM_C, K = COSIM_K, L = COSIM_LANES, G = COSIM_GROUPS;
  constexpr int R = COSIM_R, B = COSIM_B, WC = COSIM_WC, UC = COSIM_UC;  // derived (lstm-arch --params)
  static_assert(4 * R * K * G == L && R * B == H && WC * C * G == I && UC * C * G == H, "illegal parameter set");
  cosim::bench<accel::controller, RTL_TOP> b("controller", 4242 + T * 1009 + B * 101 + WC * 11 + UC, T, B, WC, UC);
  b.reset_rate = 2e-5;
  auto& row_valid = b.in(COSIM_PORT(b, row_valid_i));
  auto& h_valid = b.in(COSIM_PORT(b, h_valid_i));
  auto& beat_ready = b.in(COSIM_PORT(b, beat_ready_i));
  auto& h_rel = b.in(COSIM_PORT(b, h_rel_i));
  const auto& beat_valid = b.out(COSIM_PORT(b, beat_valid_o));
  b.out(COSIM_PORT(b, beat_o), cosim::beat{});
  const auto& row_pop = b.out(COSIM_PORT(b, row_pop_o));
  const auto& h_pop = b.out(COSIM_PORT(b, h_pop_o));
  cosim::sink snk(b.pace, b.rst_n, beat_ready, beat_valid, {0.05, 0.3, 0.7, 1.0});
  const int row_ch = b.pace.channel({0.002, 0.05, 0.3, 0.7, 1.0}), h_ch = b.pace.channel({0.002, 0.05, 0.3, 0.7, 1.0});
  const int rel_ch = b.pace.channel({0.05, 0.3, 0.9});
  int rows = 0, hs = 0;  // vectors the producers hold
  uint64_t row_pops = 0, h_pops = 0, waits = 0, underflows = 0;
  b.every_cycle([&] {
    if (b.in_reset()) {
      rows = hs = 0;
    } else {
      waits += !beat_valid.read();
      // The producers release the popped vector on this edge.
      if (row_pop.read()) --rows, ++row_pops;
      if (h_pop.read()) --hs, ++h_pops;
    }
    underflows += rows < 0 || hs < 0;  // a pop of nothing: never, pops need valid
    if (rows < 2 && b.pace.go(row_ch)) ++rows;
    if (hs < 2 && b.pace.go(h_ch)) ++hs;
    row_valid.write(rows > 0);
    h_valid.write(hs > 0);
    h_rel.write(b.pace.go(rel_ch));
    snk.tick();
  });
  b.run(COSIM_CYCLES);
  CHECK(underflows == 0);
  COSIM_ACTIVITY(snk.taken > COSIM_CYCLES / 8);
  COSIM_ACTIVITY(snk.stalled > COSIM_CYCLES / 100);
  COSIM_ACTIVITY(waits > COSIM_CYCLES / 100);
  // Enough beats for several images, each popping T rows and T-1 h vectors
  // (a reset restarts the schedule, so each may cut an image short).
  const uint64_t images = snk.taken / (uint64_t(T) * B * (WC + UC));
  const uint64_t whole = images > b.resets + 1 ? images - b.resets - 1 : 0;
  COSIM_ACTIVITY(images >= 3);
  CHECK(row_pops >= whole * T);
  CHECK(h_pops >= whole * (T - 1));
  b.summary(", ", snk.taken, " beats (", images, " images), ", row_pops, " row pops, ", h_pops, " h pops, ",
            snk.stalled, " stalled, ", waits, " waiting cycles, ", b.resets, " resets");
}
