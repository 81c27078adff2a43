// The CNN front end's part of the architecture config, ROM layout and timing
// formulas: every rule of docs/architecture.md's config table rejects with a
// message naming the file and the field; the conv ROM puts each weight in the
// lane the docs say; the bounds and the documented closed-form latency equal
// lstm::arch::timing (which runs the front end's control model).
#include <catch2/catch.hpp>

#include "arch/arch.hpp"
#include "formats/error.hpp"
#include "formats/model.hpp"
#include "rtlgen/rom_layout.hpp"
#include "arch/timing.hpp"
#include "arch_error.hpp"
#include "test_util.hpp"

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::rtlgen;

namespace {

ArchConfig cnn_default() { return load_arch(testutil::repo_dir() + "/sc_model/configs/cnn_default.json"); }

std::string cfg(const std::string& extra) {
  return R"({"I": 28, "H": 28, "T": 14, "classes": 10, "c": 7, "k": 4, "mvm_lanes": 112, "mvm_groups": 1,
             "ewu_lanes": 7, "fc_lanes": 4, "pixels_per_beat": 1, "spx_buffers": 2, "clock_mhz": 200)" +
         extra + "}";
}

}  // namespace

TEST_CASE("cnn config: the checked-in configs load and derive the documented quantities", "[arch][cnn]") {
  const ArchConfig a = cnn_default();
  CHECK(a.has_cnn());
  CHECK(a.cnn_steps() == 28);
  CHECK(a.conv_taps() == 84);
  CHECK(a.conv_ch_per_beat() == 1);
  CHECK(a.conv_beats_per_ch() == 1);
  CHECK(a.conv_groups() == 28);
  const ArchConfig s = load_arch(testutil::repo_dir() + "/sc_model/configs/cnn_small.json");
  CHECK(s.conv_beats_per_ch() == 4);
  CHECK(s.conv_lanes_per_ch() == 21);
  const ArchConfig f = load_arch(testutil::repo_dir() + "/sc_model/configs/cnn_fast.json");
  CHECK(f.conv_ch_per_beat() == 4);
  CHECK(f.conv_groups() == 7);
  CHECK(f.conv_lanes_per_ch() == 84);
}

TEST_CASE("cnn config: impossible front ends are rejected naming the field", "[arch][cnn]") {
  CHECK_THAT(arch_error(cfg(R"(, "cnn_in": 28, "conv_lanes": 0)")), Catch::Contains("conv_lanes = 0 must be in 1..65536"));
  CHECK_THAT(arch_error(cfg(R"(, "cnn_in": 28, "conv_lanes": 50)")),
             Catch::Contains("conv_lanes = 50 must divide, or be a multiple of, the 84 products"));
  CHECK_THAT(arch_error(cfg(R"(, "cnn_in": 28, "conv_lanes": 252)")),  // 3 channels per beat, I = 28
             Catch::Contains("computes 3 channels per beat, which must divide the I = 28"));
  CHECK_THAT(arch_error(cfg(R"(, "conv_lanes": 84)")), Catch::Contains("conv_lanes = 84 is set but cnn_in is 0"));
  CHECK_THAT(arch_error(cfg(R"(, "cnn_in": -3, "conv_lanes": 84)")), Catch::Contains("cnn_in = -3 must be in 0..65536"));
  CHECK_THAT(arch_error(R"({"I": 28, "H": 28, "T": 14, "classes": 10, "c": 7, "k": 4, "mvm_lanes": 112,
      "mvm_groups": 1, "ewu_lanes": 7, "fc_lanes": 4, "pixels_per_beat": 3, "spx_buffers": 2, "clock_mhz": 200,
      "cnn_in": 28, "conv_lanes": 84})"),
             Catch::Contains("pixels_per_beat = 3 must divide cnn_in = 28"));
  CHECK_THAT(arch_error(cfg(R"(, "cnn_in": 28, "conv_lanes": 84, "conv_kernel": 5)")),
             Catch::Contains("unknown field 'conv_kernel'"));
  // A pixel count that divides cnn_in but not I is fine with a front end.
  CHECK(arch_error(R"({"I": 28, "H": 28, "T": 14, "classes": 10, "c": 7, "k": 4, "mvm_lanes": 112,
      "mvm_groups": 1, "ewu_lanes": 7, "fc_lanes": 4, "pixels_per_beat": 5, "spx_buffers": 2, "clock_mhz": 200,
      "cnn_in": 10, "conv_lanes": 30})").empty());
}

TEST_CASE("cnn config: conv ROM lanes hold the weights the docs assign", "[arch][cnn][rom]") {
  const ArchConfig a = load_arch(testutil::repo_dir() + "/sc_model/configs/cnn_fast.json");  // Pc = 4, Lc = 84
  Model shape;
  shape.kind = ModelKind::CnnLstm;
  shape.I = a.cnn_in;
  shape.T = a.cnn_steps();
  shape.conv_out = a.I;
  const Model m = random_model(shape, 5);
  const auto rom = conv_rom(m, a);
  REQUIRE(rom.size() == size_t(a.conv_groups() * a.conv_beats_per_ch()));
  // Lane 84 + 30 of word 2: channel 2*4 + 1, tap 30 -> kk = 1, ci = 2.
  CHECK(rom[2][84 + 30] == m.conv_w[(size_t(9) * a.cnn_in + 2) * 3 + 1]);
  // cnn_small: Pc = 1, J = 4, Lc = 21; word 5*4 + 3, lane 10: channel 5, tap 73 -> kk = 2, ci = 17.
  const ArchConfig s = load_arch(testutil::repo_dir() + "/sc_model/configs/cnn_small.json");
  const auto rs = conv_rom(m, s);
  CHECK(rs[5 * 4 + 3][10] == m.conv_w[(size_t(5) * a.cnn_in + 17) * 3 + 2]);
  const auto rb = convb_rom(m, a);
  REQUIRE(rb.size() == 7);
  CHECK(rb[6][3] == m.conv_b[27]);
}

TEST_CASE("cnn timing: bounds and the documented latency formula equal lstm::arch::timing", "[arch][cnn][timing]") {
  const ArchConfig a = cnn_default();
  const Timing t = timing(a);
  const uint64_t X = a.cnn_in / a.pixels_per_beat, T2 = a.cnn_steps();
  const uint64_t GJ = uint64_t(a.conv_groups()) * a.conv_beats_per_ch();
  CHECK(t.bound_input == T2 * X);
  CHECK(t.bound_conv == T2 * GJ);
  CHECK(t.bound_mac == uint64_t(a.T) * a.blocks() * (a.w_beats() + a.u_beats()));
  // Front end and LSTM keep up: docs/architecture.md's closed form.
  REQUIRE(GJ <= X);
  REQUIRE(uint64_t(a.blocks()) * (a.w_beats() + a.u_beats()) <= 2 * X);
  const uint64_t latency = T2 * X + 2 * GJ + uint64_t(a.blocks()) * (a.w_beats() + a.u_beats()) +
                           recurrence_delay(a) + uint64_t(a.classes) * a.fc_beats_per_row() +
                           std::max(1, a.classes - 1) + 6;
  CHECK(t.latency == latency);
  CHECK(t.latency == 935);
  CHECK(t.interval == std::max({t.bound_input, t.bound_conv, t.bound_mac}));
}
