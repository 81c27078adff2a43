// Arg-max: SystemC model vs RTL in lockstep. Random logit vectors (valid
// held until taken): full-range, small-range (many ties), all equal, and
// extremes (INT32_MIN / INT32_MAX), random res_ready, with probabilities
// that change during the run, and rare reset pulses. Every output compared
// every cycle. Built once per parameter set (COSIM_CLASSES).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <type_traits>

#include "argmax.hpp"
#include "cosim.hpp"
#include RTL_HEADER

namespace {

constexpr int CL = COSIM_CLASSES;
constexpr int clog2(int n) { return n <= 1 ? 0 : 1 + clog2((n + 1) / 2); }
constexpr int CLASS_W = CL > 1 ? clog2(CL) : 1;
constexpr int NL = CL * 32;
using logits_bv = sc_dt::sc_bv<NL>;
// With --pins-bv 2 a 1-bit port is a bool, wider ones are sc_bv.
using class_t = std::conditional_t<(CLASS_W > 1), sc_dt::sc_bv<CLASS_W>, bool>;
int to_class(bool b) { return b ? 1 : 0; }
template <int N>
int to_class(const sc_dt::sc_bv<N>& b) {
  return static_cast<int>(b.to_uint64());
}

// Words <-> packed bits through 32-bit words (element i at [i*32 +: 32]);
// cosim::pack/unpack go bit by bit, too slow for wide ports every cycle.
logits_bv fpack(const accel::Words& v) {
  logits_bv r;
  for (int i = 0; i < CL; ++i) r.set_word(i, static_cast<uint32_t>(v[i]));
  return r;
}
accel::Words funpack(const logits_bv& b) {
  accel::Words v(CL);
  for (int i = 0; i < CL; ++i) v[i] = static_cast<int32_t>(static_cast<uint32_t>(b.get_word(i)));
  return v;
}

SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n, logit_valid, res_ready;
  sc_core::sc_out<accel::Words> logits;
  sc_core::sc_in<bool> logit_ready, res_valid;  // the model's
  double p_logit = 0.5, p_ready = 0.5;
  uint64_t cycle = 0, vectors = 0, results = 0, stalls = 0, resets = 0;
  stim(sc_core::sc_module_name n, uint64_t seed) : sc_module(n), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }

 private:
  void tick() {
    ++cycle;
    const bool in_reset = !rst_n.read();
    const bool took = !in_reset && logit_valid.read() && logit_ready.read();
    vectors += took;
    results += !in_reset && res_valid.read() && res_ready.read();
    stalls += !in_reset && res_valid.read() && !res_ready.read();
    // Reset: 2 cycles at the start, then rare pulses of 1..3 cycles.
    if (cycle <= 2) {
      rst_n.write(false);
    } else if (reset_left_ > 0) {
      --reset_left_;
      rst_n.write(reset_left_ == 0);
    } else if (coin(2e-5)) {
      reset_left_ = 1 + static_cast<int>(rng_() % 3);
      rst_n.write(false);
      ++resets;
    } else {
      rst_n.write(true);
    }
    if (!logit_valid.read() || took) {  // valid is held until taken
      logit_valid.write(coin(p_logit));
      logits.write(random_logits());
    }
    res_ready.write(coin(p_ready));
    if (cycle >= next_change_) {
      static const double ps[] = {0.02, 0.2, 0.5, 0.8, 1.0};
      p_logit = ps[rng_() % 5];
      p_ready = ps[rng_() % 5];
      next_change_ = cycle + 500 + rng_() % 8000;
    }
  }
  accel::Words random_logits() {
    static const int32_t extremes[] = {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::min() + 1,
                                       -1, 0, 1, std::numeric_limits<int32_t>::max() - 1,
                                       std::numeric_limits<int32_t>::max()};
    accel::Words w(CL);
    const int mode = static_cast<int>(rng_() % 4);
    const int32_t same = static_cast<int32_t>(rng_());
    for (int i = 0; i < CL; ++i) {
      switch (mode) {
        case 0: w[i] = static_cast<int32_t>(rng_()); break;                         // full range
        case 1: w[i] = static_cast<int32_t>(rng_() % 5) - 2; break;                 // ties
        case 2: w[i] = same; break;                                                 // all equal
        default: w[i] = extremes[rng_() % (sizeof extremes / sizeof extremes[0])];  // extremes
      }
    }
    return w;
  }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::mt19937_64 rng_;
  uint64_t next_change_ = 0;
  int reset_left_ = 0;
};

}  // namespace

TEST_CASE("cosim argmax " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  const auto t0 = std::chrono::steady_clock::now();
  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> logit_valid("logit_valid", false), res_ready("res_ready", false);
  sc_signal<accel::Words> logits("logits", accel::Words(CL));
  sc_signal<logits_bv> r_logits("r_logits");
  // Model outputs and RTL outputs.
  sc_signal<bool> m_logit_ready("m_logit_ready"), m_res_valid("m_res_valid");
  sc_signal<int> m_res_class("m_res_class", 0);
  sc_signal<accel::Words> m_res_logits("m_res_logits", accel::Words(CL));
  sc_signal<bool> r_logit_ready("r_logit_ready"), r_res_valid("r_res_valid");
  sc_signal<class_t> r_res_class("r_res_class");
  sc_signal<logits_bv> r_res_logits("r_res_logits");

  accel::argmax model("model", CL);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.logit_valid_i(logit_valid);
  model.logit_ready_o(m_logit_ready);
  model.logits_i(logits);
  model.res_valid_o(m_res_valid);
  model.res_ready_i(res_ready);
  model.res_class_o(m_res_class);
  model.res_logits_o(m_res_logits);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.logit_valid_i(logit_valid);
  rtl.logit_ready_o(r_logit_ready);
  rtl.logits_i(r_logits);
  rtl.res_valid_o(r_res_valid);
  rtl.res_ready_i(res_ready);
  rtl.res_class_o(r_res_class);
  rtl.res_logits_o(r_res_logits);

  // Input bridge: the RTL sees the same logits, packed.
  struct bridge : sc_module {
    SC_HAS_PROCESS(bridge);
    const sc_signal<accel::Words>& in;
    sc_signal<logits_bv>& out;
    bridge(sc_module_name n, const sc_signal<accel::Words>& i, sc_signal<logits_bv>& o) : sc_module(n), in(i), out(o) {
      SC_METHOD(run);
      sensitive << in;
    }
    void run() { out.write(fpack(in.read())); }
  } br("bridge", logits, r_logits);

  stim st("stim", 31337 + CL * 7);
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.logit_valid(logit_valid);
  st.res_ready(res_ready);
  st.logits(logits);
  st.logit_ready(m_logit_ready);
  st.res_valid(m_res_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "logit_ready_o", m_logit_ready, r_logit_ready, same);
  cosim::compare(chk, "res_valid_o", m_res_valid, r_res_valid, same);
  cosim::compare(chk, "res_class_o", m_res_class, r_res_class, [](const class_t& b) { return to_class(b); });
  cosim::compare(chk, "res_logits_o", m_res_logits, r_res_logits, funpack);
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, logit_valid, "logit_valid_i");
        sc_trace(tf, m_logit_ready, "logit_ready_o");
        cosim::trace(tf, logits, "logits_i", 32);
        sc_trace(tf, m_res_valid, "res_valid_o");
        sc_trace(tf, res_ready, "res_ready_i");
        sc_trace(tf, m_res_class, "res_class_o");
        cosim::trace(tf, m_res_logits, "res_logits_o", 32);
      },
      [&] {
        sc_start();
      });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim argmax " COSIM_NAME, "argmax_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.results > COSIM_CYCLES / (8 * (CL + 2)));
  CHECK(st.stalls > COSIM_CYCLES / 100);
  WARN("argmax " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares) in " << secs
                                 << " s, " << st.vectors << " vectors in, " << st.results << " results out, "
                                 << st.stalls << " stalled, " << st.resets << " resets");
}
