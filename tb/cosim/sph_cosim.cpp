// S-P-H: SystemC model vs RTL in lockstep. EWU beats of E random words
// (full range, -32768 often) arrive with random gaps (valid, data, row and
// flag held until taken; anything while valid is low), rows 0, E, .., H-E
// in order per step with a random last-step flag per step and now and then
// a jump to another row (a multiple of E); random vec_pop and fc_ready
// pulses. Probabilities change during the run, so both banks fill up and
// drain; random reset pulses. Every output compared every cycle. Parameters: COSIM_H, COSIM_EWU.
#include <catch2/catch.hpp>
#include <type_traits>

#include "cosim.hpp"
#include "sph.hpp"
#include RTL_HEADER

namespace {
using cosim::pack;
using cosim::unpack;

constexpr int clog2(int n) {
  int w = 0;
  while ((1 << w) < n) ++w;
  return w;
}
constexpr int bits(int n) { return n > 1 ? clog2(n) : 1; }  // max(1, clog2 n)

constexpr int H = COSIM_H, E = COSIM_EWU, NQ = H / E, RW = bits(H);
static_assert(H % E == 0, "EWU_LANES must divide H");


// Unsigned ports: bool at 1 bit (Verilator --pins-bv 2), sc_bv above.
template <int W>
using uport = std::conditional_t<W == 1, bool, sc_dt::sc_bv<W>>;
template <int W>
uport<W> uport_of(uint64_t x) {
  if constexpr (W == 1) {
    return (x & 1) != 0;
  } else {
    sc_dt::sc_bv<W> b;
    b.set_word(0, static_cast<uint32_t>(x));
    if (W > 32) b.set_word(1, static_cast<uint32_t>(x >> 32));
    return b;
  }
}

using bv_e = sc_dt::sc_bv<E * 16>;
using bv_h = sc_dt::sc_bv<H * 16>;
using p_row = uport<RW>;

SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n;  // reset: the first edges, then random pulses
  sc_core::sc_out<bool> h_valid, h_last, vec_pop, fc_ready;
  sc_core::sc_out<accel::Words> h_data;
  sc_core::sc_out<int> h_row;
  // The model's outputs.
  sc_core::sc_in<bool> h_ready, vec_valid, fc_valid;
  double p_h = 0.5, p_pop = 0.5, p_fc = 0.5, p_last = 0.3;
  uint64_t cycle = 0, resets = 0, beats = 0, vec_pops = 0, fc_takes = 0, full_cycles = 0;

  stim(sc_core::sc_module_name n, uint64_t seed) : sc_module(n), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }

 private:
  void tick() {
    ++cycle;
    // Reset: the first two edges, then now and then a pulse of 1..3 cycles.
    bool rst = cycle < 2;
    if (rst_left_ > 0) {
      rst = true;
      --rst_left_;
    } else if (cycle % 4096 == 2048 && coin(0.125)) {
      rst = true;
      rst_left_ = static_cast<int>(rng_() % 3);
      ++resets;
    }
    rst_n.write(!rst);
    const bool took = h_valid.read() && h_ready.read();
    full_cycles += !h_ready.read();
    vec_pops += vec_valid.read() && vec_pop.read();
    fc_takes += fc_valid.read() && fc_ready.read();
    if (took) {
      ++beats;
      if (++q_ == NQ) {
        q_ = 0;
        last_ = coin(p_last);
      }
      if (coin(1.0 / 64)) q_ = static_cast<int>(rng_() % NQ);  // a jump
    }
    if (!h_valid.read() || took) {  // valid is held until taken
      const bool v = coin(p_h);
      h_valid.write(v);
      if (v || coin(0.5)) {
        accel::Words d(E);
        for (int r = 0; r < E; ++r) d[r] = word();
        h_data.write(d);
        h_row.write(v ? q_ * E : static_cast<int>(rng_() % NQ) * E);
        h_last.write(v ? last_ : coin(0.5));
      }
    }
    vec_pop.write(coin(p_pop));
    fc_ready.write(coin(p_fc));
    if (cycle % 4096 == 0) {
      static const double ps[] = {0.02, 0.1, 0.5, 0.9, 1.0};
      p_h = ps[rng_() % 5];
      p_pop = ps[rng_() % 5];
      p_fc = ps[rng_() % 5];
      p_last = ps[rng_() % 5];
    }
  }
  int32_t word() {
    switch (rng_() % 8) {
      case 0: return -32768;
      case 1: return 32767;
      default: return static_cast<int32_t>(rng_() % 65536) - 32768;
    }
  }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::mt19937_64 rng_;
  int rst_left_ = 0;
  int q_ = 0;
  bool last_ = false;
};

template <typename In, typename Out>
struct bridge : sc_core::sc_module {
  SC_HAS_PROCESS(bridge);
  const sc_core::sc_signal<In>& in;
  sc_core::sc_signal<Out>& out;
  std::function<Out(const In&)> f;
  bridge(sc_core::sc_module_name n, const sc_core::sc_signal<In>& i, sc_core::sc_signal<Out>& o,
         std::function<Out(const In&)> fn)
      : sc_module(n), in(i), out(o), f(std::move(fn)) {
    SC_METHOD(run);
    sensitive << in;
  }
  void run() { out.write(f(in.read())); }
};

}  // namespace

TEST_CASE("cosim sph " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> h_valid("h_valid", false), h_last("h_last", false), vec_pop("vec_pop", false),
      fc_ready("fc_ready", false);
  sc_signal<accel::Words> h_data("h_data", accel::Words(E));
  sc_signal<int> h_row("h_row", 0);
  sc_signal<bv_e> r_h_data("r_h_data");
  sc_signal<p_row> r_h_row("r_h_row");
  // Model outputs and RTL outputs.
  sc_signal<bool> m_h_ready("m_h_ready"), m_vec_valid("m_vec_valid"), m_fc_valid("m_fc_valid");
  sc_signal<accel::Words> m_vec("m_vec", accel::Words(H));
  sc_signal<bool> r_h_ready("r_h_ready"), r_vec_valid("r_vec_valid"), r_fc_valid("r_fc_valid");
  sc_signal<bv_h> r_vec("r_vec");

  accel::sph model("model", H, E);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.h_valid_i(h_valid);
  model.h_ready_o(m_h_ready);
  model.h_data_i(h_data);
  model.h_row_i(h_row);
  model.h_last_i(h_last);
  model.vec_o(m_vec);
  model.vec_valid_o(m_vec_valid);
  model.vec_pop_i(vec_pop);
  model.fc_valid_o(m_fc_valid);
  model.fc_ready_i(fc_ready);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.h_valid_i(h_valid);
  rtl.h_ready_o(r_h_ready);
  rtl.h_data_i(r_h_data);
  rtl.h_row_i(r_h_row);
  rtl.h_last_i(h_last);
  rtl.vec_o(r_vec);
  rtl.vec_valid_o(r_vec_valid);
  rtl.vec_pop_i(vec_pop);
  rtl.fc_valid_o(r_fc_valid);
  rtl.fc_ready_i(fc_ready);

  bridge<accel::Words, bv_e> br_data("br_data", h_data, r_h_data, [](const accel::Words& w) { return pack<E * 16>(w, 16); });
  bridge<int, p_row> br_row("br_row", h_row, r_h_row, [](const int& r) { return uport_of<RW>(static_cast<uint64_t>(r)); });

  stim st("stim", 0x737068 + H * 7919 + E * 31);
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.h_valid(h_valid);
  st.h_last(h_last);
  st.vec_pop(vec_pop);
  st.fc_ready(fc_ready);
  st.h_data(h_data);
  st.h_row(h_row);
  st.h_ready(m_h_ready);
  st.vec_valid(m_vec_valid);
  st.fc_valid(m_fc_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "h_ready_o", m_h_ready, r_h_ready, same);
  cosim::compare(chk, "vec_o", m_vec, r_vec, [](const bv_h& b) { return unpack<H * 16>(b, 16, H, true); });
  cosim::compare(chk, "vec_valid_o", m_vec_valid, r_vec_valid, same);
  cosim::compare(chk, "fc_valid_o", m_fc_valid, r_fc_valid, same);
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, h_valid, "h_valid_i");
        sc_trace(tf, m_h_ready, "h_ready_o");
        cosim::trace(tf, h_data, "h_data_i", 16);
        sc_trace(tf, h_row, "h_row_i");
        sc_trace(tf, h_last, "h_last_i");
        cosim::trace(tf, m_vec, "vec_o", 16);
        sc_trace(tf, m_vec_valid, "vec_valid_o");
        sc_trace(tf, vec_pop, "vec_pop_i");
        sc_trace(tf, m_fc_valid, "fc_valid_o");
        sc_trace(tf, fc_ready, "fc_ready_i");
      },
      [&] {
        sc_start();
      });

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim sph " COSIM_NAME, "sph_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.resets > 0);
  CHECK(st.beats > COSIM_CYCLES / 8);
  CHECK(st.vec_pops > COSIM_CYCLES / (16 * NQ));
  CHECK(st.fc_takes > COSIM_CYCLES / (64 * NQ));
  CHECK(st.full_cycles > COSIM_CYCLES / 64);
  WARN("sph " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares), " << st.resets
        << " resets, " << st.beats << " beats, " << st.vec_pops << " vec pops, " << st.fc_takes << " fc takes, "
        << st.full_cycles << " cycles full");
}
