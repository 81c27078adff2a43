// The top, lstm_accel, on real test images and several configs: classes and
// logits equal the bit-exact reference, and every image's cycles equal the
// documented schedule (lstm::arch::schedule). Plus back-pressure, the watchdog and
// the VCD trace.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "arch/arch.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/reference.hpp"
#include "arch/timing.hpp"
#include "simulation.hpp"
#include "test_util.hpp"
#include "top_check.hpp"

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::numerics;
using namespace topcheck;


TEST_CASE("lstm_accel: 200 test images, default config, equal the reference and the schedule", "[top]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  run_and_check(m, config("default"), test_images(200), true);
}

TEST_CASE("lstm_accel: minimal config (16 lanes)", "[top]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  run_and_check(m, config("minimal"), test_images(24), true);
}

TEST_CASE("lstm_accel: wide config (896 lanes, 4 pixels per beat)", "[top]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  run_and_check(m, config("wide"), test_images(200), true);
}

TEST_CASE("lstm_accel: fast4 config (224 lanes, 3 row buffers)", "[top]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  run_and_check(m, config("fast4"), test_images(200), true);
}

TEST_CASE("lstm_accel: random model with other dimensions", "[top]") {
  Model shape;
  shape.I = 12;
  shape.set_hidden({18});
  shape.T = 12;
  shape.classes = 5;
  shape.c = 6;
  shape.k = 3;
  const Model m = random_model(shape, 77);
  ArchConfig a = arch_for_model(m);
  a.mvm_lanes = 4 * 3 * 1 * 6;  // 6 rows per block, 3 blocks
  a.ewu_lanes = 3;
  a.fc_lanes = 3;
  a.pixels_per_beat = 3;
  validate_arch(a, "test");
  ImageSet imgs;
  imgs.rows = 12;
  imgs.cols = 12;
  imgs.count = 30;
  for (size_t i = 0; i < imgs.count * 144; ++i) imgs.pixels.push_back(static_cast<uint8_t>((i * 37 + i / 7) & 0xFF));
  run_and_check(m, a, imgs, true);
}

namespace {
// A model that reads words (SPEC Part A, "Input words"): the stream carries
// them unchanged into S-P-X; full range, so the products saturate.
Model words_model() {
  Model shape;
  shape.I = 8;
  shape.set_hidden({16});
  shape.T = 10;
  shape.classes = 5;
  shape.c = 8;
  shape.k = 4;
  shape.input = InputKind::Words;
  return random_model(shape, 91);
}
ArchConfig words_config(const Model& m) {
  ArchConfig a = arch_for_model(m);
  REQUIRE(a.input_words);
  a.pixels_per_beat = 2;
  validate_arch(a, "test");
  return a;
}
}  // namespace

TEST_CASE("lstm_accel: Q2.13 input words (\"input\": \"words\") equal the reference and the schedule", "[top][words]") {
  const Model m = words_model();
  run_and_check(m, words_config(m), testutil::random_words(10, 8, 24, 5), true);
}

TEST_CASE("lstm_accel: Q2.13 input words with source gaps and result stalls stay exact", "[top][words]") {
  const Model m = words_model();
  accel::SimOptions opt;
  opt.source_gap = 0.3;
  opt.sink_stall = 0.6;
  opt.seed = 8;
  run_and_check(m, words_config(m), testutil::random_words(10, 8, 24, 6), false, opt);
}

TEST_CASE("lstm_accel: random source gaps and result stalls keep results exact", "[top]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  accel::SimOptions opt;
  opt.source_gap = 0.3;
  opt.sink_stall = 0.7;
  opt.seed = 5;
  const ArchConfig a = config("fast4");
  const ImageSet imgs = test_images(40);
  const accel::SimReport rep = accel::simulate(m, a, imgs, first_n(imgs.count), opt);
  REQUIRE(rep.error.empty());
  for (size_t n = 0; n < imgs.count; ++n) {
    const Inference ref = infer(m, imgs.image(n));
    CHECK(rep.results[n].cls == ref.cls);
    CHECK(rep.results[n].logits == ref.logits);
  }
  // Stalls only ever cost time.
  CHECK(rep.results.back().cycle >= schedule(a, imgs.count).result.back());
}

namespace {
void expect_watchdog(const std::string& block, const std::string& named) {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  accel::SimOptions opt;
  opt.freeze = block;
  opt.watchdog = 500;
  opt.max_cycles = 20000;
  const accel::SimReport rep = accel::simulate(m, config("default"), test_images(2), first_n(2), opt);
  INFO(rep.error);
  CHECK_THAT(rep.error, Catch::Matchers::Contains("watchdog: no handshake for 500 cycles"));
  CHECK_THAT(rep.error, Catch::Matchers::Contains("stuck block: " + named));
}
}  // namespace

TEST_CASE("watchdog names a frozen mvm", "[top][watchdog]") { expect_watchdog("mvm", "mvm"); }
TEST_CASE("watchdog names a frozen ewu", "[top][watchdog]") { expect_watchdog("ewu", "ewu"); }
TEST_CASE("watchdog names a frozen fc", "[top][watchdog]") { expect_watchdog("fc", "fc"); }
TEST_CASE("watchdog names a frozen sph", "[top][watchdog]") { expect_watchdog("sph", "sph"); }

TEST_CASE("watchdog names a result consumer that never takes the result", "[top][watchdog]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  accel::SimOptions opt;
  opt.sink_stall = 1.0;
  opt.watchdog = 300;
  const accel::SimReport rep = accel::simulate(m, config("default"), test_images(3), first_n(3), opt);
  CHECK_THAT(rep.error, Catch::Matchers::Contains("stuck block: sink"));
}


TEST_CASE("VCD trace holds every block's ports", "[top][vcd]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  testutil::TempDir tmp;
  accel::SimOptions opt;
  opt.vcd = tmp.file("trace.vcd");
  const accel::SimReport rep = accel::simulate(m, config("default"), test_images(1), first_n(1), opt);
  REQUIRE(rep.error.empty());
  const auto vars = vcd_vars(tmp.file("trace.vcd"));
  // Every port of every block, as declared in sc_model/blocks/*.hpp.
  const std::map<std::string, std::vector<std::string>> ports = {
      {"spx", {"clk_i", "rst_ni", "pix_valid_i", "pix_ready_o", "pix_data_i_0", "row_valid_o", "row_ready_i",
               "row_data_o_27"}},
      {"controller", {"clk_i", "rst_ni", "row_valid_i", "row_pop_o", "h_valid_i", "h_pop_o", "beat_valid_o",
                      "beat_ready_i", "beat_o_step", "beat_o_last_step"}},
      {"wmem", {"clk_i", "lstm_en_i", "lstm_addr_i", "lstm_data_o_111", "bias_en_i", "bias_addr_i", "bias_data_o_27",
                "fc_en_i", "fc_addr_i", "fc_row_i", "fc_data_o_3", "fcb_data_o"}},
      {"kmux", {"clk_i", "rst_ni", "beat_valid_i", "beat_ready_o", "beat_i_block", "x_i_27", "h_i_27", "mem_en_o",
                "mem_addr_o", "mem_data_i_111", "op_valid_o", "op_ready_i", "op_data_o_111", "op_code_o_111",
                "op_tag_o_beat"}},
      {"mvm", {"clk_i", "rst_ni", "op_valid_i", "op_ready_o", "op_data_i_0", "op_code_i_0", "op_tag_i_phase",
               "acc_valid_o", "acc_ready_i", "acc_data_o_27", "acc_tag_o_step"}},
      {"ewu", {"clk_i", "rst_ni", "acc_valid_i", "acc_ready_o", "acc_data_i_27", "acc_tag_i_block", "cpop_valid_i",
               "cpop_ready_o", "cpop_data_i_6", "cpush_valid_o", "cpush_ready_i", "cpush_data_o_6", "bias_en_o",
               "bias_addr_o", "bias_data_i_27", "h_valid_o", "h_ready_i", "h_data_o_6", "h_row_o", "h_last_o"}},
      {"fifo_c", {"clk_i", "rst_ni", "push_valid_i", "push_ready_o", "push_data_i_6", "pop_valid_o", "pop_ready_i",
                  "pop_data_o_6"}},
      {"sph", {"clk_i", "rst_ni", "h_valid_i", "h_ready_o", "h_data_i_6", "h_row_i", "h_last_i", "vec_o_27",
               "vec_valid_o", "vec_pop_i", "fc_valid_o", "fc_ready_i"}},
      {"fc", {"clk_i", "rst_ni", "h_valid_i", "h_ready_o", "h_i_27", "mem_en_o", "mem_addr_o", "mem_row_o",
              "mem_data_i_3", "mem_bias_i", "logit_valid_o", "logit_ready_i", "logits_o_9"}},
      {"argmax", {"clk_i", "rst_ni", "logit_valid_i", "logit_ready_o", "logits_i_9", "res_valid_o", "res_ready_i",
                  "res_class_o", "res_logits_o_9"}},
      {"top", {"clk_i", "rst_ni", "pix_valid_i", "pix_ready_o", "pix_data_i_0", "res_valid_o", "res_ready_i",
               "res_class_o", "res_logits_o_9"}}};
  for (const auto& [block, names] : ports)
    for (const std::string& p : names) {
      INFO(block << "." << p);
      CHECK(vars.count(block + "." + p) == 1);
    }
}

// Stacked layers (SPEC Part B): one datapath per layer, each layer's S-P-H
// streaming h_t into the next layer's S-P-X.
namespace {
ArchConfig stacked_config(const std::string& name) {
  return load_arch(testutil::repo_dir() + "/sc_model/configs/stacked/" + name + ".json");
}

// A 3-layer random model (H 12, 18, 6; c 6, k 3) with unequal parallelism:
// layer 1 wide (R = 12, 6 EWU lanes), layer 2 narrow (R = 3, 1 EWU lane, 3
// row buffers, so layer 3 reads one word per beat), layer 3 R = 6, 6 EWU lanes.
std::pair<Model, ArchConfig> three_layers() {
  Model shape;
  shape.I = 12;
  shape.set_hidden({12, 18, 6});
  shape.T = 9;
  shape.classes = 5;
  shape.c = 6;
  shape.k = 3;
  const Model m = random_model(shape, 4242);
  ArchConfig a = arch_for_model(m);
  a.mvm_lanes = 4 * 3 * 1 * 12;
  a.ewu_lanes = 6;
  a.pixels_per_beat = 4;
  a.more_layers = {LayerArch{18, 4 * 3 * 1 * 3, 1, 1, 3}, LayerArch{6, 4 * 3 * 1 * 6, 1, 6, 2}};
  a.fc_lanes = 3;
  validate_arch(a, "three_layers");
  return {m, a};
}

ImageSet pattern_images(int rows, int cols, size_t count) {
  ImageSet imgs;
  imgs.rows = rows;
  imgs.cols = cols;
  imgs.count = count;
  for (size_t i = 0; i < count * size_t(rows * cols); ++i) imgs.pixels.push_back(static_cast<uint8_t>((i * 53 + i / 5) & 0xFF));
  return imgs;
}
}  // namespace

TEST_CASE("lstm_accel stacked: fmnist-lstm2, 200 test images equal the reference and the schedule", "[top][stacked]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm2"));
  run_and_check(m, stacked_config("fmnist-lstm2"), test_images(200), true);
}

TEST_CASE("lstm_accel stacked: 3 layers of unequal parallelism equal the reference and the schedule", "[top][stacked]") {
  const auto [m, a] = three_layers();
  run_and_check(m, a, pattern_images(a.T, a.I, 30), true);
}

TEST_CASE("lstm_accel stacked: 3 layers with random source gaps and result stalls stay exact", "[top][stacked]") {
  const auto [m, a] = three_layers();
  accel::SimOptions opt;
  opt.source_gap = 0.4;
  opt.sink_stall = 0.8;
  opt.seed = 11;
  const ImageSet imgs = pattern_images(a.T, a.I, 30);
  const accel::SimReport rep = accel::simulate(m, a, imgs, first_n(imgs.count), opt);
  REQUIRE(rep.error.empty());
  for (size_t n = 0; n < imgs.count; ++n) {
    const Inference ref = infer(m, imgs.image(n));
    CHECK(rep.results[n].cls == ref.cls);
    CHECK(rep.results[n].logits == ref.logits);
  }
  CHECK(rep.results.back().cycle >= schedule(a, imgs.count).result.back());
}

TEST_CASE("lstm_accel stacked: the watchdog names a frozen block of layer 2", "[top][stacked][watchdog]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm2"));
  accel::SimOptions opt;
  opt.freeze = "l2_mvm";
  opt.watchdog = 500;
  opt.max_cycles = 40000;
  const accel::SimReport rep = accel::simulate(m, stacked_config("fmnist-lstm2"), test_images(2), first_n(2), opt);
  INFO(rep.error);
  CHECK_THAT(rep.error, Catch::Matchers::Contains("stuck block: l2_mvm"));
}

TEST_CASE("lstm_accel stacked: VCD scopes and counters per layer", "[top][stacked][vcd]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm2"));
  testutil::TempDir tmp;
  accel::SimOptions opt;
  opt.vcd = tmp.file("trace.vcd");
  const accel::SimReport rep = accel::simulate(m, stacked_config("fmnist-lstm2"), test_images(1), first_n(1), opt);
  REQUIRE(rep.error.empty());
  const auto vars = vcd_vars(tmp.file("trace.vcd"));
  // Layer 1's S-P-H streams to layer 2's S-P-X; FC reads layer 2's S-P-H.
  for (const char* v : {"l1_spx.pix_valid_i", "l1_sph.out_valid_o", "l1_sph.out_data_o_3", "l2_spx.pix_valid_i",
                        "l2_spx.pix_data_i_3", "l2_kmux.x_i_27", "l2_sph.fc_valid_o", "fc.h_i_27", "l1_mvm.acc_valid_o",
                        "l2_wmem.fc_en_i"}) {
    INFO(v);
    CHECK(vars.count(v) == 1);
  }
  CHECK(vars.count("l1_wmem.fc_en_i") == 0);  // layer 1 has no FC path
  std::set<std::string> counted;
  for (const auto& c : rep.counters) counted.insert(c.name);
  for (const char* b : {"l1_spx", "l1_kmux", "l1_sph", "l2_spx", "l2_mvm", "l2_ewu", "fc", "argmax"}) {
    INFO(b);
    CHECK(counted.count(b) == 1);
  }
}
