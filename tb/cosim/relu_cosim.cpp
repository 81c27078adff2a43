// ReLU: SystemC model vs RTL in lockstep. Random signed words (full range,
// and around 0 / the extremes), random source gaps and sink stalls, rare
// reset pulses. Every output (in_ready_o, combinational, included)
// compared every cycle. Built once per width (COSIM_PC).
#include <catch2/catch.hpp>

#include <chrono>

#include "cosim.hpp"
#include "relu.hpp"
#include "stream_stim.hpp"
#include RTL_HEADER

namespace {
constexpr int PC = COSIM_PC, NW = PC * 16;
using bv = sc_dt::sc_bv<NW>;
}  // namespace

TEST_CASE("cosim relu " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  const auto t0 = std::chrono::steady_clock::now();
  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> in_valid("in_valid", false), out_ready("out_ready", false);
  sc_signal<accel::Words> in_data("in_data", accel::Words(PC));
  sc_signal<bv> r_in_data("r_in_data");
  sc_signal<bool> m_in_ready("m_in_ready"), m_out_valid("m_out_valid");
  sc_signal<accel::Words> m_out_data("m_out_data", accel::Words(PC));
  sc_signal<bool> r_in_ready("r_in_ready"), r_out_valid("r_out_valid");
  sc_signal<bv> r_out_data("r_out_data");

  accel::relu model("model", PC);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.in_valid_i(in_valid);
  model.in_ready_o(m_in_ready);
  model.in_data_i(in_data);
  model.out_valid_o(m_out_valid);
  model.out_ready_i(out_ready);
  model.out_data_o(m_out_data);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.in_valid_i(in_valid);
  rtl.in_ready_o(r_in_ready);
  rtl.in_data_i(r_in_data);
  rtl.out_valid_o(r_out_valid);
  rtl.out_ready_i(out_ready);
  rtl.out_data_o(r_out_data);

  cosim::bridge<NW> br("bridge", in_data, r_in_data, 16);
  cosim::stream_stim st("stim", 31 + PC, [](std::mt19937_64& rng) {
    static const int32_t edge[] = {-32768, -32767, -1, 0, 1, 32766, 32767};
    accel::Words w(PC);
    const bool near = rng() % 4 == 0;
    for (int i = 0; i < PC; ++i)
      w[i] = near ? edge[rng() % 7] : static_cast<int32_t>(rng() % 65536) - 32768;
    return w;
  });
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.in_valid(in_valid);
  st.out_ready(out_ready);
  st.in_data(in_data);
  st.in_ready(m_in_ready);
  st.out_valid(m_out_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "in_ready_o", m_in_ready, r_in_ready, same);
  cosim::compare(chk, "out_valid_o", m_out_valid, r_out_valid, same);
  cosim::compare(chk, "out_data_o", m_out_data, r_out_data, [](const bv& b) { return cosim::unpack<NW>(b, 16, PC, true); });
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, in_valid, "in_valid_i");
        sc_trace(tf, m_in_ready, "in_ready_o");
        cosim::trace(tf, in_data, "in_data_i", 16);
        sc_trace(tf, m_out_valid, "out_valid_o");
        sc_trace(tf, out_ready, "out_ready_i");
        cosim::trace(tf, m_out_data, "out_data_o", 16);
      },
      [&] { sc_start(); });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim relu " COSIM_NAME, "relu_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.taken > COSIM_CYCLES / 16);
  CHECK(st.in_blocked > COSIM_CYCLES / 100);
  CHECK(st.out_stalled > COSIM_CYCLES / 100);
  WARN("relu " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares) in " << secs
                               << " s, " << st.taken << " beats in, " << st.given << " out, " << st.in_blocked
                               << " blocked, " << st.out_stalled << " stalled cycles, " << st.resets << " resets");
}
