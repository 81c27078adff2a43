// MaxPool: SystemC model vs RTL in lockstep. Random signed words (full
// range, and few distinct values so the pair often ties), random source
// gaps and random row pops, with probabilities that change during the run
// (all buffers full, all empty), rare reset pulses. Every output compared
// every cycle, row_data_o also while row_valid_o is low. Parameters: I,
// CH_PER_BEAT, SPX_BUFFERS.
#include "cosim.hpp"
#include "maxpool.hpp"
#include RTL_HEADER

TEST_CASE("cosim maxpool " COSIM_NAME, "[cosim]") {
  constexpr int I = COSIM_I, PC = COSIM_CH_PER_BEAT, NB = COSIM_SPX_BUFFERS;
  cosim::bench<accel::maxpool, RTL_TOP> b("maxpool", 57 + I * 3 + PC * 5 + NB, I, PC, NB);
  b.reset_rate = 2e-5;
  auto& in_valid = b.in(COSIM_PORT(b, in_valid_i));
  auto& in_data = b.in(COSIM_PORT(b, in_data_i), cosim::words{16});
  auto& row_ready = b.in(COSIM_PORT(b, row_ready_i));
  cosim::source src(b.pace, b.rst_n, in_valid, b.out(COSIM_PORT(b, in_ready_o)));
  cosim::sink snk(b.pace, b.rst_n, row_ready, b.out(COSIM_PORT(b, row_valid_o)));
  b.out(COSIM_PORT(b, row_data_o), cosim::words{16});
  b.every_cycle([&] {
    src.tick([&](bool) {
      accel::Words w(PC);
      const bool few = b.pace.below(3) == 0;
      for (int i = 0; i < PC; ++i) w[i] = few ? b.pace.below(3) - 1 : b.pace.below(65536) - 32768;
      in_data.write(w);
    });
    snk.tick();
  });
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(src.taken > COSIM_CYCLES / 16);
  COSIM_ACTIVITY(snk.taken > COSIM_CYCLES / (16 * 2 * (I / PC)));
  COSIM_ACTIVITY(src.blocked > COSIM_CYCLES / 100);   // all buffers full
  COSIM_ACTIVITY(snk.stalled > COSIM_CYCLES / 100);  // a row waiting for its pop
  b.summary(", ", src.taken, " beats in, ", snk.taken, " rows popped, ", src.blocked, " blocked, ", snk.stalled,
            " row-held cycles, ", b.resets, " resets");
}
