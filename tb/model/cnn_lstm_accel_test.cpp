// The CNN-LSTM top (Conv1d -> ReLU -> MaxPool -> the LSTM pipeline) on real
// Fashion-MNIST images and random models: classes and logits equal the
// bit-exact reference, and every image's cycles equal lstm::arch::schedule (whose
// front-end part mirrors the three blocks). Plus back-pressure, the
// watchdog on the new blocks and their VCD ports.
#include <catch2/catch.hpp>
#include <map>

#include "block_harness.hpp"
#include "top_check.hpp"

using namespace lstm::arch;
using namespace lstm::formats;
using namespace lstm::numerics;
using topcheck::first_n;
using topcheck::run_and_check;
using topcheck::test_images;

namespace {
const Model& cnn_model() {
  static const Model m = load_model(testutil::model_dir("fmnist-cnn-lstm"));
  return m;
}
ImageSet synthetic_images(int rows, int cols, size_t count) {
  ImageSet imgs;
  imgs.rows = rows;
  imgs.cols = cols;
  imgs.count = count;
  for (size_t i = 0; i < count * rows * cols; ++i) imgs.pixels.push_back(static_cast<uint8_t>((i * 53 + i / 5) & 0xFF));
  return imgs;
}
}  // namespace

TEST_CASE("cnn_lstm_accel: 200 test images, cnn_default, equal the reference and the schedule", "[top][cnn]") {
  run_and_check(cnn_model(), topcheck::config("cnn_default"), test_images(200), true);
}

TEST_CASE("cnn_lstm_accel: cnn_small (21 multipliers, 32 MVM lanes)", "[top][cnn]") {
  run_and_check(cnn_model(), topcheck::config("cnn_small"), test_images(40), true);
}

TEST_CASE("cnn_lstm_accel: cnn_fast (336 multipliers, 4 pixels per beat)", "[top][cnn]") {
  run_and_check(cnn_model(), topcheck::config("cnn_fast"), test_images(200), true);
}

TEST_CASE("cnn_lstm_accel: random model, cnn_odd (5 columns, 3 beats per channel)", "[top][cnn]") {
  const ArchConfig a = bh::cnn_odd_config();
  run_and_check(bh::model_for(a, 99), a, synthetic_images(a.cnn_steps(), a.cnn_in, 60), true);
}

TEST_CASE("cnn_lstm_accel: random model, cnn_multi (2 channels per beat)", "[top][cnn]") {
  const ArchConfig a = bh::cnn_multi_config();
  run_and_check(bh::model_for(a, 98), a, synthetic_images(a.cnn_steps(), a.cnn_in, 60), true);
}

TEST_CASE("cnn_lstm_accel: random model, cnn_multi, Q2.13 input words (\"input\": \"words\")", "[top][cnn][words]") {
  // Conv1d reads the words unchanged (full range: its accumulator's widest sums).
  ArchConfig a = bh::cnn_multi_config();
  a.input_words = true;
  run_and_check(bh::model_for(a, 97), a, testutil::random_words(a.cnn_steps(), a.cnn_in, 40, 3), true);
}

TEST_CASE("cnn_lstm_accel: all 10,000 test images, classes and logits equal the reference", "[top][cnn][slow]") {
  run_and_check(cnn_model(), topcheck::config("cnn_default"), test_images(10000), true);
}

TEST_CASE("cnn_lstm_accel: random source gaps and result stalls keep results exact", "[top][cnn]") {
  accel::SimOptions opt;
  opt.source_gap = 0.3;
  opt.sink_stall = 0.8;
  opt.seed = 9;
  const ArchConfig a = topcheck::config("cnn_fast");
  const ImageSet imgs = test_images(40);
  const accel::SimReport rep = accel::simulate(cnn_model(), a, imgs, first_n(imgs.count), opt);
  REQUIRE(rep.error.empty());
  size_t bad = 0;
  for (size_t n = 0; n < imgs.count; ++n) {
    const Inference ref = infer(cnn_model(), imgs.image(n));
    bad += rep.results[n].cls != ref.cls || rep.results[n].logits != ref.logits;
  }
  CHECK(bad == 0);
  CHECK(rep.results.back().cycle > schedule(a, imgs.count).result.back());
}

TEST_CASE("cnn_lstm_accel: a config and model that disagree on the front end are refused", "[top][cnn]") {
  const Model lstm_m = load_model(testutil::model_dir("fmnist-lstm"));
  CHECK_THROWS_WITH(check_arch_matches_model(topcheck::config("cnn_default"), lstm_m, "cfg"),
                    Catch::Contains("CNN front end") && Catch::Contains("kind lstm"));
  CHECK_THROWS_WITH(check_arch_matches_model(topcheck::config("default"), cnn_model(), "cfg"),
                    Catch::Contains("kind cnn-lstm"));
}

namespace {
void expect_cnn_watchdog(const std::string& block) {
  accel::SimOptions opt;
  opt.freeze = block;
  opt.watchdog = 500;
  opt.max_cycles = 20000;
  const accel::SimReport rep =
      accel::simulate(cnn_model(), topcheck::config("cnn_default"), test_images(2), first_n(2), opt);
  INFO(rep.error);
  CHECK_THAT(rep.error, Catch::Matchers::Contains("watchdog: no handshake for 500 cycles"));
  CHECK_THAT(rep.error, Catch::Matchers::Contains("stuck block: " + block));
}
}  // namespace

TEST_CASE("watchdog names a frozen conv1d", "[top][cnn][watchdog]") { expect_cnn_watchdog("conv1d"); }
TEST_CASE("watchdog names a frozen relu", "[top][cnn][watchdog]") { expect_cnn_watchdog("relu"); }
TEST_CASE("watchdog names a frozen maxpool", "[top][cnn][watchdog]") { expect_cnn_watchdog("maxpool"); }

TEST_CASE("VCD trace holds the front end's ports", "[top][cnn][vcd]") {
  testutil::TempDir tmp;
  accel::SimOptions opt;
  opt.vcd = tmp.file("trace.vcd");
  const accel::SimReport rep =
      accel::simulate(cnn_model(), topcheck::config("cnn_default"), test_images(1), first_n(1), opt);
  REQUIRE(rep.error.empty());
  const auto vars = topcheck::vcd_vars(tmp.file("trace.vcd"));
  const std::map<std::string, std::vector<std::string>> ports = {
      {"conv1d", {"clk_i", "rst_ni", "pix_valid_i", "pix_ready_o", "pix_data_i_0", "out_valid_o", "out_ready_i",
                  "out_data_o_0"}},
      {"relu", {"clk_i", "rst_ni", "in_valid_i", "in_ready_o", "in_data_i_0", "out_valid_o", "out_ready_i",
                "out_data_o_0"}},
      {"maxpool", {"clk_i", "rst_ni", "in_valid_i", "in_ready_o", "in_data_i_0", "row_valid_o", "row_ready_i",
                   "row_data_o_27"}},
      {"controller", {"row_valid_i", "row_pop_o"}},
      {"kmux", {"x_i_27"}}};
  for (const auto& [block, names] : ports)
    for (const std::string& p : names) {
      INFO(block << "." << p);
      CHECK(vars.count(block + "." + p) == 1);
    }
  CHECK(vars.count("spx.pix_valid_i") == 0);  // no S-P-X in this top
}
