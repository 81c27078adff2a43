// S-P-X: SystemC model vs RTL in lockstep. Random pixel beats (valid held
// until taken) and random row pops, with stall probabilities that change
// during the run (so the buffers run full and empty), and rare reset pulses
// (the row buffers and row_data_o are not reset). Every output compared
// every cycle. Parameters: I, PIX_PER_BEAT, SPX_BUFFERS, WORDS_IN (Q2.13
// words in, full range, instead of pixels).
#include "cosim.hpp"
#include "spx.hpp"
#include RTL_HEADER

#ifndef COSIM_WORDS_IN
#define COSIM_WORDS_IN 0
#endif

TEST_CASE("cosim spx " COSIM_NAME, "[cosim]") {
  constexpr int I = COSIM_I, P = COSIM_PIX_PER_BEAT, NB = COSIM_SPX_BUFFERS;
  constexpr bool words_in = COSIM_WORDS_IN != 0;
  cosim::bench<accel::spx, RTL_TOP> b("spx", 777 + I * 131 + P * 17 + NB, I, P, NB, words_in);
  b.reset_rate = 2e-5;
  auto& pix_valid = b.in(COSIM_PORT(b, pix_valid_i));
  auto& pix_data = b.in(COSIM_PORT(b, pix_data_i), cosim::words{words_in ? 16 : 8});
  auto& row_ready = b.in(COSIM_PORT(b, row_ready_i));
  const auto& pix_ready = b.out(COSIM_PORT(b, pix_ready_o));
  const auto& row_valid = b.out(COSIM_PORT(b, row_valid_o));
  b.out(COSIM_PORT(b, row_data_o), cosim::words{16});
  cosim::source src(b.pace, b.rst_n, pix_valid, pix_ready);
  cosim::sink snk(b.pace, b.rst_n, row_ready, row_valid);
  uint64_t full = 0, empty = 0;
  b.every_cycle([&] {
    full += !b.in_reset() && !pix_ready.read();
    empty += !b.in_reset() && !row_valid.read();
    src.tick([&](bool) {
      accel::Words w(P);
      for (int i = 0; i < P; ++i) w[i] = words_in ? b.pace.below(65536) - 32768 : b.pace.below(256);
      pix_data.write(w);
    });
    snk.tick();
  });
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(src.taken > COSIM_CYCLES / 16);
  COSIM_ACTIVITY(snk.taken > COSIM_CYCLES / (16 * (I / P)));
  COSIM_ACTIVITY(full > COSIM_CYCLES / 100);
  COSIM_ACTIVITY(empty > COSIM_CYCLES / 100);
  b.summary(", ", src.taken, " pixel beats, ", snk.taken, " rows, ", full, " full, ", empty, " empty cycles, ",
            b.resets, " resets");
}
