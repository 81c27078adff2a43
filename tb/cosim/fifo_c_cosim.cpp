// FIFO-C: SystemC model vs RTL in lockstep, random pushes and pops with
// random stalls on both sides. Parameters: DEPTH, WIDTH. With COSIM_FAULT
// the RTL is tb/cosim/fault/fifo_c_fault.v (a one-bit fault whenever the
// FIFO is full) and the test expects the harness to catch it at the right
// cycle and port, with both sides' VCDs.
#include <fstream>

#include "cosim.hpp"
#include "fifo_c.hpp"
#include RTL_HEADER

TEST_CASE("cosim fifo_c " COSIM_NAME, "[cosim]") {
  constexpr int D = COSIM_DEPTH, E = COSIM_WIDTH;
  cosim::bench<accel::fifo_c, RTL_TOP> b("fifo_c", 12345 + D * 31 + E, D, E);
  auto& push_valid = b.in(COSIM_PORT(b, push_valid_i));
  auto& push_data = b.in(COSIM_PORT(b, push_data_i), cosim::words{16});
  auto& pop_ready = b.in(COSIM_PORT(b, pop_ready_i));
  const auto& push_ready = b.out(COSIM_PORT(b, push_ready_o));
  cosim::source push(b.pace, b.rst_n, push_valid, push_ready, {0.1, 0.5, 0.9, 1.0});
  cosim::sink pop(b.pace, b.rst_n, pop_ready, b.out(COSIM_PORT(b, pop_valid_o)), {0.1, 0.5, 0.9, 1.0});
  b.out(COSIM_PORT(b, pop_data_o), cosim::words{16});
  b.every_cycle([&] {
    push.tick([&](bool) {
      accel::Words w(E);
      for (int i = 0; i < E; ++i) w[i] = b.pace.below(65536) - 32768;
      push_data.write(w);
    });
    pop.tick();
  });
  uint64_t first_full = 0;  // the first cycle the model is full
  b.every_check([&] {
    if (!b.in_reset() && !push_ready.read() && !first_full) first_full = b.cycle();
  });

#ifdef COSIM_FAULT
  b.run(COSIM_CYCLES, true);
  REQUIRE(b.failed());
  REQUIRE(first_full > 0);
  const cosim::Mismatch& m = b.first_mismatch();
  CHECK(m.port == "pop_data_o");
  CHECK(m.cycle == first_full);
  // The report comes with both sides' VCDs, written by a traced re-run.
  if (!cosim::trace_prefix()) {
    cosim::rerun_with_traces(b.test_name(), "fifo_c_fault");
    CHECK(std::ifstream("fifo_c_fault_model.vcd").good());
    CHECK(std::ifstream("fifo_c_fault_rtl.vcd").good());
  }
  WARN("fault caught: " << cosim::report(m));
#else
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(push.taken > COSIM_CYCLES / 8);
  COSIM_ACTIVITY(pop.taken > COSIM_CYCLES / 8);
  b.summary(", ", push.taken, " pushes, ", pop.taken, " pops");
#endif
}
