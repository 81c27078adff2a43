// Stacked layers in the architecture config (docs/architecture.md, "The
// architecture config"): the "layers" list, each layer's datapath view, the
// messages for bad lists, the model check, the per-layer timing and the
// per-layer resource rows of `size`.
#include <catch2/catch.hpp>

#include "arch/arch.hpp"
#include "arch/timing.hpp"
#include "formats/error.hpp"
#include "formats/model.hpp"
#include "sizing/resources.hpp"
#include "arch_error.hpp"
#include "test_util.hpp"

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::sizing;

namespace {

ArchConfig from_json(const std::string& json) {
  testutil::TempDir tmp;
  const std::string path = tmp.file("cfg.json");
  testutil::spit(path, json);
  return load_arch(path);
}

const char* kHead = R"({"I": 28, "T": 28, "classes": 10, "c": 7, "k": 4, "fc_lanes": 4, "pixels_per_beat": 1, )";

// Three layers, unequal: 56 rows (R = 14, 4 blocks), 14 rows (R = 7, 2
// blocks, 2 groups), 28 rows (R = 2, 14 blocks, 1 EWU lane).
std::string three_layers(const std::string& extra = "") {
  return std::string(kHead) + R"("layers": [
    {"H": 56, "mvm_lanes": 224, "ewu_lanes": 7},
    {"H": 14, "mvm_lanes": 224, "mvm_groups": 2, "ewu_lanes": 7, "spx_buffers": 3},
    {"H": 28, "mvm_lanes": 32, "ewu_lanes": 1}])" + extra + "}";
}

}  // namespace

TEST_CASE("stacked config: each layer's datapath view", "[arch][stacked]") {
  const ArchConfig a = from_json(three_layers());
  REQUIRE(a.num_layers() == 3);
  CHECK(a.hidden() == 28);
  const ArchConfig l1 = a.layer(0), l2 = a.layer(1), l3 = a.layer(2);
  CHECK(l1.num_layers() == 1);
  CHECK((l1.I == 28 && l1.H == 56 && l1.mvm_lanes == 224 && l1.pixels_per_beat == 1));
  CHECK((l1.rows_per_block() == 14 && l1.blocks() == 4));
  // Layer 2 reads layer 1's h (56 words) in beats of layer 1's 7 EWU lanes.
  CHECK((l2.I == 56 && l2.H == 14 && l2.pixels_per_beat == 7 && l2.mvm_groups == 2 && l2.spx_buffers == 3));
  CHECK((l2.rows_per_block() == 7 && l2.blocks() == 2 && l2.w_beats() == 4 && l2.u_beats() == 1));
  CHECK((l3.I == 14 && l3.H == 28 && l3.pixels_per_beat == 7 && l3.ewu_lanes == 1));
  CHECK((l3.T == 28 && l3.classes == 10 && l3.fc_lanes == 4));
}

TEST_CASE("stacked config: bad layer lists are refused by name", "[arch][stacked]") {
  CHECK_THAT(arch_error(std::string(kHead) + R"("layers": []})"), Catch::Contains("'layers' must be a non-empty list"));
  CHECK_THAT(arch_error(std::string(kHead) + R"("H": 28, "layers": [{"H": 28, "mvm_lanes": 112, "ewu_lanes": 7}]})"),
             Catch::Contains("'H' is set per layer under 'layers'"));
  CHECK_THAT(arch_error(std::string(kHead) + R"("layers": [{"H": 28, "mvm_lanes": 112}]})"),
             Catch::Contains("layers[0]: missing field 'ewu_lanes'"));
  CHECK_THAT(arch_error(std::string(kHead) + R"("layers": [{"H": 28, "mvm_lanes": 112, "ewu_lanes": 7, "lanes": 3}]})"),
             Catch::Contains("layers[0]: unknown field 'lanes'"));
  CHECK_THAT(arch_error(std::string(kHead) + R"("layers": [{"H": 28, "mvm_lanes": 112, "ewu_lanes": 7},
             {"H": 28, "mvm_lanes": 96, "ewu_lanes": 7}]})"),
             Catch::Contains("layers[1]: mvm_lanes = 96 gives 6 hidden rows per block, which must divide H = 28"));
  // Only the last layer's H has to suit the FC (fc_lanes = 8: 2 groups
  // must divide H/c); layer 1's H = 21 (3 groups) is fine.
  const std::string fc8 = R"({"I": 28, "T": 28, "classes": 10, "c": 7, "k": 4, "fc_lanes": 8, "pixels_per_beat": 1, )";
  CHECK_NOTHROW(from_json(fc8 + R"("layers": [{"H": 21, "mvm_lanes": 48, "ewu_lanes": 3}, {"H": 28, "mvm_lanes": 112, "ewu_lanes": 7}]})"));
  CHECK_THAT(arch_error(fc8 + R"("layers": [{"H": 28, "mvm_lanes": 112, "ewu_lanes": 7}, {"H": 21, "mvm_lanes": 48, "ewu_lanes": 3}]})"),
             Catch::Contains("layers[1]: fc_lanes = 8 covers 2 groups per cycle, which must divide H/c = 3"));
}

TEST_CASE("stacked config against a stacked model", "[arch][stacked]") {
  const ArchConfig a = from_json(three_layers());
  Model m;
  m.set_hidden({56, 14, 28});
  CHECK_NOTHROW(check_arch_matches_model(a, m, "here", true));
  CHECK_THROWS_WITH(check_arch_matches_model(a, m, "here"),
                    Catch::Contains("here: the model has 3 LSTM layers; this tool runs one layer"));
  m.set_hidden({56, 21, 28});
  CHECK_THROWS_WITH(check_arch_matches_model(a, m, "here", true),
                    Catch::Contains("layers[1].H = 14 in the config but 21 in the model"));
  m.set_hidden({56, 28});
  CHECK_THROWS_WITH(check_arch_matches_model(a, m, "here", true),
                    Catch::Contains("the config has 3 LSTM layers but the model 2"));
  // arch_for_model gives every layer its H.
  m.set_hidden({28, 14});
  const ArchConfig d = arch_for_model(m);
  REQUIRE(d.num_layers() == 2);
  CHECK((d.layer(0).H == 28 && d.layer(1).H == 14 && d.layer(1).I == 28));
}

TEST_CASE("stacked config: each layer's bounds and the slowest layer's interval", "[arch][stacked]") {
  const ArchConfig a = from_json(three_layers());
  const StackTiming st = stack_timing(a);
  REQUIRE(st.layers.size() == 3);
  for (int l = 0; l < 3; ++l) {
    const ArchConfig v = a.layer(l);
    const Timing t = timing(v);
    CHECK(st.layers[l].bound_mac == uint64_t(v.T) * v.blocks() * (v.w_beats() + v.u_beats()));
    CHECK(st.layers[l].interval == t.interval);
    CHECK(st.interval >= t.interval);
  }
  // Layer 1: 28 steps x 4 blocks x (4 + 8) beats = 1344; layer 3: 28 x 14
  // blocks x (2 + 4) = 2352, the slowest.
  CHECK(st.layers[0].bound_mac == 1344);
  CHECK(st.layers[2].bound_mac == 2352);
  CHECK(st.slowest == 2);
  CHECK(st.interval == st.layers[2].interval);
}

TEST_CASE("stacked config: resources per layer, FC and arg-max once", "[sizing][stacked]") {
  const ArchConfig a = from_json(three_layers());
  const auto rows = estimate_config(a);
  Resources total;
  int fc_rows = 0;
  for (const auto& b : rows) {
    total += b.r;
    fc_rows += b.block == "fc" || b.block == "argmax";
  }
  CHECK(fc_rows == 2);
  CHECK(rows.back().block == "argmax");
  // Each layer's rows are its view's one-layer estimate without FC, arg-max
  // and the FC ROM; the last layer's wmem keeps the FC ROM.
  for (int l = 0; l < 3; ++l) {
    SizingInput in = sizing_input(a.layer(l));
    in.with_fc = l == 2;
    Resources want;
    for (const auto& b : estimate_blocks(in))
      if (b.block != "fc" && b.block != "argmax") want += b.r;
    Resources got;
    const std::string pre = "l" + std::to_string(l + 1) + ".";
    int n = 0;
    for (const auto& b : rows)
      if (b.block.rfind(pre, 0) == 0) got += b.r, ++n;
    INFO("layer " << l + 1);
    CHECK(n == 8);  // spx controller wmem kmux mvm ewu fifo_c sph
    CHECK(got.dsp == want.dsp);
    CHECK(got.ramb18 == want.ramb18);
    CHECK(got.ramb36 == want.ramb36);
    CHECK(got.lut == Approx(want.lut));
  }
  // The EWU's 3 DSP per lane, per layer: 7 + 7 + 1 lanes; the FC's one
  // per lane: 4 (docs/sizing.md).
  CHECK(total.dsp == 3 * (7 + 7 + 1) + 4);
  // A one-layer config is the one-layer table.
  const ArchConfig d = load_arch(testutil::repo_dir() + "/sc_model/configs/default.json");
  CHECK(estimate_config(d).size() == estimate_blocks(sizing_input(d)).size());
}

TEST_CASE("config \"input\": words sets the tops' INPUT_WORDS, a model's manifest must agree", "[arch][words]") {
  const std::string base = R"({"I": 8, "H": 16, "T": 12, "classes": 5, "c": 8, "k": 4, "mvm_lanes": 64, "ewu_lanes": 4, )"
                            R"("fc_lanes": 4)";
  const ArchConfig px = from_json(base + "}");
  const ArchConfig w = from_json(base + R"(, "input": "words"})");
  CHECK_FALSE(px.input_words);
  CHECK(w.input_words);
  CHECK(verilator_params(px).find("INPUT_WORDS") == std::string::npos);  // a pixel design's list is unchanged
  CHECK(verilator_params(w).find("-GINPUT_WORDS=1") != std::string::npos);
  CHECK_THAT(arch_error(base + R"(, "input": "bytes"})"), Catch::Matchers::Contains("field 'input' must be"));
  Model m = model_shape(w);
  m.input = InputKind::Words;
  CHECK_NOTHROW(check_arch_matches_model(w, m, "cfg.json"));
  CHECK_THROWS_WITH(check_arch_matches_model(px, m, "cfg.json"),
                    Catch::Matchers::Contains("set \"input\": \"words\" in the config"));
  m.input = InputKind::Pixels;
  CHECK_THROWS_WITH(check_arch_matches_model(w, m, "cfg.json"), Catch::Matchers::Contains("the model reads pixels"));
  m.input = InputKind::Any;  // a model that does not say: either design
  CHECK_NOTHROW(check_arch_matches_model(w, m, "cfg.json"));
  CHECK_NOTHROW(check_arch_matches_model(px, m, "cfg.json"));
}

TEST_CASE("the default config of a model is valid for any shape, or refused", "[arch]") {
  // H = 16: the default's 7 rows per block do not divide it; 4 do.
  Model m;
  m.I = 8, m.T = 12, m.classes = 5, m.c = 8, m.k = 4;
  m.set_hidden({16, 24});
  m.input = InputKind::Words;
  const ArchConfig a = arch_for_model(m);
  CHECK_NOTHROW(validate_arch(a, "test"));
  CHECK(a.rows_per_block() == 4);
  CHECK(a.layer(1).rows_per_block() == 6);
  CHECK(a.input_words);
  // The fmnist shape keeps the documented default (112 lanes, 7 EWU lanes, 4 FC lanes).
  Model f;
  const ArchConfig d = arch_for_model(f);
  CHECK(d.mvm_lanes == 112);
  CHECK(d.ewu_lanes == 7);
  CHECK(d.fc_lanes == 4);
  // A prime H: one row per block, still valid.
  Model p;
  p.I = 13, p.T = 5, p.classes = 3, p.c = 13, p.k = 2;
  p.set_hidden({13});
  CHECK_NOTHROW(validate_arch(arch_for_model(p), "test"));
}
