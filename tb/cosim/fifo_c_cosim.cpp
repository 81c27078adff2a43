// FIFO-C: SystemC model vs RTL in lockstep, random pushes and pops with
// random stalls on both sides. Built once per parameter set (COSIM_DEPTH,
// COSIM_WIDTH); with COSIM_FAULT the RTL carries a deliberate one-bit fault
// and the test expects the harness to catch it at the right cycle and port.
#include <catch2/catch.hpp>
#include <fstream>

#include "cosim.hpp"
#include "fifo_c.hpp"
#include RTL_HEADER

namespace {

constexpr int D = COSIM_DEPTH, E = COSIM_WIDTH, N = E * 16;
using bv = sc_dt::sc_bv<N>;

SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> push_valid, pop_ready;
  sc_core::sc_out<accel::Words> push_data;
  sc_core::sc_in<bool> push_ready;  // the model's
  sc_core::sc_in<bool> pop_valid;
  double p_push = 0.5, p_pop = 0.5;
  uint64_t cycle = 0, first_full = 0, pushes = 0, pops = 0;
  stim(sc_core::sc_module_name n, uint64_t seed) : sc_module(n), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }

 private:
  void tick() {
    ++cycle;
    const bool took = push_valid.read() && push_ready.read();
    pushes += took;
    pops += pop_valid.read() && pop_ready.read();
    if (!push_valid.read() || took) {  // valid is held until taken
      const bool v = coin(p_push);
      push_valid.write(v);
      if (v) {
        accel::Words w(E);
        for (int i = 0; i < E; ++i) w[i] = static_cast<int32_t>(rng_() % 65536) - 32768;
        push_data.write(w);
      }
    }
    pop_ready.write(coin(p_pop));
    // Every 4096 cycles: new stall probabilities, so full and empty both happen.
    if (cycle % 4096 == 0) {
      static const double ps[] = {0.1, 0.5, 0.9, 1.0};
      p_push = ps[rng_() % 4];
      p_pop = ps[rng_() % 4];
    }
  }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::mt19937_64 rng_;
};

}  // namespace

TEST_CASE("cosim fifo_c " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> push_valid("push_valid", false), pop_ready("pop_ready", false);
  sc_signal<accel::Words> push_data("push_data", accel::Words(E));
  sc_signal<bv> r_push_data("r_push_data");
  // Model outputs and RTL outputs.
  sc_signal<bool> m_push_ready("m_push_ready"), m_pop_valid("m_pop_valid");
  sc_signal<accel::Words> m_pop_data("m_pop_data", accel::Words(E));
  sc_signal<bool> r_push_ready("r_push_ready"), r_pop_valid("r_pop_valid");
  sc_signal<bv> r_pop_data("r_pop_data");

  accel::fifo_c model("model", D, E);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.push_valid_i(push_valid);
  model.push_ready_o(m_push_ready);
  model.push_data_i(push_data);
  model.pop_valid_o(m_pop_valid);
  model.pop_ready_i(pop_ready);
  model.pop_data_o(m_pop_data);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.push_valid_i(push_valid);
  rtl.push_ready_o(r_push_ready);
  rtl.push_data_i(r_push_data);
  rtl.pop_valid_o(r_pop_valid);
  rtl.pop_ready_i(pop_ready);
  rtl.pop_data_o(r_pop_data);

  // Input bridge: the RTL sees the same data, packed.
  struct bridge : sc_module {
    SC_HAS_PROCESS(bridge);
    const sc_signal<accel::Words>& in;
    sc_signal<bv>& out;
    bridge(sc_module_name n, const sc_signal<accel::Words>& i, sc_signal<bv>& o) : sc_module(n), in(i), out(o) {
      SC_METHOD(run);
      sensitive << in;
    }
    void run() { out.write(cosim::pack<N>(in.read(), 16)); }
  } br("bridge", push_data, r_push_data);

  stim st("stim", 12345 + D * 31 + E);
  st.clk_i(clk);
  st.push_valid(push_valid);
  st.pop_ready(pop_ready);
  st.push_data(push_data);
  st.push_ready(m_push_ready);
  st.pop_valid(m_pop_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "push_ready_o", m_push_ready, r_push_ready, same);
  cosim::compare(chk, "pop_valid_o", m_pop_valid, r_pop_valid, same);
  cosim::compare(chk, "pop_data_o", m_pop_data, r_pop_data, [](const bv& b) { return cosim::unpack<N>(b, 16, E, true); });
  chk.stop_after = COSIM_CYCLES;

  // The first cycle the model is full (for the fault-injection variant).
  uint64_t first_full = 0;
  struct watch : sc_module {
    SC_HAS_PROCESS(watch);
    const sc_signal<bool>& ready;
    const sc_signal<bool>& rst;
    uint64_t& first;
    uint64_t cycle = 0;
    watch(sc_module_name n, const sc_signal<bool>& r, const sc_signal<bool>& rs, uint64_t& f, sc_clock& c)
        : sc_module(n), ready(r), rst(rs), first(f) {
      SC_METHOD(run);
      sensitive << c.negedge_event();
      dont_initialize();
    }
    void run() {
      ++cycle;
      if (rst.read() && !ready.read() && !first) first = cycle;
    }
  } wt("watch", m_push_ready, rst_n, first_full, clk);

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, push_valid, "push_valid_i");
        sc_trace(tf, m_push_ready, "push_ready_o");
        cosim::trace(tf, push_data, "push_data_i", 16);
        sc_trace(tf, m_pop_valid, "pop_valid_o");
        sc_trace(tf, pop_ready, "pop_ready_i");
        cosim::trace(tf, m_pop_data, "pop_data_o", 16);
      },
      [&] {
        sc_start(20, SC_NS);
        rst_n.write(true);
        sc_start();
      });

#ifdef COSIM_FAULT
  // The RTL flips bit 0 of pop_data_o whenever it is full: the harness must
  // report pop_data_o at the first full cycle.
  REQUIRE(chk.failed);
  REQUIRE(first_full > 0);
  CHECK(chk.first.port == "pop_data_o");
  CHECK(chk.first.cycle == first_full);
  // The report comes with both sides' VCDs, written by a traced re-run.
  if (!cosim::trace_prefix()) {
    const std::string note = cosim::rerun_with_traces("cosim fifo_c " COSIM_NAME, "fifo_c_fault");
    CHECK(std::ifstream("fifo_c_fault_model.vcd").good());
    CHECK(std::ifstream("fifo_c_fault_rtl.vcd").good());
  }
  WARN("fault caught: cycle " << chk.first.cycle << " port " << chk.first.port << " expected " << chk.first.expected
                              << " actual " << chk.first.actual);
#else
  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim fifo_c " COSIM_NAME, "fifo_c_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.pushes > COSIM_CYCLES / 8);
  CHECK(st.pops > COSIM_CYCLES / 8);
  WARN("fifo_c " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares), "
                                 << st.pushes << " pushes, " << st.pops << " pops");
#endif
}
