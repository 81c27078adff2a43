// MVM array: SystemC model vs RTL in lockstep. Random legal beat streams:
// passes of one block and phase (random block, phase and step), beats
// j = 0..last with first/last flags, full-range operands (-32768 often,
// and whole passes of +-32768 products that drive the accumulator to its
// extremes), random codes; random gaps on op_valid (held until taken, data
// random while low) and random back-pressure on acc_ready, with the
// probabilities changing during the run; random reset pulses. Every output
// compared every cycle.
// Parameters: COSIM_I, _H, _T, _C, _K, _LANES, _GROUPS.
#include <catch2/catch.hpp>
#include <type_traits>

#include "cosim.hpp"
#include "mvm.hpp"
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

constexpr int I = COSIM_I, H = COSIM_H, T = COSIM_T, C = COSIM_C, K = COSIM_K, L = COSIM_LANES, G = COSIM_GROUPS;
constexpr int R = L / (4 * K * G), B = H / R, WC = I / (C * G), UC = H / (C * G), KG = K * G, NR = 4 * R;
constexpr int ACC_W = 18 + clog2((I / C + H / C) * K);
constexpr int TW = bits(T), BW = bits(B), JW = bits(WC > UC ? WC : UC), BEAT_W = 5 + TW + BW + JW;
static_assert(L == 4 * R * K * G, "lanes must be a multiple of 4*K*GROUPS");


uint64_t beat_bits(const accel::Beat& b) { return cosim::beat_bits(b, TW, BW, JW); }
accel::Beat beat_of(uint64_t x) { return cosim::beat_of(x, TW, BW, JW); }
template <int N>
uint64_t low_bits(const sc_dt::sc_bv<N>& b) {
  uint64_t x = b.get_word(0);
  if (N > 32) x |= uint64_t(b.get_word(1)) << 32;
  return N >= 64 ? x : x & ((uint64_t(1) << N) - 1);
}
template <int N>
sc_dt::sc_bv<N> bv_of(uint64_t x) {
  sc_dt::sc_bv<N> b;
  b.set_word(0, static_cast<uint32_t>(x));
  if (N > 32) b.set_word(1, static_cast<uint32_t>(x >> 32));
  return b;
}

// splitmix64: the wide variants draw ~1000 words a cycle.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t operator()() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
};

using bv_op = sc_dt::sc_bv<L * 16>;
using bv_code = sc_dt::sc_bv<L * 4>;
using bv_beat = sc_dt::sc_bv<BEAT_W>;
using bv_acc = sc_dt::sc_bv<NR * ACC_W>;

// Drives the model's and the RTL's inputs from the same random stream (the
// RTL's packed, in the same delta).
SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n;  // reset: the first edges, then random pulses
  sc_core::sc_out<bool> op_valid, acc_ready;
  sc_core::sc_out<accel::Words> op_data, op_code;
  sc_core::sc_out<accel::Beat> op_tag;
  // The same payloads packed for the RTL, written in the same delta (one
  // evaluation of the Verilated model per input change).
  sc_core::sc_out<bv_op> r_op_data;
  sc_core::sc_out<bv_code> r_op_code;
  sc_core::sc_out<bv_beat> r_op_tag;
  sc_core::sc_in<bool> op_ready;   // the model's
  sc_core::sc_in<bool> acc_valid;  // the model's
  double p_valid = 0.5, p_ready = 0.5;
  uint64_t cycle = 0, resets = 0, beats = 0, blocks_out = 0, extreme_passes = 0;

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
    blocks_out += acc_valid.read() && acc_ready.read();
    const bool took = op_valid.read() && op_ready.read();
    if (took) {
      ++beats;
      if (++j_ == n_) new_pass();
    }
    if (!op_valid.read() || took) {  // valid is held until taken
      const bool v = coin(p_valid);
      op_valid.write(v);
      if (v) {
        write_beat();
      } else if (coin(0.125)) {  // anything while valid is low (now and then: wide ports)
        write_data();
        accel::Beat b;
        b.phase = coin(0.5);
        b.block = static_cast<uint16_t>(rng_() % B);
        b.first = coin(0.5);
        b.last = coin(0.5);
        write_tag(b);
      }
    }
    acc_ready.write(coin(p_ready));
    if (cycle % 4096 == 0) {
      static const double ps[] = {0.1, 0.5, 0.9, 1.0, 1.0};
      p_valid = ps[rng_() % 5];
      p_ready = ps[rng_() % 5];
    }
  }
  void new_pass() {
    phase_ = coin(0.5);
    block_ = static_cast<int>(rng_() % B);
    step_ = static_cast<int>(rng_() % T);
    n_ = phase_ ? UC : WC;
    j_ = 0;
    const uint64_t m = rng_() % 16;
    mode_ = m == 0 ? 1 : (m == 1 ? 2 : 0);  // +-32768 products on every lane
    extreme_passes += mode_ != 0;
  }
  void write_beat() {
    accel::Beat b;
    b.phase = static_cast<uint8_t>(phase_);
    b.step = static_cast<uint16_t>(step_);
    b.block = static_cast<uint16_t>(block_);
    b.beat = static_cast<uint16_t>(j_);
    b.first = j_ == 0;
    b.last = j_ == n_ - 1;
    b.first_step = step_ == 0;
    b.last_step = step_ == T - 1;
    write_tag(b);
    write_data();
  }
  void write_tag(const accel::Beat& b) {
    op_tag.write(b);
    r_op_tag.write(bv_of<BEAT_W>(beat_bits(b)));
  }
  void write_data() {
    accel::Words d(L), c(L);
    for (int l = 0; l < L; ++l) {
      if (mode_ != 0) {
        d[l] = -32768;
        c[l] = mode_ == 1 ? 0 : 8;  // -32768 or +32768
      } else {
        const uint64_t r = rng_();
        c[l] = static_cast<int32_t>(r & 15);
        switch ((r >> 4) & 7) {
          case 0: d[l] = -32768; break;
          case 1: {
            static const int32_t e[] = {32767, -32767, -1, 0, 1, 16384, -16384, 255};
            d[l] = e[(r >> 8) & 7];
            break;
          }
          default: d[l] = static_cast<int32_t>((r >> 16) & 0xffff) - 32768;
        }
      }
    }
    op_data.write(d);
    op_code.write(c);
    r_op_data.write(pack<L * 16>(d, 16));
    r_op_code.write(pack<L * 4>(c, 4));
  }
  bool coin(double p) { return static_cast<double>(rng_() >> 11) * 0x1.0p-53 < p; }
  Rng rng_;
  int phase_ = 0, block_ = 0, step_ = 0, n_ = WC, j_ = 0, mode_ = 0, rst_left_ = 0;

 public:
  void start() { new_pass(); }
};

}  // namespace

TEST_CASE("cosim mvm " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  lstm::ArchConfig a;
  a.I = I;
  a.H = H;
  a.T = T;
  a.c = C;
  a.k = K;
  a.mvm_lanes = L;
  a.mvm_groups = G;
  REQUIRE(a.rows_per_block() == R);
  REQUIRE(a.blocks() == B);

  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> op_valid("op_valid", false), acc_ready("acc_ready", false);
  sc_signal<accel::Words> op_data("op_data", accel::Words(L)), op_code("op_code", accel::Words(L));
  sc_signal<accel::Beat> op_tag("op_tag");
  sc_signal<bv_op> r_op_data("r_op_data");
  sc_signal<bv_code> r_op_code("r_op_code");
  sc_signal<bv_beat> r_op_tag("r_op_tag");
  // Model outputs and RTL outputs.
  sc_signal<bool> m_op_ready("m_op_ready"), m_acc_valid("m_acc_valid");
  sc_signal<accel::Words> m_acc_data("m_acc_data", accel::Words(NR));
  sc_signal<accel::Beat> m_acc_tag("m_acc_tag");
  sc_signal<bool> r_op_ready("r_op_ready"), r_acc_valid("r_acc_valid");
  sc_signal<bv_acc> r_acc_data("r_acc_data");
  sc_signal<bv_beat> r_acc_tag("r_acc_tag");

  accel::mvm model("model", a);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.op_valid_i(op_valid);
  model.op_ready_o(m_op_ready);
  model.op_data_i(op_data);
  model.op_code_i(op_code);
  model.op_tag_i(op_tag);
  model.acc_valid_o(m_acc_valid);
  model.acc_ready_i(acc_ready);
  model.acc_data_o(m_acc_data);
  model.acc_tag_o(m_acc_tag);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.op_valid_i(op_valid);
  rtl.op_ready_o(r_op_ready);
  rtl.op_data_i(r_op_data);
  rtl.op_code_i(r_op_code);
  rtl.op_tag_i(r_op_tag);
  rtl.acc_valid_o(r_acc_valid);
  rtl.acc_ready_i(acc_ready);
  rtl.acc_data_o(r_acc_data);
  rtl.acc_tag_o(r_acc_tag);

  stim st("stim", 0x6d766d + I * 1000003 + L * 7919 + G * 31 + K);
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.op_valid(op_valid);
  st.acc_ready(acc_ready);
  st.op_data(op_data);
  st.op_code(op_code);
  st.op_tag(op_tag);
  st.r_op_data(r_op_data);
  st.r_op_code(r_op_code);
  st.r_op_tag(r_op_tag);
  st.op_ready(m_op_ready);
  st.acc_valid(m_acc_valid);
  st.start();

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "op_ready_o", m_op_ready, r_op_ready, same);
  cosim::compare(chk, "acc_valid_o", m_acc_valid, r_acc_valid, same);
  cosim::compare(chk, "acc_data_o", m_acc_data, r_acc_data, [](const bv_acc& b) { return unpack<NR * ACC_W>(b, ACC_W, NR, true); });
  cosim::compare(chk, "acc_tag_o", m_acc_tag, r_acc_tag, [](const bv_beat& b) { return beat_of(low_bits<BEAT_W>(b)); });
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, op_valid, "op_valid_i");
        sc_trace(tf, m_op_ready, "op_ready_o");
        cosim::trace(tf, op_data, "op_data_i", 16);
        cosim::trace(tf, op_code, "op_code_i", 4);
        accel::sc_trace(tf, op_tag.read(), "op_tag_i");
        sc_trace(tf, m_acc_valid, "acc_valid_o");
        sc_trace(tf, acc_ready, "acc_ready_i");
        cosim::trace(tf, m_acc_data, "acc_data_o", 32);
        accel::sc_trace(tf, m_acc_tag.read(), "acc_tag_o");
      },
      [&] {
        sc_start();
      });

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim mvm " COSIM_NAME, "mvm_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.resets > 0);
  CHECK(st.beats > COSIM_CYCLES / 8);
  CHECK(st.blocks_out > COSIM_CYCLES / (8 * (WC + UC) * 4));
  CHECK(st.extreme_passes > 0);
  WARN("mvm " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares), " << st.resets
        << " resets, " << st.beats << " beats, " << st.blocks_out << " blocks out");
}
