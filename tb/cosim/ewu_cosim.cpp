// EWU: SystemC model vs RTL in lockstep. The FIFO-C and bias ROM ports are
// modelled by the test bench: the pop side offers random c_{t-1} words with
// random gaps (valid and data held until popped, as FIFO-C's registered
// head), the push side takes c_t with random back-pressure, and the bias ROM
// answers a read the cycle after bias_en_o with random words and holds them
// while bias_en_o is low (wmem's BRAM output register). Blocks of sums
// arrive with random gaps (held until taken, data random while low):
// random blocks, steps and first/last-step flags, sums over the whole
// ACC_W range and around every hsig/ptanh breakpoint and sat16 limit; h
// out has random back-pressure. Probabilities change during the run; random
// reset pulses. Every output compared every cycle.
// Parameters: COSIM_I, _H, _T, _C, _K, _LANES, _GROUPS, _EWU.
#include <catch2/catch.hpp>
#include <type_traits>

#include "cosim.hpp"
#include "ewu.hpp"
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

constexpr int I = COSIM_I, H = COSIM_H, T = COSIM_T, C = COSIM_C, K = COSIM_K, L = COSIM_LANES, G = COSIM_GROUPS,
              E = COSIM_EWU;
constexpr int R = L / (4 * K * G), B = H / R, WC = I / (C * G), UC = H / (C * G), S = R / E;
constexpr int ACC_W = 18 + clog2((I / C + H / C) * K);
constexpr int TW = bits(T), BW = bits(B), JW = bits(WC > UC ? WC : UC), BEAT_W = 5 + TW + BW + JW;
constexpr int BA_W = bits(H / E), RW = bits(H);
static_assert(R % E == 0, "EWU_LANES must divide R");


uint64_t beat_bits(const accel::Beat& b) { return cosim::beat_bits(b, TW, BW, JW); }

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

using bv_acc = sc_dt::sc_bv<4 * R * ACC_W>;
using bv_beat = sc_dt::sc_bv<BEAT_W>;
using bv_e = sc_dt::sc_bv<E * 16>;
using bv_bias = sc_dt::sc_bv<4 * E * 16>;
using p_baddr = uport<BA_W>;
using p_row = uport<RW>;

// Drives the block's inputs and plays FIFO-C and the bias ROM.
SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n;  // reset: the first edges, then random pulses
  sc_core::sc_out<bool> acc_valid, cpop_valid, cpush_ready, h_ready;
  sc_core::sc_out<accel::Words> acc_data, cpop_data, bias_data;
  sc_core::sc_out<accel::Beat> acc_tag;
  // The model's outputs the bench reacts to.
  sc_core::sc_in<bool> acc_ready, cpop_ready, cpush_valid, bias_en, h_valid;
  double p_acc = 0.5, p_pop = 0.5, p_push = 0.5, p_h = 0.5;
  uint64_t cycle = 0, resets = 0, blocks = 0, pops = 0, pushes = 0, hs = 0, bias_reads = 0;

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
    // Block of sums from the MVM array.
    const bool took = acc_valid.read() && acc_ready.read();
    blocks += took;
    if (!acc_valid.read() || took) {
      const bool v = coin(p_acc);
      acc_valid.write(v);
      if (v || coin(0.5)) write_block(v);
    }
    // FIFO-C pop side: the head entry stays until popped.
    const bool popped = cpop_valid.read() && cpop_ready.read();
    pops += popped;
    if (!cpop_valid.read() || popped) {
      const bool v = coin(p_pop);
      cpop_valid.write(v);
      if (v || coin(0.5)) {
        accel::Words c(E);
        for (int r = 0; r < E; ++r) c[r] = word();
        cpop_data.write(c);
      }
    }
    // FIFO-C push side.
    pushes += cpush_valid.read() && cpush_ready.read();
    cpush_ready.write(coin(p_push));
    // Bias ROM: data the cycle after the enable, held otherwise.
    if (bias_en.read()) {
      ++bias_reads;
      accel::Words b(4 * E);
      for (int i = 0; i < 4 * E; ++i) b[i] = coin(0.25) ? static_cast<int32_t>(rng_() % 2048) - 1024 : word();
      bias_data.write(b);
    }
    hs += h_valid.read() && h_ready.read();
    h_ready.write(coin(p_h));
    if (cycle % 4096 == 0) {
      static const double ps[] = {0.1, 0.5, 0.9, 1.0, 1.0};
      p_acc = ps[rng_() % 5];
      p_pop = ps[rng_() % 5];
      p_push = ps[rng_() % 5];
      p_h = ps[rng_() % 5];
    }
  }
  void write_block(bool valid) {
    accel::Beat t;
    t.phase = accel::kPhaseU;
    switch (rng_() % 4) {
      case 0: t.step = 0; break;
      case 1: t.step = static_cast<uint16_t>(T - 1); break;
      default: t.step = static_cast<uint16_t>(rng_() % T);
    }
    t.block = static_cast<uint16_t>(rng_() % B);
    t.beat = static_cast<uint16_t>(UC - 1);
    t.first = UC == 1;
    t.last = true;
    t.first_step = t.step == 0;
    t.last_step = t.step == T - 1;
    if (!valid) {  // anything while valid is low
      t.first_step = coin(0.5);
      t.last_step = coin(0.5);
    }
    acc_tag.write(t);
    accel::Words d(4 * R);
    for (int i = 0; i < 4 * R; ++i) d[i] = sum();
    acc_data.write(d);
  }
  int32_t sum() {
    constexpr int64_t lo = -(int64_t(1) << (ACC_W - 1)), hi = (int64_t(1) << (ACC_W - 1)) - 1;
    switch (rng_() % 8) {
      case 0:
      case 1: return static_cast<int32_t>(lo + static_cast<int64_t>(rng_() % uint64_t(hi - lo + 1)));
      case 2: return static_cast<int32_t>(static_cast<int64_t>(rng_() % 140001) - 70000);
      case 3:
      case 4: return static_cast<int32_t>(static_cast<int64_t>(rng_() % 50001) - 25000);
      case 5: return static_cast<int32_t>(static_cast<int64_t>(rng_() % 10001) - 5000);
      default: {
        static const int64_t e[] = {lo, hi, lo + 1, hi - 1, -32769, -32768, -32767, 32766, 32767, 32768,
                                    -20481, -20480, -20479, -4097, -4096, -4095, -1, 0, 1, 4095, 4096, 4097,
                                    20479, 20480, 20481, -16384, 16383, -8, 7};
        return static_cast<int32_t>(e[rng_() % (sizeof e / sizeof e[0])]);
      }
    }
  }
  int32_t word() {
    switch (rng_() % 8) {
      case 0: return -32768;
      case 1: {
        static const int32_t e[] = {32767, -32767, -1, 0, 1, 8192, -8192, 20480, -20481, 4096, -4097};
        return e[rng_() % (sizeof e / sizeof e[0])];
      }
      default: return static_cast<int32_t>(rng_() % 65536) - 32768;
    }
  }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::mt19937_64 rng_;
  int rst_left_ = 0;
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

TEST_CASE("cosim ewu " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  lstm::ArchConfig a;
  a.I = I;
  a.H = H;
  a.T = T;
  a.c = C;
  a.k = K;
  a.mvm_lanes = L;
  a.mvm_groups = G;
  a.ewu_lanes = E;
  REQUIRE(a.rows_per_block() == R);

  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> acc_valid("acc_valid", false), cpop_valid("cpop_valid", false), cpush_ready("cpush_ready", false),
      h_ready("h_ready", false);
  sc_signal<accel::Words> acc_data("acc_data", accel::Words(4 * R)), cpop_data("cpop_data", accel::Words(E)),
      bias_data("bias_data", accel::Words(4 * E));
  sc_signal<accel::Beat> acc_tag("acc_tag");
  sc_signal<bv_acc> r_acc_data("r_acc_data");
  sc_signal<bv_beat> r_acc_tag("r_acc_tag");
  sc_signal<bv_e> r_cpop_data("r_cpop_data");
  sc_signal<bv_bias> r_bias_data("r_bias_data");
  // Model outputs and RTL outputs.
  sc_signal<bool> m_acc_ready("m_acc_ready"), m_cpop_ready("m_cpop_ready"), m_cpush_valid("m_cpush_valid"),
      m_bias_en("m_bias_en"), m_h_valid("m_h_valid"), m_h_last("m_h_last");
  sc_signal<accel::Words> m_cpush_data("m_cpush_data", accel::Words(E)), m_h_data("m_h_data", accel::Words(E));
  sc_signal<int> m_bias_addr("m_bias_addr", 0), m_h_row("m_h_row", 0);
  sc_signal<bool> r_acc_ready("r_acc_ready"), r_cpop_ready("r_cpop_ready"), r_cpush_valid("r_cpush_valid"),
      r_bias_en("r_bias_en"), r_h_valid("r_h_valid"), r_h_last("r_h_last");
  sc_signal<bv_e> r_cpush_data("r_cpush_data"), r_h_data("r_h_data");
  sc_signal<p_baddr> r_bias_addr("r_bias_addr");
  sc_signal<p_row> r_h_row("r_h_row");

  accel::ewu model("model", a);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.acc_valid_i(acc_valid);
  model.acc_ready_o(m_acc_ready);
  model.acc_data_i(acc_data);
  model.acc_tag_i(acc_tag);
  model.cpop_valid_i(cpop_valid);
  model.cpop_ready_o(m_cpop_ready);
  model.cpop_data_i(cpop_data);
  model.cpush_valid_o(m_cpush_valid);
  model.cpush_ready_i(cpush_ready);
  model.cpush_data_o(m_cpush_data);
  model.bias_en_o(m_bias_en);
  model.bias_addr_o(m_bias_addr);
  model.bias_data_i(bias_data);
  model.h_valid_o(m_h_valid);
  model.h_ready_i(h_ready);
  model.h_data_o(m_h_data);
  model.h_row_o(m_h_row);
  model.h_last_o(m_h_last);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.acc_valid_i(acc_valid);
  rtl.acc_ready_o(r_acc_ready);
  rtl.acc_data_i(r_acc_data);
  rtl.acc_tag_i(r_acc_tag);
  rtl.cpop_valid_i(cpop_valid);
  rtl.cpop_ready_o(r_cpop_ready);
  rtl.cpop_data_i(r_cpop_data);
  rtl.cpush_valid_o(r_cpush_valid);
  rtl.cpush_ready_i(cpush_ready);
  rtl.cpush_data_o(r_cpush_data);
  rtl.bias_en_o(r_bias_en);
  rtl.bias_addr_o(r_bias_addr);
  rtl.bias_data_i(r_bias_data);
  rtl.h_valid_o(r_h_valid);
  rtl.h_ready_i(h_ready);
  rtl.h_data_o(r_h_data);
  rtl.h_row_o(r_h_row);
  rtl.h_last_o(r_h_last);

  // Input bridges: the RTL sees the same payloads, packed.
  bridge<accel::Words, bv_acc> br_acc("br_acc", acc_data, r_acc_data,
                                      [](const accel::Words& w) { return pack<4 * R * ACC_W>(w, ACC_W); });
  bridge<accel::Beat, bv_beat> br_tag("br_tag", acc_tag, r_acc_tag, [](const accel::Beat& b) {
    sc_dt::sc_bv<BEAT_W> v;
    const uint64_t x = beat_bits(b);
    v.set_word(0, static_cast<uint32_t>(x));
    if (BEAT_W > 32) v.set_word(1, static_cast<uint32_t>(x >> 32));
    return v;
  });
  bridge<accel::Words, bv_e> br_cpop("br_cpop", cpop_data, r_cpop_data,
                                     [](const accel::Words& w) { return pack<E * 16>(w, 16); });
  bridge<accel::Words, bv_bias> br_bias("br_bias", bias_data, r_bias_data,
                                        [](const accel::Words& w) { return pack<4 * E * 16>(w, 16); });

  stim st("stim", 0x657775 + I * 1000003 + L * 7919 + E * 31 + K);
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.acc_valid(acc_valid);
  st.cpop_valid(cpop_valid);
  st.cpush_ready(cpush_ready);
  st.h_ready(h_ready);
  st.acc_data(acc_data);
  st.cpop_data(cpop_data);
  st.bias_data(bias_data);
  st.acc_tag(acc_tag);
  st.acc_ready(m_acc_ready);
  st.cpop_ready(m_cpop_ready);
  st.cpush_valid(m_cpush_valid);
  st.bias_en(m_bias_en);
  st.h_valid(m_h_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  auto words_e = [](const bv_e& b) { return unpack<E * 16>(b, 16, E, true); };
  cosim::compare(chk, "acc_ready_o", m_acc_ready, r_acc_ready, same);
  cosim::compare(chk, "cpop_ready_o", m_cpop_ready, r_cpop_ready, same);
  cosim::compare(chk, "cpush_valid_o", m_cpush_valid, r_cpush_valid, same);
  cosim::compare(chk, "cpush_data_o", m_cpush_data, r_cpush_data, words_e);
  cosim::compare(chk, "bias_en_o", m_bias_en, r_bias_en, same);
  cosim::compare(chk, "bias_addr_o", m_bias_addr, r_bias_addr, [](const p_baddr& p) { return static_cast<int>(uval(p)); });
  cosim::compare(chk, "h_valid_o", m_h_valid, r_h_valid, same);
  cosim::compare(chk, "h_data_o", m_h_data, r_h_data, words_e);
  cosim::compare(chk, "h_row_o", m_h_row, r_h_row, [](const p_row& p) { return static_cast<int>(uval(p)); });
  cosim::compare(chk, "h_last_o", m_h_last, r_h_last, same);
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, acc_valid, "acc_valid_i");
        sc_trace(tf, m_acc_ready, "acc_ready_o");
        cosim::trace(tf, acc_data, "acc_data_i", 32);
        accel::sc_trace(tf, acc_tag.read(), "acc_tag_i");
        sc_trace(tf, cpop_valid, "cpop_valid_i");
        sc_trace(tf, m_cpop_ready, "cpop_ready_o");
        cosim::trace(tf, cpop_data, "cpop_data_i", 16);
        sc_trace(tf, m_cpush_valid, "cpush_valid_o");
        sc_trace(tf, cpush_ready, "cpush_ready_i");
        cosim::trace(tf, m_cpush_data, "cpush_data_o", 16);
        sc_trace(tf, m_bias_en, "bias_en_o");
        sc_trace(tf, m_bias_addr, "bias_addr_o");
        cosim::trace(tf, bias_data, "bias_data_i", 16);
        sc_trace(tf, m_h_valid, "h_valid_o");
        sc_trace(tf, h_ready, "h_ready_i");
        cosim::trace(tf, m_h_data, "h_data_o", 16);
        sc_trace(tf, m_h_row, "h_row_o");
        sc_trace(tf, m_h_last, "h_last_o");
      },
      [&] {
        sc_start();
      });

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim ewu " COSIM_NAME, "ewu_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.resets > 0);
  CHECK(st.blocks > COSIM_CYCLES / (16 * S));
  CHECK(st.hs > COSIM_CYCLES / 16);
  CHECK(st.pops > COSIM_CYCLES / 64);
  CHECK(st.pushes > COSIM_CYCLES / 64);
  WARN("ewu " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares), " << st.resets
        << " resets, " << st.blocks << " blocks, " << st.hs << " h beats, " << st.pops << " pops, " << st.pushes
        << " pushes, " << st.bias_reads << " bias reads");
}
