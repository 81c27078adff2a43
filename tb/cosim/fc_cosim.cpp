// FC: SystemC model vs RTL in lockstep. The FC ROM port is modelled by the
// test bench like sc_model/blocks/wmem: a registered read (data the cycle
// after mem_en_o, at mem_addr_o / mem_row_o) that holds while mem_en_o is
// low. The ROM contents ({idx < C, q} entries and biases) are random and
// drawn again for every h_T; some images use all-extreme entries (q = -8 or
// 7) and h_T vectors (all -32768 or 32767) so the logits reach their
// limits. h_T arrives with random gaps (held until taken, data random while
// low); logits leave with random back-pressure; the probabilities change
// during the run; random reset pulses. Every output compared every cycle.
// Parameters: COSIM_H, _C, _K, _CLASSES, _FC.
#include <catch2/catch.hpp>
#include <type_traits>

#include "cosim.hpp"
#include "fc.hpp"
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

constexpr int H = COSIM_H, C = COSIM_C, K = COSIM_K, CL = COSIM_CLASSES, F = COSIM_FC;
constexpr int GF = F / K, FB = H / (C * GF), IDX_W = bits(C), ENT_W = IDX_W + 4, DEPTH = CL * FB;
constexpr int FA_W = bits(DEPTH), FR_W = bits(CL);
static_assert(F == GF * K && H == FB * C * GF, "FC_LANES/K must divide H/C");


// Unsigned ports: bool at 1 bit (Verilator --pins-bv 2), sc_bv above.
template <int W>
using uport = std::conditional_t<W == 1, bool, sc_dt::sc_bv<W>>;
inline uint64_t uval(bool b) { return b; }
template <int N>
uint64_t uval(const sc_dt::sc_bv<N>& b) {
  uint64_t x = b.get_word(0);
  if (N > 32) x |= uint64_t(b.get_word(1)) << 32;
  return N >= 64 ? x : x & ((uint64_t(1) << N) - 1);
}

using bv_h = sc_dt::sc_bv<H * 16>;
using bv_ent = sc_dt::sc_bv<F * ENT_W>;
using bv_bias = sc_dt::sc_bv<16>;
using bv_logits = sc_dt::sc_bv<CL * 32>;
using p_addr = uport<FA_W>;
using p_row = uport<FR_W>;

SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n;  // reset: the first edges, then random pulses
  sc_core::sc_out<bool> h_valid, logit_ready;
  sc_core::sc_out<accel::Words> h, mem_data;
  sc_core::sc_out<int> mem_bias;
  // The model's outputs.
  sc_core::sc_in<bool> h_ready, mem_en, logit_valid;
  sc_core::sc_in<int> mem_addr, mem_row;
  double p_h = 0.5, p_ready = 0.5;
  uint64_t cycle = 0, resets = 0, images = 0, results = 0, reads = 0, bad_reads = 0, extreme = 0;

  stim(sc_core::sc_module_name n, uint64_t seed) : sc_module(n), rng_(seed), rom_(DEPTH, accel::Words(F)), bias_(CL) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
    fill_rom();
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
    // FC ROM: registered read, held while en is low.
    if (mem_en.read()) {
      ++reads;
      const int a = mem_addr.read(), r = mem_row.read();
      if (a < 0 || a >= DEPTH || r < 0 || r >= CL || r != a / FB) {
        ++bad_reads;
      } else {
        mem_data.write(rom_[static_cast<size_t>(a)]);
        mem_bias.write(bias_[static_cast<size_t>(r)]);
      }
    }
    results += logit_valid.read() && logit_ready.read();
    const bool took = h_valid.read() && h_ready.read();
    if (took) {
      ++images;
      fill_rom();  // the next image reads other weights
    }
    if (!h_valid.read() || took) {  // valid is held until taken
      const bool v = coin(p_h);
      h_valid.write(v);
      if (v || coin(0.5)) {
        accel::Words x(H);
        const uint64_t mode = rng_() % 16;
        for (int i = 0; i < H; ++i) x[i] = mode == 0 ? -32768 : (mode == 1 ? 32767 : word());
        h.write(x);
      }
    }
    logit_ready.write(coin(p_ready));
    if (cycle % 4096 == 0) {
      static const double ps[] = {0.02, 0.1, 0.5, 0.9, 1.0, 1.0};
      p_h = ps[rng_() % 6];
      p_ready = ps[rng_() % 6];
    }
  }
  void fill_rom() {
    const uint64_t mode = rng_() % 8;  // 0: every q = -8, 1: every q = 7
    extreme += mode < 2;
    for (auto& w : rom_)
      for (int e = 0; e < F; ++e) {
        const int32_t q = mode == 0 ? 8 : (mode == 1 ? 7 : static_cast<int32_t>(rng_() % 16));
        w[e] = (static_cast<int32_t>(rng_() % C) << 4) | q;
      }
    for (auto& b : bias_) b = mode == 0 ? -32768 : (mode == 1 ? 32767 : word());
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
  std::vector<accel::Words> rom_;
  std::vector<int32_t> bias_;
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

TEST_CASE("cosim fc " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  lstm::ArchConfig a;
  a.H = H;
  a.c = C;
  a.k = K;
  a.classes = CL;
  a.fc_lanes = F;
  REQUIRE(a.fc_beats_per_row() == FB);

  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> h_valid("h_valid", false), logit_ready("logit_ready", false);
  sc_signal<accel::Words> h("h", accel::Words(H)), mem_data("mem_data", accel::Words(F));
  sc_signal<int> mem_bias("mem_bias", 0);
  sc_signal<bv_h> r_h("r_h");
  sc_signal<bv_ent> r_mem_data("r_mem_data");
  sc_signal<bv_bias> r_mem_bias("r_mem_bias");
  // Model outputs and RTL outputs.
  sc_signal<bool> m_h_ready("m_h_ready"), m_mem_en("m_mem_en"), m_logit_valid("m_logit_valid");
  sc_signal<int> m_mem_addr("m_mem_addr", 0), m_mem_row("m_mem_row", 0);
  sc_signal<accel::Words> m_logits("m_logits", accel::Words(CL));
  sc_signal<bool> r_h_ready("r_h_ready"), r_mem_en("r_mem_en"), r_logit_valid("r_logit_valid");
  sc_signal<p_addr> r_mem_addr("r_mem_addr");
  sc_signal<p_row> r_mem_row("r_mem_row");
  sc_signal<bv_logits> r_logits("r_logits");

  accel::fc model("model", a);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.h_valid_i(h_valid);
  model.h_ready_o(m_h_ready);
  model.h_i(h);
  model.mem_en_o(m_mem_en);
  model.mem_addr_o(m_mem_addr);
  model.mem_row_o(m_mem_row);
  model.mem_data_i(mem_data);
  model.mem_bias_i(mem_bias);
  model.logit_valid_o(m_logit_valid);
  model.logit_ready_i(logit_ready);
  model.logits_o(m_logits);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.h_valid_i(h_valid);
  rtl.h_ready_o(r_h_ready);
  rtl.h_i(r_h);
  rtl.mem_en_o(r_mem_en);
  rtl.mem_addr_o(r_mem_addr);
  rtl.mem_row_o(r_mem_row);
  rtl.mem_data_i(r_mem_data);
  rtl.mem_bias_i(r_mem_bias);
  rtl.logit_valid_o(r_logit_valid);
  rtl.logit_ready_i(logit_ready);
  rtl.logits_o(r_logits);

  bridge<accel::Words, bv_h> br_h("br_h", h, r_h, [](const accel::Words& w) { return pack<H * 16>(w, 16); });
  bridge<accel::Words, bv_ent> br_mem("br_mem", mem_data, r_mem_data,
                                      [](const accel::Words& w) { return pack<F * ENT_W>(w, ENT_W); });
  bridge<int, bv_bias> br_bias("br_bias", mem_bias, r_mem_bias,
                               [](const int& b) { return pack<16>(accel::Words(1, b), 16); });

  stim st("stim", 0x6663 + H * 7919 + F * 31 + CL);
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.h_valid(h_valid);
  st.logit_ready(logit_ready);
  st.h(h);
  st.mem_data(mem_data);
  st.mem_bias(mem_bias);
  st.h_ready(m_h_ready);
  st.mem_en(m_mem_en);
  st.logit_valid(m_logit_valid);
  st.mem_addr(m_mem_addr);
  st.mem_row(m_mem_row);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "h_ready_o", m_h_ready, r_h_ready, same);
  cosim::compare(chk, "mem_en_o", m_mem_en, r_mem_en, same);
  cosim::compare(chk, "mem_addr_o", m_mem_addr, r_mem_addr, [](const p_addr& p) { return static_cast<int>(uval(p)); });
  cosim::compare(chk, "mem_row_o", m_mem_row, r_mem_row, [](const p_row& p) { return static_cast<int>(uval(p)); });
  cosim::compare(chk, "logit_valid_o", m_logit_valid, r_logit_valid, same);
  cosim::compare(chk, "logits_o", m_logits, r_logits, [](const bv_logits& b) { return unpack<CL * 32>(b, 32, CL, true); });
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, h_valid, "h_valid_i");
        sc_trace(tf, m_h_ready, "h_ready_o");
        cosim::trace(tf, h, "h_i", 16);
        sc_trace(tf, m_mem_en, "mem_en_o");
        sc_trace(tf, m_mem_addr, "mem_addr_o");
        sc_trace(tf, m_mem_row, "mem_row_o");
        cosim::trace(tf, mem_data, "mem_data_i", ENT_W);
        sc_trace(tf, mem_bias, "mem_bias_i");
        sc_trace(tf, m_logit_valid, "logit_valid_o");
        sc_trace(tf, logit_ready, "logit_ready_i");
        cosim::trace(tf, m_logits, "logits_o", 32);
      },
      [&] {
        sc_start();
      });

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim fc " COSIM_NAME, "fc_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.resets > 0);
  CHECK(st.bad_reads == 0);
  CHECK(st.results > COSIM_CYCLES / (16 * (DEPTH + 4)));
  CHECK(st.extreme > 0);
  WARN("fc " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares), " << st.resets
        << " resets, " << st.images << " h_T in, " << st.results << " logit vectors out, " << st.reads << " ROM reads");
}
