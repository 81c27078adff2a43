// The top: SystemC lstm_accel and the Verilated RTL top on one clock, fed
// the same Fashion-MNIST test images by one pixel source, every top port
// compared every cycle. Per image the RTL's class and logits must equal the
// bit-exact reference and its cycles the documented schedule.
// Also the CNN-LSTM top (COSIM_TOP_NAME "cnn_lstm_accel"): the SystemC
// cnn_lstm_accel vs the Verilated cnn_lstm_accel, model COSIM_MODEL.
#include <catch2/catch.hpp>

#include "cosim.hpp"
#include "lstm/idx.hpp"
#include "lstm/reference.hpp"
#include "lstm/timing.hpp"
#include "lstm_accel.hpp"
#include "lstm/rom_layout.hpp"
#include "test_util.hpp"
#include RTL_HEADER

#ifndef COSIM_TOP_NAME
#define COSIM_TOP_NAME "lstm_accel"
#define COSIM_SC_TOP accel::lstm_accel
#define COSIM_MODEL "fmnist-lstm"
#endif

namespace {
constexpr int P = COSIM_P, CL = COSIM_CLASSES, CW = COSIM_CLASS_W;
using bv_pix = sc_dt::sc_bv<P * 8>;
using bv_log = sc_dt::sc_bv<CL * 32>;
using bv_cls = sc_dt::sc_bv<CW>;

// Records the RTL's results (class, logits, cycle) as the sink takes them.
SC_MODULE(rtl_monitor) {
  SC_HAS_PROCESS(rtl_monitor);
  sc_core::sc_in<bool> clk_i, rst_ni, valid_i, ready_i;
  sc_core::sc_in<bv_cls> class_i;
  sc_core::sc_in<bv_log> logits_i;
  std::vector<accel::Result> results;
  uint64_t cycle = 0;
  explicit rtl_monitor(sc_core::sc_module_name n) : sc_module(n) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }
  void tick() {
    ++cycle;
    if (!rst_ni.read() || !(valid_i.read() && ready_i.read())) return;
    accel::Result r;
    r.cls = static_cast<int>(cosim::to_int<CW>(class_i.read()));
    for (int32_t v : cosim::unpack<CL * 32>(logits_i.read(), 32, CL, true).v) r.logits.push_back(v);
    r.cycle = cycle;
    results.push_back(r);
  }
};
}  // namespace

TEST_CASE("cosim " COSIM_TOP_NAME " " COSIM_NAME, "[cosim][top]") {
  using namespace sc_core;
  const lstm::Model m = lstm::load_model(testutil::model_dir(COSIM_MODEL));
  const lstm::ArchConfig a = lstm::load_arch(testutil::repo_dir() + "/sc_model/configs/" COSIM_ARCH ".json");
  REQUIRE(a.pixels_per_beat == P);
  const lstm::ImageSet imgs = lstm::read_idx_images(testutil::fmnist_dir() + "/t10k-images-idx3-ubyte.gz", COSIM_IMAGES);
  testutil::TempDir tmp;
  lstm::write_rom_images(m, a, tmp.str());
  const std::string plus = "+rom_dir=" + tmp.str();
  const char* args[] = {"cosim", plus.c_str()};
  Verilated::commandArgsAdd(2, args);

  const sc_time period(10, SC_NS);
  sc_clock clk("clk", period);
  sc_signal<bool> rst_n("rst_n", false), pix_valid("pix_valid", false), res_ready("res_ready", false);
  sc_signal<accel::Words> pix_data("pix_data", accel::Words(P));
  sc_signal<bv_pix> r_pix_data("r_pix_data");
  sc_signal<bool> m_pix_ready("m_pix_ready"), m_res_valid("m_res_valid");
  sc_signal<int> m_res_class("m_res_class");
  sc_signal<accel::Words> m_res_logits("m_res_logits", accel::Words(CL));
  sc_signal<bool> r_pix_ready("r_pix_ready"), r_res_valid("r_res_valid");
  sc_signal<bv_cls> r_res_class("r_res_class");
  sc_signal<bv_log> r_res_logits("r_res_logits");

  COSIM_SC_TOP model("model", m, a);
  model.clk_i(clk);
  model.rst_ni(rst_n);
  model.pix_valid_i(pix_valid);
  model.pix_ready_o(m_pix_ready);
  model.pix_data_i(pix_data);
  model.res_valid_o(m_res_valid);
  model.res_ready_i(res_ready);
  model.res_class_o(m_res_class);
  model.res_logits_o(m_res_logits);

  RTL_TOP rtl("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.pix_valid_i(pix_valid);
  rtl.pix_ready_o(r_pix_ready);
  rtl.pix_data_i(r_pix_data);
  rtl.res_valid_o(r_res_valid);
  rtl.res_ready_i(res_ready);
  rtl.res_class_o(r_res_class);
  rtl.res_logits_o(r_res_logits);

  struct bridge : sc_module {
    SC_HAS_PROCESS(bridge);
    const sc_signal<accel::Words>& in;
    sc_signal<bv_pix>& out;
    bridge(sc_module_name n, const sc_signal<accel::Words>& i, sc_signal<bv_pix>& o) : sc_module(n), in(i), out(o) {
      SC_METHOD(run);
      sensitive << in;
    }
    void run() { out.write(cosim::pack<P * 8>(in.read(), 8)); }
  } br("bridge", pix_data, r_pix_data);

  std::vector<size_t> order(imgs.count);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  accel::pixel_source src("source", imgs, order, P, COSIM_GAP, 3);
  src.clk_i(clk);
  src.rst_ni(rst_n);
  src.valid_o(pix_valid);
  src.ready_i(m_pix_ready);
  src.data_o(pix_data);
  accel::result_sink sink("sink", order.size(), COSIM_STALL, 4);
  sink.clk_i(clk);
  sink.rst_ni(rst_n);
  sink.valid_i(m_res_valid);
  sink.ready_o(res_ready);
  sink.class_i(m_res_class);
  sink.logits_i(m_res_logits);
  rtl_monitor mon("monitor");
  mon.clk_i(clk);
  mon.rst_ni(rst_n);
  mon.valid_i(r_res_valid);
  mon.ready_i(res_ready);
  mon.class_i(r_res_class);
  mon.logits_i(r_res_logits);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  auto same = [](bool b) { return b; };
  cosim::compare(chk, "pix_ready_o", m_pix_ready, r_pix_ready, same);
  cosim::compare(chk, "res_valid_o", m_res_valid, r_res_valid, same);
  cosim::compare(chk, "res_class_o", m_res_class, r_res_class,
                 [](const bv_cls& b) { return static_cast<int>(cosim::to_int<CW>(b)); });
  cosim::compare(chk, "res_logits_o", m_res_logits, r_res_logits,
                 [](const bv_log& b) { return cosim::unpack<CL * 32>(b, 32, CL, true); });

  cosim::run_traced(
      rtl,
      [&](sc_trace_file* tf) {
        model.trace(tf);
      },
      [&] {
        sc_start(period * 2.0);
        rst_n.write(true);
        sc_start();
      });

  if (chk.failed) {
    const std::string note =
        cosim::rerun_with_traces("cosim " COSIM_TOP_NAME " " COSIM_NAME, COSIM_TOP_NAME "_" COSIM_NAME "_mismatch");
    FAIL(cosim::report(chk.first) << "; " << note);
  }
  REQUIRE(mon.results.size() == imgs.count);
  size_t bad = 0;
  for (size_t n = 0; n < imgs.count; ++n) {
    const lstm::Inference ref = lstm::infer(m, imgs.image(n));
    bad += mon.results[n].cls != ref.cls || mon.results[n].logits != ref.logits;
  }
  CHECK(bad == 0);
  if (COSIM_GAP == 0 && COSIM_STALL == 0) {
    // Cycles per image: the schedule, measured on the RTL side.
    const lstm::Schedule s = lstm::schedule(a, imgs.count);
    size_t cyc_bad = 0;
    for (size_t n = 1; n < imgs.count; ++n)
      cyc_bad += (mon.results[n].cycle - mon.results[n - 1].cycle) != (s.result[n] - s.result[n - 1]);
    cyc_bad += (mon.results[0].cycle - src.first_beat_cycle[0]) != (s.result[0] - s.first_beat[0]);
    CHECK(cyc_bad == 0);
  }
  WARN(COSIM_TOP_NAME " " COSIM_NAME ": " << imgs.count << " images, " << chk.cycle << " cycles compared, RTL = reference on "
                                     << imgs.count - bad << "/" << imgs.count);
}
