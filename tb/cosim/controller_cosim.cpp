// Controller: SystemC model vs RTL in lockstep. row_valid and h_valid are
// driven like S-P-X and S-P-H drive them (hold semantics: a vector stays
// valid until the controller pops it; up to 2 rows / 2 h vectors queued,
// new ones arriving at random), beat_ready at random, with probabilities
// that change during the run, and rare reset pulses. Every output (the
// combinational beat, valid and pops) compared every cycle. Built once per
// parameter set (COSIM_I, COSIM_H, COSIM_T, COSIM_C, COSIM_K, COSIM_L,
// COSIM_G).
#include <catch2/catch.hpp>

#include <chrono>

#include "controller.hpp"
#include "cosim.hpp"
#include RTL_HEADER

namespace {

constexpr int I = COSIM_I, H = COSIM_H, T = COSIM_T, C = COSIM_C, K = COSIM_K, L = COSIM_L, G = COSIM_G;
constexpr int R = L / (4 * K * G), B = H / R, WC = I / (C * G), UC = H / (C * G);
constexpr int clog2(int n) { return n <= 1 ? 0 : 1 + clog2((n + 1) / 2); }
constexpr int TW = T > 1 ? clog2(T) : 1, BW = B > 1 ? clog2(B) : 1;
constexpr int JW = (WC > UC ? WC : UC) > 1 ? clog2(WC > UC ? WC : UC) : 1;
constexpr int BEAT_W = 5 + TW + BW + JW;
using beat_bv = sc_dt::sc_bv<BEAT_W>;
static_assert(R * B == H && WC * C * G == I && UC * C * G == H, "illegal parameter set");

accel::Beat unpack_beat(const beat_bv& bv) { return cosim::beat_of(bv.to_uint64(), TW, BW, JW); }

SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n, row_valid, h_valid, beat_ready;
  sc_core::sc_in<bool> row_pop, h_pop, beat_valid;  // the model's
  double p_row = 0.5, p_h = 0.5, p_ready = 0.5;
  uint64_t cycle = 0, beats = 0, row_pops = 0, h_pops = 0, stalls = 0, waits = 0, resets = 0,
           underflows = 0;
  stim(sc_core::sc_module_name n, uint64_t seed) : sc_module(n), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }

 private:
  void tick() {
    ++cycle;
    const bool in_reset = !rst_n.read();
    if (!in_reset) {
      beats += beat_valid.read() && beat_ready.read();
      stalls += beat_valid.read() && !beat_ready.read();
      waits += !beat_valid.read();
      // The producers release the popped vector on this edge.
      if (row_pop.read()) --rows_, ++row_pops;
      if (h_pop.read()) --hs_, ++h_pops;
    }
    // Reset: 2 cycles at the start, then rare pulses of 1..3 cycles (the
    // producers reset with it).
    if (cycle <= 2) {
      rst_n.write(false);
    } else if (reset_left_ > 0) {
      --reset_left_;
      rst_n.write(reset_left_ == 0);
    } else if (coin(2e-5)) {
      reset_left_ = 1 + static_cast<int>(rng_() % 3);
      rst_n.write(false);
      rows_ = hs_ = 0;
      ++resets;
    } else {
      rst_n.write(true);
    }
    underflows += rows_ < 0 || hs_ < 0;  // a pop of nothing: never, pops need valid
    if (rows_ < 2 && coin(p_row)) ++rows_;
    if (hs_ < 2 && coin(p_h)) ++hs_;
    row_valid.write(rows_ > 0);
    h_valid.write(hs_ > 0);
    beat_ready.write(coin(p_ready));
    if (cycle >= next_change_) {
      static const double ps[] = {0.002, 0.05, 0.3, 0.7, 1.0};
      p_row = ps[rng_() % 5];
      p_h = ps[rng_() % 5];
      p_ready = ps[1 + rng_() % 4];
      next_change_ = cycle + 500 + rng_() % 8000;
    }
  }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::mt19937_64 rng_;
  uint64_t next_change_ = 0;
  int reset_left_ = 0, rows_ = 0, hs_ = 0;
};

}  // namespace

TEST_CASE("cosim controller " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  const auto t0 = std::chrono::steady_clock::now();
  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> row_valid("row_valid", false), h_valid("h_valid", false), beat_ready("beat_ready", false);
  // Model outputs and RTL outputs.
  sc_signal<bool> m_row_pop("m_row_pop"), m_h_pop("m_h_pop"), m_beat_valid("m_beat_valid");
  sc_signal<accel::Beat> m_beat("m_beat");
  sc_signal<bool> r_row_pop("r_row_pop"), r_h_pop("r_h_pop"), r_beat_valid("r_beat_valid");
  sc_signal<beat_bv> r_beat("r_beat");

  accel::controller model("model", T, B, WC, UC);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.row_valid_i(row_valid);
  model.row_pop_o(m_row_pop);
  model.h_valid_i(h_valid);
  model.h_pop_o(m_h_pop);
  model.beat_valid_o(m_beat_valid);
  model.beat_ready_i(beat_ready);
  model.beat_o(m_beat);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.row_valid_i(row_valid);
  rtl.row_pop_o(r_row_pop);
  rtl.h_valid_i(h_valid);
  rtl.h_pop_o(r_h_pop);
  rtl.beat_valid_o(r_beat_valid);
  rtl.beat_ready_i(beat_ready);
  rtl.beat_o(r_beat);

  stim st("stim", 4242 + T * 1009 + B * 101 + WC * 11 + UC);
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.row_valid(row_valid);
  st.h_valid(h_valid);
  st.beat_ready(beat_ready);
  st.row_pop(m_row_pop);
  st.h_pop(m_h_pop);
  st.beat_valid(m_beat_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "beat_valid_o", m_beat_valid, r_beat_valid, same);
  cosim::compare(chk, "beat_o", m_beat, r_beat, unpack_beat);
  cosim::compare(chk, "row_pop_o", m_row_pop, r_row_pop, same);
  cosim::compare(chk, "h_pop_o", m_h_pop, r_h_pop, same);
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, row_valid, "row_valid_i");
        sc_trace(tf, m_row_pop, "row_pop_o");
        sc_trace(tf, h_valid, "h_valid_i");
        sc_trace(tf, m_h_pop, "h_pop_o");
        sc_trace(tf, m_beat_valid, "beat_valid_o");
        sc_trace(tf, beat_ready, "beat_ready_i");
        accel::sc_trace(tf, m_beat.read(), "beat_o");
      },
      [&] {
        sc_start();
      });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (chk.failed) {
    const std::string note =
        cosim::rerun_with_traces("cosim controller " COSIM_NAME, "controller_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.underflows == 0);
  CHECK(st.beats > COSIM_CYCLES / 8);
  CHECK(st.stalls > COSIM_CYCLES / 100);
  CHECK(st.waits > COSIM_CYCLES / 100);
  // Enough beats for several images, each popping T rows and T-1 h vectors
  // (a reset restarts the schedule, so each may cut an image short).
  const uint64_t images = st.beats / (uint64_t(T) * B * (WC + UC));
  const uint64_t whole = images > st.resets + 1 ? images - st.resets - 1 : 0;
  CHECK(images >= 3);
  CHECK(st.row_pops >= whole * T);
  CHECK(st.h_pops >= whole * (T - 1));
  WARN("controller " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares) in "
                                     << secs << " s, " << st.beats << " beats (" << images << " images), "
                                     << st.row_pops << " row pops, " << st.h_pops << " h pops, " << st.stalls
                                     << " stalled, " << st.waits << " waiting cycles, " << st.resets << " resets");
}
