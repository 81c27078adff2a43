// The top: SystemC lstm_accel and the Verilated RTL top on one clock, fed
// the same Fashion-MNIST test images by one pixel source, every top port
// compared every cycle. Per image the RTL's class and logits must equal the
// bit-exact reference and its cycles the documented schedule.
// Also the CNN-LSTM top (COSIM_TOP_NAME "cnn_lstm_accel"): the SystemC
// cnn_lstm_accel vs the Verilated cnn_lstm_accel, model COSIM_MODEL; and a
// stacked config (COSIM_TOP_NAME "lstm_stack": the SystemC layer pipeline vs
// rtl/lstm_stack.v). COSIM_RANDOM_SEED: a random model of the config's shape
// and random images (Q2.13 words for a config with "input": "words")
// instead of COSIM_MODEL and Fashion-MNIST.
#include "cosim.hpp"
#include "formats/idx.hpp"
#include "numerics/reference.hpp"
#include "arch/timing.hpp"
#include "lstm_accel.hpp"
#include "rtlgen/rom_layout.hpp"
#include "test_util.hpp"
#include RTL_HEADER

#ifndef COSIM_TOP_NAME
#define COSIM_TOP_NAME "lstm_accel"
#define COSIM_SC_TOP accel::lstm_accel
#define COSIM_MODEL "fmnist-lstm"
#endif

TEST_CASE("cosim " COSIM_TOP_NAME " " COSIM_NAME, "[cosim][top]") {
  constexpr int P = COSIM_PIX_PER_BEAT, CL = COSIM_CLASSES;
  const lstm::arch::ArchConfig a = lstm::arch::load_arch(COSIM_ARCH);
  REQUIRE(a.pixels_per_beat == P);
#ifdef COSIM_RANDOM_SEED
  lstm::formats::Model shape = lstm::arch::model_shape(a);
  const lstm::formats::Model m = lstm::formats::random_model(shape, COSIM_RANDOM_SEED);
  lstm::formats::ImageSet imgs;
  imgs.rows = a.image_rows();
  imgs.cols = a.image_cols();
  imgs.count = COSIM_IMAGES;
  cosim::pacer pix(COSIM_RANDOM_SEED + 1);
  imgs.is_words = a.input_words;  // a config with "input": "words": full-range Q2.13 words
  for (size_t i = 0; i < imgs.count * size_t(imgs.rows * imgs.cols); ++i) {
    if (imgs.is_words) imgs.words.push_back(int16_t(pix.below(65536) - 32768));
    else imgs.pixels.push_back(uint8_t(pix.below(256)));
  }
#else
  const lstm::formats::Model m = lstm::formats::load_model(testutil::model_dir(COSIM_MODEL));
  const lstm::formats::ImageSet imgs = lstm::formats::read_idx_images(testutil::fmnist_dir() + "/t10k-images-idx3-ubyte.gz", COSIM_IMAGES);
#endif
  testutil::TempDir tmp;
  lstm::rtlgen::write_rom_images(m, a, tmp.str());
  const std::string plus = "+rom_dir=" + tmp.str();
  const char* args[] = {"cosim", plus.c_str()};
  Verilated::commandArgsAdd(2, args);

  cosim::bench<COSIM_SC_TOP, RTL_TOP> b(COSIM_TOP_NAME, 0, m, a);
  auto& pix_valid = b.in(COSIM_PORT(b, pix_valid_i));
  auto& pix_data = b.in(COSIM_PORT(b, pix_data_i), cosim::words{a.input_words ? 16 : 8});
  auto& res_ready = b.in(COSIM_PORT(b, res_ready_i));
  const auto& pix_ready = b.out(COSIM_PORT(b, pix_ready_o));
  const auto& res_valid = b.out(COSIM_PORT(b, res_valid_o));
  const auto& res_class = b.out(COSIM_PORT(b, res_class_o), cosim::number{});
  const auto& res_logits = b.out(COSIM_PORT(b, res_logits_o), cosim::words{32});
  b.trace_model([&](sc_core::sc_trace_file* tf) { b.model.trace(tf); });

  // One pixel source and one result sink (sc_model) drive both sides.
  std::vector<size_t> order(imgs.count);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  accel::pixel_source src("source", imgs, order, P, COSIM_GAP, 3);
  src.clk_i(b.clk);
  src.rst_ni(b.rst_n);
  src.valid_o(pix_valid.sig);
  src.ready_i(pix_ready);
  src.data_o(pix_data.sig);
  accel::result_sink sink("sink", order.size(), COSIM_STALL, 4);
  sink.clk_i(b.clk);
  sink.rst_ni(b.rst_n);
  sink.valid_i(res_valid);
  sink.ready_o(res_ready.sig);
  sink.class_i(res_class);
  sink.logits_i(res_logits);
  // The RTL's results (class, logits, cycle) as the sink takes them.
  std::vector<accel::Result> results;
  uint64_t cycle = 0;
  b.every_cycle([&] {
    ++cycle;
    if (b.in_reset() || !b.rtl.res_valid_o.read() || !res_ready.read()) return;
    accel::Result r;
    r.cls = static_cast<int>(cosim::to_u64(b.rtl.res_class_o.read()));
    for (int32_t v : cosim::unpack<CL * 32>(b.rtl.res_logits_o.read(), 32, CL, true).v) r.logits.push_back(v);
    r.cycle = cycle;
    results.push_back(r);
  });
  b.run(0);

  REQUIRE(results.size() == imgs.count);
  size_t bad = 0;
  for (size_t n = 0; n < imgs.count; ++n) {
    const lstm::numerics::Inference ref = lstm::numerics::infer(m, imgs, n);
    bad += results[n].cls != ref.cls || results[n].logits != ref.logits;
  }
  CHECK(bad == 0);
  if (COSIM_GAP == 0 && COSIM_STALL == 0) {
    // Cycles per image: the schedule, measured on the RTL side.
    const lstm::arch::Schedule s = lstm::arch::schedule(a, imgs.count);
    size_t cyc_bad = 0;
    for (size_t n = 1; n < imgs.count; ++n)
      cyc_bad += (results[n].cycle - results[n - 1].cycle) != (s.result[n] - s.result[n - 1]);
    cyc_bad += (results[0].cycle - src.first_beat_cycle[0]) != (s.result[0] - s.first_beat[0]);
    CHECK(cyc_bad == 0);
  }
  b.summary(", ", imgs.count, " images, RTL = reference on ", imgs.count - bad, "/", imgs.count);
}
