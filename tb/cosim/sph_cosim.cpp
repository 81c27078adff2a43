// S-P-H: SystemC model vs RTL in lockstep. EWU beats of E random words
// (full range, -32768 often) arrive with random gaps (valid, data, row and
// flag held until taken; anything while valid is low), rows 0, E, .., H-E
// in order per step with a random last-step flag per step and now and then
// a jump to another row (a multiple of E); random vec_pop and fc_ready
// pulses. Probabilities change during the run, so both banks fill up and
// drain; random reset pulses. Every output compared every cycle.
// Parameters: H, EWU_LANES, STREAM (the stream to a next layer, with
// random out_ready stalls; no FC path then).
#include "cosim.hpp"
#include "sph.hpp"
#include RTL_HEADER

#ifndef COSIM_STREAM
#define COSIM_STREAM 0
#endif

TEST_CASE("cosim sph " COSIM_NAME, "[cosim]") {
  constexpr int H = COSIM_H, E = COSIM_EWU_LANES, NQ = COSIM_EWU_BEATS;  // derived (lstm-arch --params)
  constexpr bool stream = COSIM_STREAM != 0;
  static_assert(NQ * E == H, "EWU_LANES must divide H");
  cosim::bench<accel::sph, RTL_TOP> b("sph", 0x737068 + H * 7919 + E * 31 + stream, H, E, stream);
  b.reset_rate = 2e-5;
  const std::vector<double> levels = {0.02, 0.1, 0.5, 0.9, 1.0};
  auto& h_valid = b.in(COSIM_PORT(b, h_valid_i));
  auto& h_data = b.in(COSIM_PORT(b, h_data_i), cosim::words{16});
  auto& h_row = b.in(COSIM_PORT(b, h_row_i), cosim::number{});
  auto& h_last = b.in(COSIM_PORT(b, h_last_i));
  auto& vec_pop = b.in(COSIM_PORT(b, vec_pop_i));
  auto& fc_ready = b.in(COSIM_PORT(b, fc_ready_i));
  const auto& h_ready = b.out(COSIM_PORT(b, h_ready_o));
  cosim::source src(b.pace, b.rst_n, h_valid, h_ready, levels);
  b.out(COSIM_PORT(b, vec_o), cosim::words{16});
  cosim::sink pop(b.pace, b.rst_n, vec_pop, b.out(COSIM_PORT(b, vec_valid_o)), levels);
  cosim::sink fc(b.pace, b.rst_n, fc_ready, b.out(COSIM_PORT(b, fc_valid_o)), levels);
  auto& out_ready = b.in(COSIM_PORT(b, out_ready_i));
  b.out(COSIM_PORT(b, out_data_o), cosim::words{16});
  b.out(COSIM_PORT(b, rel_o));
  cosim::sink out(b.pace, b.rst_n, out_ready, b.out(COSIM_PORT(b, out_valid_o)), levels);
  const int last_ch = b.pace.channel(levels);
  int q = 0;  // the next row / E of this step
  bool last = false;
  uint64_t full_cycles = 0;
  b.every_cycle([&] {
    full_cycles += !h_ready.read();
    if (src.taking()) {  // rows in order per step, now and then a jump
      if (++q == NQ) q = 0, last = b.pace.go(last_ch);
      if (b.pace.coin(1.0 / 64)) q = b.pace.below(NQ);
    }
    src.tick([&](bool offered) {
      accel::Words d(E);
      for (auto& x : d.v) {
        const int kind = b.pace.below(8);
        x = kind == 0 ? -32768 : kind == 1 ? 32767 : b.pace.below(65536) - 32768;
      }
      h_data.write(d);
      h_row.write((offered ? q : b.pace.below(NQ)) * E);
      h_last.write(offered ? last : b.pace.coin(0.5));
    });
    pop.tick();
    fc.tick();
    out.tick();
  });
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(b.resets > 0);
  COSIM_ACTIVITY(src.taken > COSIM_CYCLES / 8);
  COSIM_ACTIVITY(pop.taken > COSIM_CYCLES / (16 * NQ));
  if (stream) {
    CHECK(fc.taken == 0);
    COSIM_ACTIVITY(out.taken > COSIM_CYCLES / (16 * NQ));
  } else {
    COSIM_ACTIVITY(fc.taken > COSIM_CYCLES / (64 * NQ));
    CHECK(out.taken == 0);
  }
  COSIM_ACTIVITY(full_cycles > COSIM_CYCLES / 64);
  b.summary(", ", b.resets, " resets, ", src.taken, " beats, ", pop.taken, " vec pops, ", fc.taken, " fc takes, ", out.taken, " beats out, ",
            full_cycles, " cycles full");
}
