// KMUX: SystemC model vs RTL in lockstep. Random legal beats (valid held
// until taken, the beat changing at random while valid is low), x_t and
// h_{t-1} changing at random, op_ready at random, with probabilities that
// change during the run, and rare reset pulses. The LSTM weight ROM is
// modelled here like sc_model/blocks/wmem (registered read, held while
// enable is low) with random legal entries (idx < C, any code), driven by
// the model's mem_en_o/mem_addr_o and read by both sides; its image is
// redrawn now and then (a weight reload). Every output compared every
// cycle (op_data_o and op_code_o, thousands of bits wide, are unpacked only
// in the cycles where either side changed: unchanged and equal before means
// equal now). Built once per parameter set (COSIM_I, COSIM_H, COSIM_T, COSIM_C,
// COSIM_K, COSIM_L, COSIM_G).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>

#include "cosim.hpp"
#include "kmux.hpp"
#include RTL_HEADER

namespace {

constexpr int I = COSIM_I, H = COSIM_H, T = COSIM_T, C = COSIM_C, K = COSIM_K, L = COSIM_L, G = COSIM_G;
constexpr int R = L / (4 * K * G), B = H / R, WC = I / (C * G), UC = H / (C * G);
constexpr int clog2(int n) { return n <= 1 ? 0 : 1 + clog2((n + 1) / 2); }
constexpr int TW = T > 1 ? clog2(T) : 1, BW = B > 1 ? clog2(B) : 1;
constexpr int JW = (WC > UC ? WC : UC) > 1 ? clog2(WC > UC ? WC : UC) : 1;
constexpr int BEAT_W = 5 + TW + BW + JW;
constexpr int IDX_W = C > 1 ? clog2(C) : 1, ENT_W = IDX_W + 4;
constexpr int DEPTH = B * (WC + UC), ADDR_W = DEPTH > 1 ? clog2(DEPTH) : 1;
static_assert(R * B == H && WC * C * G == I && UC * C * G == H, "illegal parameter set");
static_assert(ADDR_W > 1, "a 1-bit mem_addr_o is a bool port: not handled here");
using beat_bv = sc_dt::sc_bv<BEAT_W>;
using addr_bv = sc_dt::sc_bv<ADDR_W>;
using x_bv = sc_dt::sc_bv<I * 16>;
using h_bv = sc_dt::sc_bv<H * 16>;
using ent_bv = sc_dt::sc_bv<L * ENT_W>;
using ops_bv = sc_dt::sc_bv<L * 16>;
using codes_bv = sc_dt::sc_bv<L * 4>;



// Marks a port pair for comparison when either side changed: a port pair
// that was equal and did not change is still equal, so the wide ports are
// only unpacked in the cycles they change.
struct change_flag : sc_core::sc_module {
  SC_HAS_PROCESS(change_flag);
  bool dirty = true;
  change_flag(sc_core::sc_module_name n, const sc_core::sc_event& a, const sc_core::sc_event& b) : sc_module(n) {
    SC_METHOD(mark);
    sensitive << a << b;
    dont_initialize();
  }
  void mark() { dirty = true; }
};

template <typename ScT, typename RtlT, typename Conv>
void compare_changed(cosim::checker& c, std::vector<std::unique_ptr<change_flag>>& keep, const std::string& port,
                     const sc_core::sc_signal<ScT>& model, const sc_core::sc_signal<RtlT>& rtl, Conv conv) {
  keep.push_back(std::make_unique<change_flag>(("changed_" + port).c_str(), model.value_changed_event(),
                                               rtl.value_changed_event()));
  change_flag* f = keep.back().get();
  c.add(port,
        [&model, &rtl, conv, f] {
          if (!f->dirty) return true;
          f->dirty = false;
          return model.read() == conv(rtl.read());
        },
        [&model, &rtl, conv] { return std::make_pair(cosim::str(model.read()), cosim::str(conv(rtl.read()))); });
}

beat_bv pack_beat(const accel::Beat& b) {
  beat_bv r;
  r = static_cast<sc_dt::uint64>(cosim::beat_bits(b, TW, BW, JW));
  return r;
}

accel::Beat unpack_beat(const beat_bv& bv) { return cosim::beat_of(bv.to_uint64(), TW, BW, JW); }

// Input bridges: the RTL sees the same payloads, packed.
template <int N>
struct bridge : sc_core::sc_module {
  SC_HAS_PROCESS(bridge);
  const sc_core::sc_signal<accel::Words>& in;
  sc_core::sc_signal<sc_dt::sc_bv<N>>& out;
  const int w;
  bridge(sc_core::sc_module_name n, const sc_core::sc_signal<accel::Words>& i, sc_core::sc_signal<sc_dt::sc_bv<N>>& o,
         int width)
      : sc_module(n), in(i), out(o), w(width) {
    SC_METHOD(run);
    sensitive << in;
  }
  void run() { out.write(cosim::pack<N>(in.read(), w)); }
};

SC_MODULE(beat_bridge) {
  SC_HAS_PROCESS(beat_bridge);
  const sc_core::sc_signal<accel::Beat>& in;
  sc_core::sc_signal<beat_bv>& out;
  beat_bridge(sc_core::sc_module_name n, const sc_core::sc_signal<accel::Beat>& i, sc_core::sc_signal<beat_bv>& o)
      : sc_module(n), in(i), out(o) {
    SC_METHOD(run);
    sensitive << in;
  }
  void run() { out.write(pack_beat(in.read())); }
};

// The LSTM weight ROM port: data the cycle after en, held while en is low.
// It drives both sides: the model's Words and the RTL's packed bits (the
// image is kept packed too, so a read costs no packing).
SC_MODULE(rom) {
  SC_HAS_PROCESS(rom);
  sc_core::sc_in<bool> clk_i, en_i;
  sc_core::sc_in<int> addr_i;
  sc_core::sc_out<accel::Words> data_o;
  sc_core::sc_out<ent_bv> data_bv_o;
  uint64_t reads = 0, bad_addr = 0;
  rom(sc_core::sc_module_name n, uint64_t seed)
      : sc_module(n), rng_(seed), image_(DEPTH, accel::Words(L)), packed_(DEPTH) {
    redraw();
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }

 private:
  void redraw() {
    for (int a = 0; a < DEPTH; ++a) {
      for (int lane = 0; lane < L; ++lane)
        image_[a][lane] = static_cast<int32_t>((rng_() % C) << 4 | rng_() % 16);
      packed_[a] = cosim::pack<L * ENT_W>(image_[a], ENT_W);
    }
  }
  void tick() {
    if (++cycle_ % 65536 == 0) redraw();
    if (!en_i.read()) return;
    const int a = addr_i.read();
    if (a < 0 || a >= DEPTH) {
      ++bad_addr;
      return;
    }
    ++reads;
    data_o.write(image_[static_cast<size_t>(a)]);
    data_bv_o.write(packed_[static_cast<size_t>(a)]);
  }
  std::mt19937_64 rng_;
  std::vector<accel::Words> image_;
  std::vector<ent_bv> packed_;
  uint64_t cycle_ = 0;
};

SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n, beat_valid, op_ready;
  sc_core::sc_out<accel::Beat> beat;
  sc_core::sc_out<accel::Words> x, h;
  sc_core::sc_in<bool> beat_ready, op_valid;  // the model's
  double p_beat = 0.5, p_ready = 0.5;
  uint64_t cycle = 0, beats = 0, ops = 0, stalls = 0, u0_beats = 0, resets = 0;
  stim(sc_core::sc_module_name n, uint64_t seed) : sc_module(n), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }

 private:
  void tick() {
    ++cycle;
    const bool in_reset = !rst_n.read();
    const bool took = !in_reset && beat_valid.read() && beat_ready.read();
    if (took) {
      ++beats;
      u0_beats += beat.read().phase == accel::kPhaseU && beat.read().first_step;
    }
    ops += !in_reset && op_valid.read() && op_ready.read();
    stalls += !in_reset && op_valid.read() && !op_ready.read();
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
    if (!beat_valid.read() || took) {  // valid and beat are held until taken
      const bool v = coin(p_beat);
      beat_valid.write(v);
      if (v || coin(0.5)) beat.write(random_beat());
    }
    op_ready.write(coin(p_ready));
    if (coin(0.2)) x.write(random_words(I));
    if (coin(0.2)) h.write(random_words(H));
    if (cycle >= next_change_) {
      static const double ps[] = {0.02, 0.2, 0.5, 0.8, 1.0};
      p_beat = ps[rng_() % 5];
      p_ready = ps[rng_() % 5];
      next_change_ = cycle + 500 + rng_() % 8000;
    }
  }
  accel::Beat random_beat() {
    accel::Beat b;
    b.phase = static_cast<uint8_t>(rng_() % 2);
    b.step = static_cast<uint16_t>(coin(0.25) ? 0 : rng_() % T);  // t = 0 often: h_{-1} = 0
    b.block = static_cast<uint16_t>(rng_() % B);
    const int beats = b.phase == accel::kPhaseW ? WC : UC;
    b.beat = static_cast<uint16_t>(rng_() % beats);
    b.first = b.beat == 0;
    b.last = b.beat == beats - 1;
    b.first_step = b.step == 0;
    b.last_step = b.step == T - 1;
    return b;
  }
  accel::Words random_words(int n) {
    accel::Words w(n);
    for (int i = 0; i < n; ++i) w[i] = static_cast<int32_t>(rng_() % 65536) - 32768;
    return w;
  }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::mt19937_64 rng_;
  uint64_t next_change_ = 0;
  int reset_left_ = 0;
};

}  // namespace

TEST_CASE("cosim kmux " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  const auto t0 = std::chrono::steady_clock::now();
  lstm::ArchConfig a;
  a.I = I;
  a.H = H;
  a.T = T;
  a.c = C;
  a.k = K;
  a.mvm_lanes = L;
  a.mvm_groups = G;
  REQUIRE(a.blocks() == B);
  REQUIRE(a.w_beats() == WC);
  REQUIRE(a.u_beats() == UC);

  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> beat_valid("beat_valid", false), op_ready("op_ready", false);
  sc_signal<accel::Beat> beat("beat");
  sc_signal<accel::Words> x("x", accel::Words(I)), h("h", accel::Words(H)), mem_data("mem_data", accel::Words(L));
  sc_signal<beat_bv> r_beat("r_beat");
  sc_signal<x_bv> r_x("r_x");
  sc_signal<h_bv> r_h("r_h");
  sc_signal<ent_bv> r_mem_data("r_mem_data");
  // Model outputs and RTL outputs.
  sc_signal<bool> m_beat_ready("m_beat_ready"), m_mem_en("m_mem_en"), m_op_valid("m_op_valid");
  sc_signal<int> m_mem_addr("m_mem_addr", 0);
  sc_signal<accel::Words> m_op_data("m_op_data", accel::Words(L)), m_op_code("m_op_code", accel::Words(L));
  sc_signal<accel::Beat> m_op_tag("m_op_tag");
  sc_signal<bool> r_beat_ready("r_beat_ready"), r_mem_en("r_mem_en"), r_op_valid("r_op_valid");
  sc_signal<addr_bv> r_mem_addr("r_mem_addr");
  sc_signal<ops_bv> r_op_data("r_op_data");
  sc_signal<codes_bv> r_op_code("r_op_code");
  sc_signal<beat_bv> r_op_tag("r_op_tag");

  accel::kmux model("model", a);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.beat_valid_i(beat_valid);
  model.beat_ready_o(m_beat_ready);
  model.beat_i(beat);
  model.x_i(x);
  model.h_i(h);
  model.mem_en_o(m_mem_en);
  model.mem_addr_o(m_mem_addr);
  model.mem_data_i(mem_data);
  model.op_valid_o(m_op_valid);
  model.op_ready_i(op_ready);
  model.op_data_o(m_op_data);
  model.op_code_o(m_op_code);
  model.op_tag_o(m_op_tag);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.beat_valid_i(beat_valid);
  rtl.beat_ready_o(r_beat_ready);
  rtl.beat_i(r_beat);
  rtl.x_i(r_x);
  rtl.h_i(r_h);
  rtl.mem_en_o(r_mem_en);
  rtl.mem_addr_o(r_mem_addr);
  rtl.mem_data_i(r_mem_data);
  rtl.op_valid_o(r_op_valid);
  rtl.op_ready_i(op_ready);
  rtl.op_data_o(r_op_data);
  rtl.op_code_o(r_op_code);
  rtl.op_tag_o(r_op_tag);

  beat_bridge bb("beat_bridge", beat, r_beat);
  bridge<I * 16> bx("x_bridge", x, r_x, 16);
  bridge<H * 16> bh("h_bridge", h, r_h, 16);

  const uint64_t seed = 99 + uint64_t(L) * 7919 + I * 131 + H * 17 + T * 3 + C;
  rom mem("rom", seed * 3);
  mem.clk_i(clk);
  mem.en_i(m_mem_en);
  mem.addr_i(m_mem_addr);
  mem.data_o(mem_data);
  mem.data_bv_o(r_mem_data);

  stim st("stim", seed);
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.beat_valid(beat_valid);
  st.op_ready(op_ready);
  st.beat(beat);
  st.x(x);
  st.h(h);
  st.beat_ready(m_beat_ready);
  st.op_valid(m_op_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "beat_ready_o", m_beat_ready, r_beat_ready, same);
  cosim::compare(chk, "mem_en_o", m_mem_en, r_mem_en, same);
  cosim::compare(chk, "mem_addr_o", m_mem_addr, r_mem_addr, [](const addr_bv& b) { return int(b.to_uint64()); });
  cosim::compare(chk, "op_valid_o", m_op_valid, r_op_valid, same);
  std::vector<std::unique_ptr<change_flag>> flags;
  compare_changed(chk, flags, "op_data_o", m_op_data, r_op_data,
                  [](const ops_bv& b) { return cosim::unpack<L * 16>(b, 16, L, true); });
  compare_changed(chk, flags, "op_code_o", m_op_code, r_op_code,
                  [](const codes_bv& b) { return cosim::unpack<L * 4>(b, 4, L, false); });
  cosim::compare(chk, "op_tag_o", m_op_tag, r_op_tag, unpack_beat);
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, beat_valid, "beat_valid_i");
        sc_trace(tf, m_beat_ready, "beat_ready_o");
        accel::sc_trace(tf, beat.read(), "beat_i");
        cosim::trace(tf, x, "x_i", 16);
        cosim::trace(tf, h, "h_i", 16);
        sc_trace(tf, m_mem_en, "mem_en_o");
        sc_trace(tf, m_mem_addr, "mem_addr_o");
        cosim::trace(tf, mem_data, "mem_data_i", ENT_W);
        sc_trace(tf, m_op_valid, "op_valid_o");
        sc_trace(tf, op_ready, "op_ready_i");
        cosim::trace(tf, m_op_data, "op_data_o", 16);
        cosim::trace(tf, m_op_code, "op_code_o", 4);
        accel::sc_trace(tf, m_op_tag.read(), "op_tag_o");
      },
      [&] {
        sc_start();
      });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim kmux " COSIM_NAME, "kmux_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(mem.bad_addr == 0);
  CHECK(st.beats > COSIM_CYCLES / 8);
  CHECK(st.ops > COSIM_CYCLES / 8);
  CHECK(st.stalls > COSIM_CYCLES / 100);
  CHECK(st.u0_beats > COSIM_CYCLES / 100);
  WARN("kmux " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares) in " << secs
                               << " s, " << st.beats << " beats in, " << st.ops << " out, " << st.stalls
                               << " stalled, " << mem.reads << " ROM reads, " << st.resets << " resets");
}
