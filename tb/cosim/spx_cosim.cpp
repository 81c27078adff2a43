// S-P-X: SystemC model vs RTL in lockstep. Random pixel beats (valid held
// until taken) and random row pops, with stall probabilities that change
// during the run (so the buffers run full and empty), and rare reset pulses
// (the row buffers and row_data_o are not reset). Every output compared
// every cycle. Built once per parameter set (COSIM_I, COSIM_P, COSIM_NB).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>

#include "cosim.hpp"
#include "spx.hpp"
#include RTL_HEADER

namespace {

constexpr int I = COSIM_I, P = COSIM_P, NB = COSIM_NB;
constexpr int NPIX = P * 8, NROW = I * 16;
using pix_bv = sc_dt::sc_bv<NPIX>;
using row_bv = sc_dt::sc_bv<NROW>;

// Words <-> packed bits through 32-bit words (element i at [i*w +: w]);
// cosim::pack/unpack go bit by bit, too slow for wide ports every cycle.
template <int N>
sc_dt::sc_bv<N> fpack(const accel::Words& v, int w) {
  std::array<uint32_t, (N + 31) / 32> buf{};
  const uint64_t mask = (uint64_t(1) << w) - 1;
  for (size_t i = 0; i < v.size(); ++i) {
    uint64_t x = static_cast<uint64_t>(static_cast<int64_t>(v[i])) & mask;
    for (int b = static_cast<int>(i) * w, rem = w; rem > 0;) {
      const int off = b % 32, take = std::min(rem, 32 - off);
      buf[b / 32] |= static_cast<uint32_t>((x & ((uint64_t(1) << take) - 1)) << off);
      x >>= take;
      b += take;
      rem -= take;
    }
  }
  sc_dt::sc_bv<N> r;
  for (size_t i = 0; i < buf.size(); ++i) r.set_word(static_cast<int>(i), buf[i]);
  return r;
}

template <int N>
accel::Words funpack(const sc_dt::sc_bv<N>& bv, int w, int n, bool is_signed) {
  std::array<uint32_t, (N + 31) / 32> buf{};
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = bv.get_word(static_cast<int>(i));
  accel::Words v(n);
  for (int i = 0; i < n; ++i) {
    uint64_t x = 0;
    for (int b = i * w, got = 0; got < w;) {
      const int off = b % 32, take = std::min(w - got, 32 - off);
      x |= uint64_t((buf[b / 32] >> off) & ((uint64_t(1) << take) - 1)) << got;
      b += take;
      got += take;
    }
    int64_t s = static_cast<int64_t>(x);
    if (is_signed && ((x >> (w - 1)) & 1)) s -= int64_t(1) << w;
    v[i] = static_cast<int32_t>(s);
  }
  return v;
}

// Input bridge: the RTL sees the same Words, packed.
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
  void run() { out.write(fpack<N>(in.read(), w)); }
};

SC_MODULE(stim) {
  SC_HAS_PROCESS(stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n, pix_valid, row_ready;
  sc_core::sc_out<accel::Words> pix_data;
  sc_core::sc_in<bool> pix_ready, row_valid;  // the model's
  double p_pix = 0.5, p_pop = 0.5;
  uint64_t cycle = 0, beats = 0, pops = 0, full_cycles = 0, empty_cycles = 0, resets = 0;
  stim(sc_core::sc_module_name n, uint64_t seed) : sc_module(n), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }

 private:
  void tick() {
    ++cycle;
    const bool in_reset = !rst_n.read();
    const bool took = !in_reset && pix_valid.read() && pix_ready.read();
    beats += took;
    pops += !in_reset && row_valid.read() && row_ready.read();
    full_cycles += !in_reset && !pix_ready.read();
    empty_cycles += !in_reset && !row_valid.read();
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
    if (!pix_valid.read() || took) {  // valid is held until taken
      pix_valid.write(coin(p_pix));
      accel::Words w(P);
      for (int i = 0; i < P; ++i) w[i] = static_cast<int32_t>(rng_() % 256);
      pix_data.write(w);
    }
    row_ready.write(coin(p_pop));
    // New stall probabilities at random intervals: full and empty both happen.
    if (cycle >= next_change_) {
      static const double ps[] = {0.02, 0.2, 0.5, 0.8, 1.0};
      p_pix = ps[rng_() % 5];
      p_pop = ps[rng_() % 5];
      next_change_ = cycle + 500 + rng_() % 8000;
    }
  }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::mt19937_64 rng_;
  uint64_t next_change_ = 0;
  int reset_left_ = 0;
};

}  // namespace

TEST_CASE("cosim spx " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  const auto t0 = std::chrono::steady_clock::now();
  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> pix_valid("pix_valid", false), row_ready("row_ready", false);
  sc_signal<accel::Words> pix_data("pix_data", accel::Words(P));
  sc_signal<pix_bv> r_pix_data("r_pix_data");
  // Model outputs and RTL outputs.
  sc_signal<bool> m_pix_ready("m_pix_ready"), m_row_valid("m_row_valid");
  sc_signal<accel::Words> m_row_data("m_row_data", accel::Words(I));
  sc_signal<bool> r_pix_ready("r_pix_ready"), r_row_valid("r_row_valid");
  sc_signal<row_bv> r_row_data("r_row_data");

  accel::spx model("model", I, P, NB);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.pix_valid_i(pix_valid);
  model.pix_ready_o(m_pix_ready);
  model.pix_data_i(pix_data);
  model.row_valid_o(m_row_valid);
  model.row_ready_i(row_ready);
  model.row_data_o(m_row_data);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.pix_valid_i(pix_valid);
  rtl.pix_ready_o(r_pix_ready);
  rtl.pix_data_i(r_pix_data);
  rtl.row_valid_o(r_row_valid);
  rtl.row_ready_i(row_ready);
  rtl.row_data_o(r_row_data);

  bridge<NPIX> br("bridge", pix_data, r_pix_data, 8);

  stim st("stim", 777 + I * 131 + P * 17 + NB);
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.pix_valid(pix_valid);
  st.row_ready(row_ready);
  st.pix_data(pix_data);
  st.pix_ready(m_pix_ready);
  st.row_valid(m_row_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "pix_ready_o", m_pix_ready, r_pix_ready, same);
  cosim::compare(chk, "row_valid_o", m_row_valid, r_row_valid, same);
  cosim::compare(chk, "row_data_o", m_row_data, r_row_data,
                 [](const row_bv& b) { return funpack<NROW>(b, 16, I, true); });
  chk.stop_after = COSIM_CYCLES;

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, pix_valid, "pix_valid_i");
        sc_trace(tf, m_pix_ready, "pix_ready_o");
        cosim::trace(tf, pix_data, "pix_data_i", 8);
        sc_trace(tf, m_row_valid, "row_valid_o");
        sc_trace(tf, row_ready, "row_ready_i");
        cosim::trace(tf, m_row_data, "row_data_o", 16);
      },
      [&] {
        sc_start();
      });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim spx " COSIM_NAME, "spx_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  CHECK(st.beats > COSIM_CYCLES / 16);
  CHECK(st.pops > COSIM_CYCLES / (16 * (I / P)));
  CHECK(st.full_cycles > COSIM_CYCLES / 100);
  CHECK(st.empty_cycles > COSIM_CYCLES / 100);
  WARN("spx " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares) in " << secs
                              << " s, " << st.beats << " pixel beats, " << st.pops << " rows, " << st.full_cycles
                              << " full, " << st.empty_cycles << " empty cycles, " << st.resets << " resets");
}
