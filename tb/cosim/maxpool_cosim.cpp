// MaxPool: SystemC model vs RTL in lockstep. Random signed words (full
// range, and few distinct values so the pair often ties), random source
// gaps and random row pops, with probabilities that change during the run
// (all buffers full, all empty), rare reset pulses. Every output compared
// every cycle, row_data_o also while row_valid_o is low. Built once per
// parameter set (COSIM_I, COSIM_PC, COSIM_NB).
#include <catch2/catch.hpp>

#include <chrono>

#include "cosim.hpp"
#include "maxpool.hpp"
#include "stream_stim.hpp"
#include RTL_HEADER

namespace {
constexpr int I = COSIM_I, PC = COSIM_PC, NB = COSIM_NB, NIN = PC * 16, NROW = I * 16;
using in_bv = sc_dt::sc_bv<NIN>;
using row_bv = sc_dt::sc_bv<NROW>;
}  // namespace

TEST_CASE("cosim maxpool " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  const auto t0 = std::chrono::steady_clock::now();
  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> in_valid("in_valid", false), row_ready("row_ready", false);
  sc_signal<accel::Words> in_data("in_data", accel::Words(PC));
  sc_signal<in_bv> r_in_data("r_in_data");
  sc_signal<bool> m_in_ready("m_in_ready"), m_row_valid("m_row_valid");
  sc_signal<accel::Words> m_row_data("m_row_data", accel::Words(I));
  sc_signal<bool> r_in_ready("r_in_ready"), r_row_valid("r_row_valid");
  sc_signal<row_bv> r_row_data("r_row_data");

  accel::maxpool model("model", I, PC, NB);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.in_valid_i(in_valid);
  model.in_ready_o(m_in_ready);
  model.in_data_i(in_data);
  model.row_valid_o(m_row_valid);
  model.row_ready_i(row_ready);
  model.row_data_o(m_row_data);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.in_valid_i(in_valid);
  rtl.in_ready_o(r_in_ready);
  rtl.in_data_i(r_in_data);
  rtl.row_valid_o(r_row_valid);
  rtl.row_ready_i(row_ready);
  rtl.row_data_o(r_row_data);

  cosim::bridge<NIN> br("bridge", in_data, r_in_data, 16);
  cosim::stream_stim st("stim", 57 + I * 3 + PC * 5 + NB, [](std::mt19937_64& rng) {
    accel::Words w(PC);
    const bool few = rng() % 3 == 0;
    for (int i = 0; i < PC; ++i)
      w[i] = few ? static_cast<int32_t>(rng() % 3) - 1 : static_cast<int32_t>(rng() % 65536) - 32768;
    return w;
  });
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.in_valid(in_valid);
  st.out_ready(row_ready);
  st.in_data(in_data);
  st.in_ready(m_in_ready);
  st.out_valid(m_row_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "in_ready_o", m_in_ready, r_in_ready, same);
  cosim::compare(chk, "row_valid_o", m_row_valid, r_row_valid, same);
  cosim::compare(chk, "row_data_o", m_row_data, r_row_data,
                 [](const row_bv& b) { return cosim::unpack<NROW>(b, 16, I, true); });
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, in_valid, "in_valid_i");
        sc_trace(tf, m_in_ready, "in_ready_o");
        cosim::trace(tf, in_data, "in_data_i", 16);
        sc_trace(tf, m_row_valid, "row_valid_o");
        sc_trace(tf, row_ready, "row_ready_i");
        cosim::trace(tf, m_row_data, "row_data_o", 16);
      },
      [&] { sc_start(); });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim maxpool " COSIM_NAME, "maxpool_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.taken > COSIM_CYCLES / 16);
  CHECK(st.given > COSIM_CYCLES / (16 * 2 * (I / PC)));
  CHECK(st.in_blocked > COSIM_CYCLES / 100);   // all buffers full
  CHECK(st.out_stalled > COSIM_CYCLES / 100);  // a row waiting for its pop
  WARN("maxpool " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares) in " << secs
                                  << " s, " << st.taken << " beats in, " << st.given << " rows popped, "
                                  << st.in_blocked << " blocked, " << st.out_stalled << " row-held cycles, "
                                  << st.resets << " resets");
}
