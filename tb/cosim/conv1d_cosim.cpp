// Conv1d: SystemC model vs RTL in lockstep. A random Conv1d (weights of
// three magnitudes, so outputs both saturate and stay in range; full-range
// biases) in ROM images the RTL reads with +rom_dir; random pixels with
// runs of 0 and 255; random source gaps and sink stalls (the line buffer
// runs full and the pipeline starves), rare reset pulses mid-image. Every
// output compared every cycle. Built once per parameter set (COSIM_CI,
// COSIM_L, COSIM_P, COSIM_I, COSIM_T).
#include <catch2/catch.hpp>

#include <chrono>

#include "conv1d.hpp"
#include "cosim.hpp"
#include "lstm/arch.hpp"
#include "lstm/rom_layout.hpp"
#include "stream_stim.hpp"
#include "test_util.hpp"
#include RTL_HEADER

namespace {

constexpr int CI = COSIM_CI, L = COSIM_L, P = COSIM_P, I = COSIM_I, T = COSIM_T;
constexpr int TAPS = 3 * CI, PC = L >= TAPS ? L / TAPS : 1;
constexpr int NPIX = P * 8, NOUT = PC * 16;
using pix_bv = sc_dt::sc_bv<NPIX>;
using out_bv = sc_dt::sc_bv<NOUT>;

// The LSTM part only has to be valid (write_rom_images writes its ROMs too):
// H = I, c = the largest divisor of I up to 16, k = 1, R = 1.
lstm::ArchConfig arch() {
  int c = 1;
  for (int d = 1; d <= 16 && d <= I; ++d)
    if (I % d == 0) c = d;
  lstm::ArchConfig a;
  a.name = "cosim_" COSIM_NAME;
  a.I = I;
  a.H = I;
  a.T = T;
  a.classes = 2;
  a.c = c;
  a.k = 1;
  a.mvm_lanes = 4;
  a.mvm_groups = 1;
  a.ewu_lanes = 1;
  a.fc_lanes = 1;
  a.pixels_per_beat = P;
  a.spx_buffers = 2;
  a.cnn_in = CI;
  a.conv_lanes = L;
  lstm::validate_arch(a, a.name);
  return a;
}

lstm::Model model_for(const lstm::ArchConfig& a, uint64_t seed) {
  lstm::Model shape;
  shape.kind = lstm::ModelKind::CnnLstm;
  shape.I = CI;
  shape.T = 2 * T;
  shape.H = a.H;
  shape.classes = a.classes;
  shape.c = a.c;
  shape.k = a.k;
  shape.conv_out = I;
  lstm::Model m = lstm::random_model(shape, seed);
  // Per output channel a weight magnitude: full range (saturates), 1/16,
  // 1/256 (in range); full-range biases.
  std::mt19937_64 rng(seed);
  for (int o = 0; o < I; ++o) {
    const int span = o % 3 == 0 ? 32767 : o % 3 == 1 ? 2048 : 128;
    std::uniform_int_distribution<int> d(-span - (span == 32767), span);
    for (int q = 0; q < CI * 3; ++q) m.conv_w[size_t(o) * CI * 3 + q] = static_cast<int16_t>(d(rng));
    m.conv_b[o] = static_cast<int16_t>(static_cast<int>(rng() % 65536) - 32768);
  }
  return m;
}

}  // namespace

TEST_CASE("cosim conv1d " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  const auto t0 = std::chrono::steady_clock::now();
  const lstm::ArchConfig a = arch();
  REQUIRE(a.conv_ch_per_beat() == PC);
  const lstm::Model m = model_for(a, 4242 + L);
  testutil::TempDir tmp;
  lstm::write_rom_images(m, a, tmp.str());
  const std::string plus = "+rom_dir=" + tmp.str();
  const char* args[] = {"cosim", plus.c_str()};
  Verilated::commandArgsAdd(2, args);

  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> pix_valid("pix_valid", false), out_ready("out_ready", false);
  sc_signal<accel::Words> pix_data("pix_data", accel::Words(P));
  sc_signal<pix_bv> r_pix_data("r_pix_data");
  sc_signal<bool> m_pix_ready("m_pix_ready"), m_out_valid("m_out_valid");
  sc_signal<accel::Words> m_out_data("m_out_data", accel::Words(PC));
  sc_signal<bool> r_pix_ready("r_pix_ready"), r_out_valid("r_out_valid");
  sc_signal<out_bv> r_out_data("r_out_data");

  accel::conv1d model("model", m, a);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.pix_valid_i(pix_valid);
  model.pix_ready_o(m_pix_ready);
  model.pix_data_i(pix_data);
  model.out_valid_o(m_out_valid);
  model.out_ready_i(out_ready);
  model.out_data_o(m_out_data);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.pix_valid_i(pix_valid);
  rtl.pix_ready_o(r_pix_ready);
  rtl.pix_data_i(r_pix_data);
  rtl.out_valid_o(r_out_valid);
  rtl.out_ready_i(out_ready);
  rtl.out_data_o(r_out_data);

  cosim::bridge<NPIX> br("bridge", pix_data, r_pix_data, 8);
  // Pixels: uniform, or runs of 0 / 255 (extremes of the products).
  cosim::stream_stim st("stim", 99 + L * 7 + CI, [](std::mt19937_64& rng) {
    accel::Words w(P);
    const int mode = static_cast<int>(rng() % 8);
    for (int i = 0; i < P; ++i) w[i] = mode == 0 ? 0 : mode == 1 ? 255 : static_cast<int32_t>(rng() % 256);
    return w;
  });
  st.clk_i(clk);
  st.rst_n(rst_n);
  st.in_valid(pix_valid);
  st.out_ready(out_ready);
  st.in_data(pix_data);
  st.in_ready(m_pix_ready);
  st.out_valid(m_out_valid);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "pix_ready_o", m_pix_ready, r_pix_ready, same);
  cosim::compare(chk, "out_valid_o", m_out_valid, r_out_valid, same);
  cosim::compare(chk, "out_data_o", m_out_data, r_out_data,
                 [](const out_bv& b) { return cosim::unpack<NOUT>(b, 16, PC, true); });
  chk.stop_after = COSIM_CYCLES;

  // Saturated output words taken (both sides agree on them, so count the model's).
  struct sat_count : sc_module {
    SC_HAS_PROCESS(sat_count);
    const sc_signal<bool>&v, &r;
    const sc_signal<accel::Words>& d;
    uint64_t sat = 0, inrange = 0;
    sat_count(sc_module_name n, const sc_signal<bool>& v_, const sc_signal<bool>& r_, const sc_signal<accel::Words>& d_,
              sc_clock& c)
        : sc_module(n), v(v_), r(r_), d(d_) {
      SC_METHOD(tick);
      sensitive << c.negedge_event();
      dont_initialize();
    }
    void tick() {
      if (!v.read() || !r.read()) return;
      for (size_t i = 0; i < d.read().size(); ++i) {
        const int32_t x = d.read()[i];
        (x == 32767 || x == -32768 ? sat : inrange)++;
      }
    }
  } sc_cnt("sat_count", m_out_valid, out_ready, m_out_data, clk);

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        sc_trace(tf, clk, "clk");
        sc_trace(tf, rst_n, "rst_ni");
        sc_trace(tf, pix_valid, "pix_valid_i");
        sc_trace(tf, m_pix_ready, "pix_ready_o");
        cosim::trace(tf, pix_data, "pix_data_i", 8);
        sc_trace(tf, m_out_valid, "out_valid_o");
        sc_trace(tf, out_ready, "out_ready_i");
        cosim::trace(tf, m_out_data, "out_data_o", 16);
      },
      [&] { sc_start(); });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (chk.failed) {
    const std::string note = cosim::rerun_with_traces("cosim conv1d " COSIM_NAME, "conv1d_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  CHECK(chk.cycle >= COSIM_CYCLES);
  const uint64_t beats_per_image = uint64_t(2 * T) * (CI / P);
  CHECK(st.taken > 4 * beats_per_image);
  CHECK(st.given > 4 * uint64_t(2 * T) * (I / PC));
  CHECK(st.in_blocked > COSIM_CYCLES / 100);   // line buffer full
  CHECK(st.out_stalled > COSIM_CYCLES / 100);  // output held
  CHECK(sc_cnt.sat > 0);
  CHECK(sc_cnt.inrange > 0);
  WARN("conv1d " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares) in " << secs
                                 << " s, " << st.taken << " pixel beats (" << st.taken / beats_per_image
                                 << " images), " << st.given << " output beats (" << sc_cnt.sat << " saturated, "
                                 << sc_cnt.inrange << " in-range words), " << st.in_blocked << " blocked, "
                                 << st.out_stalled << " stalled cycles, " << st.resets << " resets");
}
