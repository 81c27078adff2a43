// Sweeps: grid parsing (every way a grid can be wrong), expansion, shards,
// the CSV (round trip, resume after a kill), the Pareto front and merging.
#include <catch2/catch.hpp>
#include <fstream>

#include "formats/error.hpp"
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
