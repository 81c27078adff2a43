// The derived-parameter rules (arch/derived.hpp): the evaluator has
// Verilog's integer semantics, the config accessors read the rules, and the
// generated headers hold exactly what a module needs.
#include <catch2/catch.hpp>

#include <algorithm>

#include "arch/arch.hpp"
#include "arch/derived.hpp"
#include "test_util.hpp"

using namespace lstm::arch; using namespace lstm::formats;

TEST_CASE("derived: Verilog constant expressions", "[derived]") {
  const ParamEnv env = {{"A", 7}, {"B", 4}, {"Z", 0}};
  CHECK(eval_verilog_expr("A / 2", env) == 3);
  CHECK(eval_verilog_expr("A % B", env) == 3);
  CHECK(eval_verilog_expr("1 + A * B - 2", env) == 27);
  CHECK(eval_verilog_expr("(1 + A) * B", env) == 32);
  CHECK(eval_verilog_expr("A > B ? A : B", env) == 7);
  CHECK(eval_verilog_expr("A <= B ? 1 : Z == 0 ? 2 : 3", env) == 2);
  CHECK(eval_verilog_expr("A != 7 || B >= 4 && Z < 1", env) == 1);
  CHECK(eval_verilog_expr("-A + 10", env) == 3);
  // $clog2 as Verilog defines it: ceil(log2(v)), 0 for 0 and 1.
  const std::pair<int, int> clog[] = {{0, 0}, {1, 0}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {28, 5}, {32, 5}, {33, 6}};
  for (auto [v, l] : clog) CHECK(eval_verilog_expr("$clog2(" + std::to_string(v) + ")", env) == l);
  CHECK_THROWS_WITH(eval_verilog_expr("A + Q", env), Catch::Contains("unknown parameter 'Q'"));
  CHECK_THROWS_WITH(eval_verilog_expr("(A + 1", env), Catch::Contains("')' expected"));
  CHECK_THROWS_WITH(eval_verilog_expr("A +", env), Catch::Contains("unexpected end"));
}

TEST_CASE("derived: rules over the shipped configs", "[derived]") {
  for (const char* name : {"default", "minimal", "wide", "fast4", "large1024", "cnn_default", "cnn_small", "cnn_fast"}) {
    INFO(name);
    const ArchConfig a = load_arch(testutil::repo_dir() + "/sc_model/configs/" + name + ".json");
    const ParamEnv d = derive(a);
    // Hand-written checks of the definitions (docs/architecture.md).
    CHECK(d.at("R") * kGates * a.k * a.mvm_groups == a.mvm_lanes);
    CHECK(d.at("B") * d.at("R") == a.H);
    CHECK(d.at("WC") * a.c * a.mvm_groups == a.I);
    CHECK(d.at("UC") * a.c * a.mvm_groups == a.H);
    CHECK(d.at("LSTM_DEPTH") == d.at("B") * (d.at("WC") + d.at("UC")));
    CHECK(d.at("EWU_BEATS") * a.ewu_lanes == a.H);
    CHECK(d.at("BEAT_W") == 5 + d.at("TW") + d.at("BW") + d.at("JW"));
    CHECK((int64_t(1) << d.at("TW")) >= a.T);
    CHECK((int64_t(1) << d.at("CLASS_W")) >= a.classes);
    // The accessors read the same rules.
    CHECK(a.rows_per_block() == d.at("R"));
    CHECK(a.blocks() == d.at("B"));
    CHECK(a.fc_beats_per_row() == d.at("FC_FB"));
    if (a.has_cnn()) {
      CHECK(a.conv_ch_per_beat() * a.conv_lanes_per_ch() == a.conv_lanes);
      CHECK(a.conv_groups() * a.conv_ch_per_beat() == a.I);
      CHECK(d.at("CH_PER_BEAT") == a.conv_ch_per_beat());
    }
    for (const DerivedRule& r : derived_rules()) CHECK(derived_value(a, r.name) == d.at(r.name));
  }
}

TEST_CASE("derived: generated headers", "[derived]") {
  for (const RtlModuleDerived& m : rtl_module_derived()) {
    INFO(m.module);
    const std::string h = verilog_header(m);
    for (const char* n : m.names) {
      const bool own = std::find_if(m.own.begin(), m.own.end(), [&](const char* o) { return std::string(o) == n; }) !=
                       m.own.end();
      CHECK((h.find(std::string(" ") + n + " = ") != std::string::npos) != own);
    }
    CHECK(h.find(m.in_params ? "parameter integer" : "localparam integer") != std::string::npos);
  }
  // A rule a module needs only indirectly comes with it: kmux's LA_W needs LSTM_DEPTH, B and R.
  const auto& mods = rtl_module_derived();
  const auto kmux = std::find_if(mods.begin(), mods.end(), [](const RtlModuleDerived& m) { return std::string(m.module) == "kmux"; });
  REQUIRE(kmux != mods.end());
  const std::string h = verilog_header(*kmux);
  CHECK(h.find(" R = ") < h.find(" B = "));
  CHECK(h.find(" B = ") < h.find(" LSTM_DEPTH = "));
  CHECK(h.find(" ACC_W = ") == std::string::npos);  // not kmux's
}
