// Arg-max: SystemC model vs RTL in lockstep. Random logit vectors (valid
// held until taken): full-range, small-range (many ties), all equal, and
// extremes (INT32_MIN / INT32_MAX), random res_ready, with probabilities
// that change during the run, and rare reset pulses. Every output compared
// every cycle. Parameters: CLASSES.
#include <limits>

#include "argmax.hpp"
#include "cosim.hpp"
#include RTL_HEADER

TEST_CASE("cosim argmax " COSIM_NAME, "[cosim]") {
  constexpr int CL = COSIM_CLASSES;
  cosim::bench<accel::argmax, RTL_TOP> b("argmax", 31337 + CL * 7, CL);
  b.reset_rate = 2e-5;
  auto& logit_valid = b.in(COSIM_PORT(b, logit_valid_i));
  auto& logits = b.in(COSIM_PORT(b, logits_i), cosim::words{32});
  auto& res_ready = b.in(COSIM_PORT(b, res_ready_i));
  cosim::source src(b.pace, b.rst_n, logit_valid, b.out(COSIM_PORT(b, logit_ready_o)));
  cosim::sink snk(b.pace, b.rst_n, res_ready, b.out(COSIM_PORT(b, res_valid_o)));
  b.out(COSIM_PORT(b, res_class_o), cosim::number{});
  b.out(COSIM_PORT(b, res_logits_o), cosim::words{32});
  b.every_cycle([&] {
    src.tick([&](bool) {
      using lim = std::numeric_limits<int32_t>;
      static const int32_t extremes[] = {lim::min(), lim::min() + 1, -1, 0, 1, lim::max() - 1, lim::max()};
      accel::Words w(CL);
      const int mode = b.pace.below(4);
      const auto same = static_cast<int32_t>(b.pace());
      for (int i = 0; i < CL; ++i) {
        switch (mode) {
          case 0: w[i] = static_cast<int32_t>(b.pace()); break;  // full range
          case 1: w[i] = b.pace.below(5) - 2; break;               // ties
          case 2: w[i] = same; break;                              // all equal
          default: w[i] = extremes[b.pace.below(7)];
        }
      }
      logits.write(w);
    });
    snk.tick();
  });
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(snk.taken > COSIM_CYCLES / (8 * (CL + 2)));
  COSIM_ACTIVITY(snk.stalled > COSIM_CYCLES / 100);
  b.summary(", ", src.taken, " vectors in, ", snk.taken, " results out, ", snk.stalled, " stalled, ", b.resets,
            " resets");
}
