// Sweeps: grid parsing (every way a grid can be wrong), expansion, shards,
// the CSV (round trip, resume after a kill), the Pareto front and merging.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "arch/timing.hpp"
#include "formats/error.hpp"
#include "formats/model.hpp"
#include "sizing/sweep.hpp"
#include "test_util.hpp"

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::sizing;
using Catch::Matchers::Contains;

namespace {

void grid_error(const std::string& text, const std::string& problem) {
  INFO(text);
  REQUIRE_THROWS_AS(parse_grid(text, "g.json"), InputError);
  try {
    parse_grid(text, "g.json");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Contains("g.json") && Contains(problem));
  }
}

SweepRow row(const std::string& key, int dsp, double bram36, double lut, double ips, bool fits = true) {
  SweepRow r;
  r.key = key, r.device = "xc7z020";
  r.mvm_lanes = 16, r.mvm_groups = 1, r.ewu_lanes = 1, r.fc_lanes = 4, r.pixels_per_beat = 1, r.spx_buffers = 2;
  r.clock_mhz = 200;
  r.res.dsp = dsp, r.res.ramb36 = int(bram36), r.res.ramb18 = bram36 != int(bram36) ? 1 : 0;
  r.res.lut = lut, r.res.ff = 100;
  r.cycles = 1000, r.latency = 1100, r.inferences_per_s = ips, r.fits = fits;
  if (!fits) r.overflow = "DSP 300 > 220 (+80, 136.4%)";
  return r;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

ArchConfig fmnist() { return ArchConfig{}; }  // the defaults are the fmnist-lstm dimensions

// fmnist-lstm2's shape: two layers of H 28 (arch_for_model of the model).
ArchConfig fmnist2() {
  ArchConfig a;
  a.more_layers.push_back(LayerArch{});
  return a;
}

// The error expand_grid gives, "" if none.
std::string expand_error(const Grid& g, const ArchConfig& start) {
  try {
    expand_grid(g, start);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("parse_grid accepts a grid and keeps the axes in file order", "[sweep]") {
  const Grid g = parse_grid(R"({"comment": "x", "base": {"clock_mhz": 250},
      "axes": {"mvm_lanes": [16, 112], "ewu_lanes": [1, 7], "fc_lanes": [4]}})",
                            "g.json");
  REQUIRE(g.axes.size() == 3);
  CHECK(g.axes[0].first == "mvm_lanes");
  CHECK(g.axes[1].first == "ewu_lanes");
  CHECK(g.base.size() == 1);
  CHECK(g.base[0].second == 250);
  CHECK(g.combinations() == 4);
}

TEST_CASE("parse_grid rejects bad grids naming the file and the problem", "[sweep]") {
  grid_error("{", "invalid JSON");
  grid_error("[1, 2]", "must be a JSON object");
  grid_error(R"({"base": {"clock_mhz": 100}})", "no axes");
  grid_error(R"({"axes": {}})", "no axes");
  grid_error(R"({"axes": {"mvm_lanes": [16]}, "extra": 1})", "unknown key 'extra'");
  grid_error(R"({"axes": {"lanes": [16]}})", "unknown field 'lanes'");
  grid_error(R"({"axes": {"H": [28]}})", "network dimensions come from --model");
  grid_error(R"({"axes": {"mvm_lanes": 16}})", "must be an array");
  grid_error(R"({"axes": {"mvm_lanes": []}})", "is empty");
  grid_error(R"({"axes": {"mvm_lanes": [16, 1.5]}})", "axes.mvm_lanes[1] must be an integer");
  grid_error(R"({"axes": {"mvm_lanes": [0]}})", "must be in 1..65536");
  grid_error(R"({"axes": {"mvm_lanes": [-16]}})", "must be in 1..65536");
  grid_error(R"({"axes": {"mvm_lanes": [70000]}})", "must be in 1..65536");
  grid_error(R"({"axes": {"mvm_lanes": ["16"]}})", "must be an integer");
  grid_error(R"({"axes": {"clock_mhz": [0]}})", "must be in (0, 2000]");
  grid_error(R"({"axes": {"clock_mhz": [3000]}})", "must be in (0, 2000]");
  grid_error(R"({"axes": {"mvm_lanes": [16, 16]}})", "lists 16 twice");
  grid_error(R"({"base": {"mvm_lanes": 16}, "axes": {"mvm_lanes": [32]}})", "in both base and axes");
  grid_error(R"({"base": [1], "axes": {"mvm_lanes": [32]}})", "\"base\" must be an object");
  grid_error(R"({"axes": {"mvm_lanes": [1,2,3,4,5,6,7,8,9,10,11], "ewu_lanes": [1,2,3,4,5,6,7,8,9,10],
      "fc_lanes": [1,2,3,4,5,6,7,8,9,10], "pixels_per_beat": [1,2,3,4,5,6,7,8,9,10],
      "spx_buffers": [1,2,3,4,5,6,7,8,9,10], "mvm_groups": [1,2,3,4,5,6,7,8,9,10],
      "clock_mhz": [1,2,3,4,5,6,7,8,9,10]}})",
             "combinations");
}

TEST_CASE("expand_grid keeps the valid combinations in grid order and counts the rest", "[sweep]") {
  // fmnist-lstm: R = L / 16 must divide 28; E must divide R and R/E <= 4.
  const Grid g = parse_grid(R"({"axes": {"mvm_lanes": [16, 48, 112], "ewu_lanes": [1, 7]}})", "g.json");
  const ExpandedGrid ex = expand_grid(g, fmnist());
  // 16/1 ok, 16/7 (E > R) no, 48 (R = 3) no x2, 112/1 (R/E = 7 > 4) no, 112/7 ok.
  REQUIRE(ex.configs.size() == 2);
  CHECK(ex.invalid == 4);
  CHECK(config_key(ex.configs[0]) == "L16_G1_E1_F4_P1_NB2_200MHz");
  CHECK(config_key(ex.configs[1]) == "L112_G1_E7_F4_P1_NB2_200MHz");
  CHECK_THAT(ex.first_invalid, Contains("ewu_lanes"));
}

TEST_CASE("parse_shard and in_shard split a sweep into disjoint parts covering it", "[sweep]") {
  const Shard s = parse_shard("2/3");
  CHECK(s.index == 2);
  CHECK(s.count == 3);
  for (const char* bad : {"0/3", "4/3", "3", "a/3", "1/0", "/3", "1/", "-1/3", "1/3x", "9999999/9999999"})
    CHECK_THROWS_WITH(parse_shard(bad), Contains("--shard") && Contains(bad));
  for (int n : {1, 2, 5}) {
    std::vector<int> owners(23, 0);
    for (int i = 1; i <= n; ++i)
      for (size_t c = 0; c < owners.size(); ++c) owners[c] += in_shard(c, Shard{i, n});
    for (int o : owners) CHECK(o == 1);
  }
}

TEST_CASE("mark_pareto keeps exactly the fitting configs nobody dominates", "[sweep]") {
  std::vector<SweepRow> rows = {
      row("a", 10, 5, 1000, 100),           // front: cheapest
      row("b", 20, 5, 1000, 100),           // dominated by a (more DSP, same rest)
      row("c", 20, 8, 2000, 300),           // front: faster
      row("d", 30, 10, 3000, 250),          // dominated by c
      row("e", 5, 20, 1000, 100),           // front: fewest DSP (more BRAM)
      row("f", 1, 1, 100, 1000, false),     // would dominate all, but does not fit
      row("g", 20, 8, 2000, 300),           // identical to c: neither dominates the other
  };
  mark_pareto(rows);
  std::string front;
  for (const auto& r : rows)
    if (r.pareto) front += r.key;
  CHECK(front == "aceg");
}

TEST_CASE("sweep CSV rows round-trip, quoted fields included", "[sweep]") {
  SweepRow r = row("L16_G1_E1_F4_P1_NB2_200MHz", 7, 2.5, 7697, 31887.8, false);
  r.overflow = "DSP 300 > 220 (+80, 136.4%); LUT \"x\" > 1";
  r.pareto = true;
  const std::string line = csv_row(r);
  const SweepRow back = parse_csv_row(line, "f:2");
  CHECK(csv_row(back) == line);
  CHECK(back.overflow == r.overflow);
  CHECK(back.res.bram36() == 2.5);
  CHECK_THROWS_WITH(parse_csv_row("a,b,c", "f:3"), Contains("f:3") && Contains("fields"));
  std::string bad = line;
  bad.replace(bad.find(",7,"), 3, ",x,");
  CHECK_THROWS_WITH(parse_csv_row(bad, "f:4"), Contains("f:4") && Contains("dsp"));
}

TEST_CASE("resume: a killed sweep's CSV is read back without its half-written line", "[sweep]") {
  testutil::TempDir dir;
  const std::string path = dir.file("s.csv");
  const Grid g = parse_grid(R"({"axes": {"mvm_lanes": [16, 32, 64, 112], "ewu_lanes": [1, 2, 7]}})", "g.json");
  const ExpandedGrid ex = expand_grid(g, fmnist());
  REQUIRE(ex.configs.size() == 6);  // 16/1, 32/1, 32/2, 64/1, 64/2, 112/7
  Device dev = find_device("xc7z020");
  std::vector<SweepRow> rows;
  for (size_t i = 0; i < 3; ++i) rows.push_back(make_row(ex.configs[i], dev, Resources{}, 1000 + i, 1100));
  write_sweep_csv(path, rows);
  // The kill: the fourth row is cut in the middle.
  const std::string cut = csv_row(make_row(ex.configs[3], dev, Resources{}, 1003, 1100)).substr(0, 20);
  { std::ofstream(path, std::ios::app | std::ios::binary) << cut; }
  bool partial = false;
  const auto back = read_sweep_csv(path, &partial);
  CHECK(partial);
  REQUIRE(back.size() == 3);
  CHECK(back[2].cycles == 1002);
  const auto left = remaining_configs(ex.configs, back, dev.name, path);
  CHECK(left == std::vector<size_t>{3, 4, 5});
  // A file of another sweep is refused, not mixed in.
  CHECK_THROWS_WITH(remaining_configs(ex.configs, back, "xc7z045", path), Contains("device 'xc7z020'"));
  std::vector<ArchConfig> other(ex.configs.begin() + 1, ex.configs.end());
  CHECK_THROWS_WITH(remaining_configs(other, back, dev.name, path), Contains("not a config of this grid"));
  // Complete file: nothing partial; a foreign header is refused.
  write_sweep_csv(path, back);
  CHECK(read_sweep_csv(path, &partial).size() == 3);
  CHECK_FALSE(partial);
  write_text(path, "a,b\n1,2\n");
  CHECK_THROWS_WITH(read_sweep_csv(path), Contains("header differs"));
  write_text(path, "");
  CHECK(read_sweep_csv(path, &partial).empty());
}

TEST_CASE("sweep-merge joins shards, drops exact duplicates, refuses conflicts, recomputes the front", "[sweep]") {
  testutil::TempDir dir;
  std::vector<SweepRow> a = {row("a", 10, 5, 1000, 100), row("b", 20, 8, 2000, 300)};
  std::vector<SweepRow> b = {row("c", 5, 4, 900, 120), row("a", 10, 5, 1000, 100)};
  mark_pareto(a);  // within shard a both are on the front
  write_sweep_csv(dir.file("a.csv"), a);
  write_sweep_csv(dir.file("b.csv"), b);
  const auto m = merge_sweeps({dir.file("a.csv"), dir.file("b.csv")});
  REQUIRE(m.size() == 3);
  std::string front;
  for (const auto& r : m)
    if (r.pareto) front += r.key;
  CHECK(front == "bc");  // c dominates a once the shards are joined
  b[1].res.lut = 999;
  write_sweep_csv(dir.file("b.csv"), b);
  CHECK_THROWS_WITH(merge_sweeps({dir.file("a.csv"), dir.file("b.csv")}), Contains("differs"));
  b[1].device = "xc7z045";
  b[0].device = "xc7z045";
  write_sweep_csv(dir.file("b.csv"), b);
  CHECK_THROWS_WITH(merge_sweeps({dir.file("a.csv"), dir.file("b.csv")}), Contains("device"));
  { std::ofstream(dir.file("a.csv"), std::ios::app) << "a,xc7"; }
  CHECK_THROWS_WITH(merge_sweeps({dir.file("a.csv")}), Contains("partial line"));
  CHECK_THROWS_WITH(merge_sweeps({dir.file("missing.csv")}), Contains("missing.csv"));
}

TEST_CASE("a per-layer grid expands to every combination of the shared and per-layer axes", "[sweep][stacked]") {
  const Grid g = parse_grid(R"({"axes": {"fc_lanes": [4, 8]},
      "layers": [{"mvm_lanes": [32, 64], "ewu_lanes": [1, 2]}, {"mvm_lanes": [16, 64], "ewu_lanes": [4]}]})",
                            "g2.json");
  CHECK(g.file == "g2.json");
  REQUIRE(g.layers.size() == 2);
  CHECK(g.layers[0].size() == 2);
  CHECK(g.layers[1][0].first == "mvm_lanes");
  CHECK(g.combinations() == 2 * 4 * 2);
  const ExpandedGrid ex = expand_grid(g, fmnist2());
  // Layer 1: 32/1, 32/2, 64/1, 64/2 all valid; layer 2: 16 with E 4 > R = 1 invalid, 64/4 valid.
  CHECK(ex.invalid == 8);
  CHECK_THAT(ex.first_invalid, Contains("layers[1]"));
  std::vector<std::string> keys;
  for (const auto& a : ex.configs) keys.push_back(config_key(a));
  // Shared axes first, then layer 1's, then layer 2's; the last axis fastest.
  CHECK(keys == std::vector<std::string>{
                    "L32-64_G1-1_E1-4_F4_P1_NB2-2_200MHz", "L32-64_G1-1_E2-4_F4_P1_NB2-2_200MHz",
                    "L64-64_G1-1_E1-4_F4_P1_NB2-2_200MHz", "L64-64_G1-1_E2-4_F4_P1_NB2-2_200MHz",
                    "L32-64_G1-1_E1-4_F8_P1_NB2-2_200MHz", "L32-64_G1-1_E2-4_F8_P1_NB2-2_200MHz",
                    "L64-64_G1-1_E1-4_F8_P1_NB2-2_200MHz", "L64-64_G1-1_E2-4_F8_P1_NB2-2_200MHz"});
  const ArchConfig& a = ex.configs[1];
  REQUIRE(a.num_layers() == 2);
  CHECK(a.mvm_lanes == 32);
  CHECK(a.ewu_lanes == 2);
  CHECK(a.more_layers[0].mvm_lanes == 64);
  CHECK(a.more_layers[0].ewu_lanes == 4);
  CHECK(a.more_layers[0].H == 28);
  CHECK(a.layer(1).pixels_per_beat == 2);  // layer 2 reads layer 1's h_t in beats of its EWU lanes
  CHECK(a.name == keys[1]);
}

TEST_CASE("a grid without layers sets the layer fields of every layer of a stacked model", "[sweep][stacked]") {
  const Grid g = parse_grid(R"({"axes": {"mvm_lanes": [32, 64], "ewu_lanes": [2]}})", "g.json");
  const ExpandedGrid ex = expand_grid(g, fmnist2());
  REQUIRE(ex.configs.size() == 2);
  CHECK(config_key(ex.configs[0]) == "L32-32_G1-1_E2-2_F4_P1_NB2-2_200MHz");
  CHECK(config_key(ex.configs[1]) == "L64-64_G1-1_E2-2_F4_P1_NB2-2_200MHz");
  // On a one-layer model the same grid is today's one-layer sweep.
  CHECK(config_key(expand_grid(g, fmnist()).configs[0]) == "L32_G1_E2_F4_P1_NB2_200MHz");
}

TEST_CASE("per-layer grids: bad ones and layer counts the model does not have are refused", "[sweep][stacked]") {
  grid_error(R"({"layers": {"mvm_lanes": [16]}})", "one object per LSTM layer");
  grid_error(R"({"layers": [{"mvm_lanes": [16]}]})", "at least 2");
  grid_error(R"({"layers": [{"mvm_lanes": [16]}, 3]})", "layers[1] must be an object");
  grid_error(R"({"layers": [{"mvm_lanes": [16]}, {"fc_lanes": [4]}]})", "layers[1].fc_lanes: shared by all layers");
  grid_error(R"({"layers": [{"H": [28]}, {}]})", "layers[0].H: network dimensions come from --model");
  grid_error(R"({"layers": [{"lanes": [16]}, {}]})", "layers[0]: unknown field 'lanes'");
  grid_error(R"({"layers": [{"ewu_lanes": []}, {}]})", "layers[0].ewu_lanes is empty");
  grid_error(R"({"layers": [{"ewu_lanes": [2, 2]}, {}]})", "layers[0].ewu_lanes lists 2 twice");
  grid_error(R"({"layers": [{"ewu_lanes": [0]}, {}]})", "layers[0].ewu_lanes[0] = 0 must be in 1..65536");
  grid_error(R"({"layers": [{}, {}]})", "no axes");
  grid_error(R"({"axes": {"mvm_lanes": [16]}, "layers": [{"ewu_lanes": [1]}, {}]})",
             "axes.mvm_lanes: with \"layers\" the layer fields go per layer");
  grid_error(R"({"base": {"spx_buffers": 2}, "layers": [{"ewu_lanes": [1]}, {}]})", "base.spx_buffers");
  // Layer count: checked against the model when the grid is expanded.
  const Grid two = parse_grid(R"({"layers": [{"mvm_lanes": [64]}, {"mvm_lanes": [64]}]})", "two.json");
  CHECK_THAT(expand_error(two, fmnist()),
             Contains("two.json") && Contains("gives axes for 2 LSTM layers but the model has 1") &&
                 Contains("under \"axes\""));
  ArchConfig three = fmnist2();
  three.more_layers.push_back(LayerArch{});
  CHECK_THAT(expand_error(two, three), Contains("two.json") && Contains("2 LSTM layers but the model has 3"));
  CHECK(expand_error(two, fmnist2()).empty());
}

TEST_CASE("a stacked row: per-layer resources, and the cycles of the layer pipeline", "[sweep][stacked]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm2"));
  const ArchConfig start = arch_for_model(m);
  REQUIRE(start.num_layers() == 2);
  std::ifstream gf(testutil::repo_dir() + "/sc_model/configs/grids/fmnist-lstm2.json");
  std::stringstream gs;
  gs << gf.rdbuf();
  const ExpandedGrid ex = expand_grid(parse_grid(gs.str(), "fmnist-lstm2.json"), start);
  REQUIRE(ex.configs.size() >= 50);
  ImageSet images;
  images.count = 3, images.rows = m.T, images.cols = m.I;
  images.pixels.assign(images.count * m.T * m.I, 0);
  for (size_t i = 0; i < images.pixels.size(); ++i) images.pixels[i] = uint8_t(i * 37 + 11);
  const Device dev = find_device("xc7z020");
  bool unequal = false;  // some config's layers differ (the timing is not one layer's twice)
  double worst = 0;      // cycles / the largest bound of any layer (issue 13: at most 1.10)
  for (const ArchConfig& a : ex.configs) {
    INFO(config_key(a));
    const SweepRow r = sweep_config(a, m, dev, images);
    const Timing t = timing(a);
    CHECK(r.cycles == t.interval);
    CHECK(r.latency == t.latency);
    const uint64_t bound = std::max({t.bound_mac, t.bound_input, t.bound_recurrence});
    worst = std::max(worst, double(r.cycles) / double(bound));
    CHECK(double(r.cycles) <= 1.10 * double(bound));
    REQUIRE(r.layers.size() == 2);
    CHECK(r.layers[1].mvm_lanes == a.more_layers[0].mvm_lanes);
    CHECK(r.layers[1].ewu_lanes == a.more_layers[0].ewu_lanes);
    // Layers plus the FC and arg-max: the total.
    double lut = 0;
    int dsp = 0;
    for (const auto& l : r.layers) lut += l.lut, dsp += l.dsp;
    CHECK(dsp + a.fc_lanes == r.res.dsp);
    CHECK(lut < r.res.lut);
    CHECK(r.layers[0].dsp == 3 * a.ewu_lanes);
    unequal |= a.mvm_lanes != a.more_layers[0].mvm_lanes;
  }
  CHECK(unequal);
  WARN("grid fmnist-lstm2: " << ex.configs.size() << " configs, cycles / largest bound at most " << worst);
}

TEST_CASE("stacked sweep CSV: per-layer columns, round trip, resume, merge", "[sweep][stacked]") {
  testutil::TempDir dir;
  CHECK(csv_header(1) == csv_header());
  const std::string h2 = csv_header(2);
  CHECK(h2.rfind(csv_header() + ",l1_mvm_lanes,l1_mvm_groups,l1_ewu_lanes,l1_spx_buffers,l1_dsp,l1_bram36,l1_lut,l1_ff,"
                                "l2_mvm_lanes,", 0) == 0);
  const Grid g = parse_grid(R"({"layers": [{"mvm_lanes": [32, 64], "ewu_lanes": [1, 2]}, {"mvm_lanes": [64]}]})", "g.json");
  ArchConfig start = fmnist2();
  start.more_layers[0].ewu_lanes = 4;
  const ExpandedGrid ex = expand_grid(g, start);
  REQUIRE(ex.configs.size() == 4);
  const Device dev = find_device("xc7z020");
  Resources l1, l2, total;
  l1.dsp = 6, l1.ramb18 = 1, l1.ramb36 = 2, l1.lut = 8000.4, l1.ff = 3000;
  l2.dsp = 12, l2.ramb36 = 6, l2.lut = 15000, l2.ff = 5000.6;
  total = l1, total += l2;
  std::vector<SweepRow> rows;
  for (size_t i = 0; i < 3; ++i) rows.push_back(make_row(ex.configs[i], dev, total, 1568 + i, 2000, {l1, l2}));
  CHECK(rows[0].layers[0].bram36 == 2.5);
  CHECK(rows[0].layers[0].lut == 8000);
  const std::string line = csv_row(rows[1]);
  CHECK(csv_row(parse_csv_row(line, "f:3", 2)) == line);
  CHECK_THROWS_WITH(parse_csv_row(line, "f:3"), Contains("f:3") && Contains("fields"));
  // Kill while writing row 3, read back, resume the rest.
  const std::string path = dir.file("s2.csv");
  write_sweep_csv(path, {rows[0], rows[1]});
  { std::ofstream(path, std::ios::app | std::ios::binary) << csv_row(rows[2]).substr(0, 30); }
  bool partial = false;
  int layers = 0;
  const auto back = read_sweep_csv(path, &partial, &layers);
  CHECK(partial);
  CHECK(layers == 2);
  REQUIRE(back.size() == 2);
  CHECK(csv_row(back[1]) == csv_row(rows[1]));
  CHECK(remaining_configs(ex.configs, back, dev.name, path) == std::vector<size_t>{2, 3});
  // An empty stacked sweep keeps its header; the layer count is read back.
  write_sweep_csv(path, {}, 2);
  CHECK(read_sweep_csv(path, &partial, &layers).empty());
  CHECK(layers == 2);
  CHECK_THROWS_WITH(write_sweep_csv(path, {rows[0]}, 1), Contains("layers"));
  // A header with a layer's columns cut short is not a sweep CSV.
  write_text(path, h2.substr(0, h2.size() - 6) + "\n");
  CHECK_THROWS_WITH(read_sweep_csv(path), Contains("header differs"));
  // Merge: stacked shards join; a one-layer shard does not mix in.
  write_sweep_csv(dir.file("a.csv"), {rows[0]});
  write_sweep_csv(dir.file("b.csv"), {rows[1], rows[2]});
  const auto m = merge_sweeps({dir.file("a.csv"), dir.file("b.csv")}, &layers);
  CHECK(m.size() == 3);
  CHECK(layers == 2);
  write_sweep_csv(dir.file("c.csv"), {row("L16_G1_E1_F4_P1_NB2_200MHz", 7, 2, 7000, 30000)});
  CHECK_THROWS_WITH(merge_sweeps({dir.file("a.csv"), dir.file("c.csv")}),
                    Contains("c.csv") && Contains("1-layer") && Contains("2-layer"));
}
