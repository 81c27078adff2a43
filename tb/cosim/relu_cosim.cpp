// ReLU: SystemC model vs RTL in lockstep. Random signed words (full range,
// and around 0 / the extremes), random source gaps and sink stalls, rare
// reset pulses. Every output (in_ready_o, combinational, included)
// compared every cycle. Parameters: CH_PER_BEAT.
#include "cosim.hpp"
#include "relu.hpp"
#include RTL_HEADER

TEST_CASE("cosim relu " COSIM_NAME, "[cosim]") {
  constexpr int PC = COSIM_CH_PER_BEAT;
  cosim::bench<accel::relu, RTL_TOP> b("relu", 31 + PC, PC);
  b.reset_rate = 2e-5;
  auto& in_valid = b.in(COSIM_PORT(b, in_valid_i));
  auto& in_data = b.in(COSIM_PORT(b, in_data_i), cosim::words{16});
  auto& out_ready = b.in(COSIM_PORT(b, out_ready_i));
  cosim::source src(b.pace, b.rst_n, in_valid, b.out(COSIM_PORT(b, in_ready_o)));
  cosim::sink snk(b.pace, b.rst_n, out_ready, b.out(COSIM_PORT(b, out_valid_o)));
  b.out(COSIM_PORT(b, out_data_o), cosim::words{16});
  b.every_cycle([&] {
    src.tick([&](bool) {
      static const int32_t edge[] = {-32768, -32767, -1, 0, 1, 32766, 32767};
      accel::Words w(PC);
      const bool near = b.pace.below(4) == 0;
      for (int i = 0; i < PC; ++i) w[i] = near ? edge[b.pace.below(7)] : b.pace.below(65536) - 32768;
      in_data.write(w);
    });
    snk.tick();
  });
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(src.taken > COSIM_CYCLES / 16);
  COSIM_ACTIVITY(src.blocked > COSIM_CYCLES / 100);
  COSIM_ACTIVITY(snk.stalled > COSIM_CYCLES / 100);
  b.summary(", ", src.taken, " beats in, ", snk.taken, " out, ", src.blocked, " blocked, ", snk.stalled,
            " stalled cycles, ", b.resets, " resets");
}
