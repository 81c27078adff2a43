// The resource model: block-RAM covering of the ROMs, the structural counts
// of every block (DSP, BRAM, FF) against hand-computed values, the ROM
// widths seen by synthesis, devices and the fit report.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "formats/error.hpp"
#include "formats/model.hpp"
#include "sizing/resources.hpp"
#include "rtlgen/rom_layout.hpp"
#include "test_util.hpp"

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::rtlgen; using namespace lstm::sizing;
using Catch::Matchers::Contains;

namespace {

Resources block(const SizingInput& in, const std::string& name) {
  for (const auto& b : estimate_blocks(in))
    if (b.block == name) return b.r;
  FAIL("no block " << name);
  return {};
}

ArchConfig cfg(int L, int G, int E, int F, int P, int NB) {
  ArchConfig a;
  a.mvm_lanes = L, a.mvm_groups = G, a.ewu_lanes = E, a.fc_lanes = F, a.pixels_per_beat = P, a.spx_buffers = NB;
  validate_arch(a, "test");
  return a;
}

}  // namespace

TEST_CASE("bram_for_rom covers a ROM like yosys memory_libmap (all RAMB36 or all RAMB18, cheaper)", "[resources]") {
  auto check = [](int w, int d, int r36, int r18) {
    INFO(w << " x " << d);
    const Resources r = bram_for_rom(w, d);
    CHECK(r.ramb36 == r36);
    CHECK(r.ramb18 == r18);
  };
  check(720, 32, 10, 0);   // 10 full 72-bit columns
  check(718, 32, 10, 0);   // 10 x 257 < 20 x 129
  check(756, 32, 0, 21);   // 11 x 257 > 21 x 129
  check(106, 10, 0, 3);    // 2 x 257 > 3 x 129 (the FC ROM of fc_lanes = 16)
  check(26, 40, 0, 1);     // the default FC ROM
  check(36, 512, 0, 1);
  check(72, 512, 1, 0);
  check(36, 1024, 1, 0);   // 1K deep: RAMB36 in 36-bit mode
  check(18, 1024, 0, 1);   // RAMB18 in 18-bit mode
  check(144, 2048, 8, 0);  // 2K deep: 18-bit RAMB36 columns, 8 of them
  // 1,184 deep (H = 256, 128 lanes): 1K x 18 + 512 x 36 RAMB18 slices, 50 +
  // 25 (yosys, s10 of the synthesis dataset), cheaper than 2K x 18 RAMB36.
  check(896, 1184, 0, 75);
  check(0, 32, 0, 0);
}

TEST_CASE("structural counts per block for the default config, by hand", "[resources]") {
  // default: I = H = T = 28, c = 7, k = 4, L = 112, G = 1, E = 7, F = 4, P = 1, NB = 2.
  // R = 7, B = 4, Wc = Uc = 4, ACC_W = 18 + clog2(32) = 23, beat tag 5 + 5 + 2 + 2 = 14 bits.
  const SizingInput in = sizing_input(ArchConfig{});
  CHECK(block(in, "ewu").dsp == 21);  // 3 per EWU lane
  CHECK(block(in, "fc").dsp == 4);    // one per FC lane
  int dsp = 0;
  for (const auto& b : estimate_blocks(in)) dsp += b.r.dsp;
  CHECK(dsp == 25);
  // S-P-X: (NB + 1) rows of 28 bytes + head/tail (1 bit each), full (2), position (5), 2 flags.
  CHECK(block(in, "spx").ff == 8 * 28 * 3 + 2 + 2 + 5 + 2);
  // MVM: accumulator + output register per gate row (4R = 28 rows of 23 bits), tag, valid.
  CHECK(block(in, "mvm").ff == 2 * 28 * 23 + 14 + 1);
  // Controller: t (5), phase (1), b (2), j (2).
  CHECK(block(in, "controller").ff == 10);
  // S-P-H: two banks and vec_o, 28 words of 16 bits each; out_data_o (E = 7
  // words); 12 flags and the sent counter (clog2(4 + 1) = 3 bits).
  CHECK(block(in, "sph").ff == 3 * 28 * 16 + 7 * 16 + 12 + 3);
  // FC: h_T (28 words), scanned and output logits (2 x 10 x 32), the row
  // accumulator (24) and beat counters (2 x 2: Fb = 4), address 6, row and
  // its delayed copy 2 x 4, 4 flags.
  CHECK(block(in, "fc").ff == 28 * 16 + 640 + 24 + 4 + 6 + 8 + 4);
  // Arg-max: logits in and out (2 x 320), running max 32, scan index 4,
  // best and result index 2 x 4, 3 flags.
  CHECK(block(in, "argmax").ff == 640 + 32 + 4 + 8 + 3);
  CHECK(block(in, "fifo_c").ff == 112 + 2 * 2 + 3 + 1);  // depth 4: head, pointers, count
  // Without weights: LSTM ROM 112 lanes x 7 bits, minus the idx MSB of every
  // lane holding a group's first entry (idx in 0..3): 784 - 28 = 756 bits, 32 words.
  CHECK(in.lstm_rom.width == 756);
  CHECK(in.lstm_rom.depth == 32);
  CHECK(in.fc_rom.width == 28 - 1);
  CHECK(in.fc_rom.depth == 40);
  const Resources w = block(in, "wmem");
  CHECK(w.ramb36 == 0);
  CHECK(w.ramb18 == 21 + 1);  // 756 bits: 21 x 36 (cheaper than 11 x 72), FC ROM one
}

TEST_CASE("LUT terms: structural quantities by hand, every fitted term has a coefficient", "[resources]") {
  const SizingInput in = sizing_input(ArchConfig{});
  auto term = [&](const std::string& b, const std::string& t) {
    for (const LutTerm& x : block(in, b).lut_terms)
      if (x.name == t) return x.value;
    FAIL("no term " << t << " in " << b);
    return 0.0;
  };
  // KMUX: 112 lanes x 16 bits x a 7:1 select (two LUT6 4:1 and one more: 3).
  CHECK(term("kmux", "lane_select_luts") == 16 * 112 * 3);
  // Stage 1: 7 words of 16 bits from x's or h's array of 2^JW = 4 groups
  // (Wc = Uc = 4, JW = 2).
  CHECK(term("kmux", "group_select_inputs") == 16 * 7 * 2 * 4);
  // EWU: S = 1, no sub-beat select.
  CHECK(term("ewu", "sub_beat_select_luts") == 0);
  // MVM: 28 gate rows of K*G = 4 lanes, 23-bit sums: 3 adders per row.
  CHECK(term("mvm", "tree_bits") == 28 * 3 * 23);
  CHECK(term("mvm", "pair_row_bits") == 0);
  // W-partial: 4 words per row, single port RAM32M of 8 bits: 3 x 4 LUTs per row.
  CHECK(term("mvm", "=wpart_ram") == 28 * 12);
  // FIFO-C: 4 x 112 bits, simple dual port RAM32M of 6 bits: 19 x 4 LUTs.
  CHECK(term("fifo_c", "=ram") == 19 * 4);
  // FC: Fb = 4 beats, so h_T (28 words) rotates: a select per bit; each of
  // the 4 lanes picks 16 bits among its group's 7 words (3 LUTs per bit).
  CHECK(term("fc", "rotate_bits") == 16 * 28);
  CHECK(term("fc", "lane_select_luts") == 16 * 4 * 3);
  // A block's LUTs are its terms: fixed ones as they are, fitted ones by coefficient.
  for (const auto& b : estimate_blocks(in)) {
    double fixed = 0;
    bool any_fitted = false;
    for (const LutTerm& t : b.r.lut_terms) {
      if (t.name[0] == '=') fixed += t.value;
      else any_fitted = any_fitted || t.value != 0;
    }
    INFO(b.block);
    if (!any_fitted) CHECK(b.r.lut == Approx(fixed));
    else CHECK(b.r.lut > fixed);
  }
  // Every fitted term of every block, on LSTM, CNN and stacked configs, has
  // a coefficient (scripts/fit_resources.py fit --write).
  const ArchConfig cnn = load_arch(testutil::repo_dir() + "/sc_model/configs/cnn_default.json");
  const ArchConfig stacked = load_arch(testutil::repo_dir() + "/sc_model/configs/stacked/fmnist-lstm2.json");
  for (const ArchConfig& a : {ArchConfig{}, cfg(16, 1, 1, 4, 1, 2), cnn, stacked})
    for (const auto& b : estimate_config(a))
      for (const LutTerm& t : b.r.lut_terms) {
        INFO(b.block << " " << t.name);
        // A stacked layer's rows are "l<n>.<block>"; the coefficients are per block.
        const std::string blk = b.block.substr(b.block.find('.') + 1);
        if (t.name[0] != '=') CHECK(lut_term_fitted(blk, t.name));
      }
}

TEST_CASE("ROMs in logic: a LUT per distinct column that is neither constant nor an address bit", "[resources]") {
  // Four words of one entry; bit columns (word 0..3):
  //   b0 = 0 0 0 0 constant            no LUT, no FF
  //   b1 = 0 1 0 1 address bit 0       FF only
  //   b2 = 1 1 0 0 NOT address bit 1   LUT (a complement is its own LUT) and FF
  //   b3 = 0 1 1 0 xor                 LUT and FF
  //   b4 = 0 1 1 0 = b3                merged: nothing
  const std::vector<std::vector<int32_t>> words = {{0b00100}, {0b11110}, {0b11000}, {0b00010}};
  const RomLogic r = rom_in_logic(words, 5);
  CHECK(r.ffs == 3);
  CHECK(r.luts == 2);
  // 65..128 words: two LUT6 per column.
  std::vector<std::vector<int32_t>> deep(100, std::vector<int32_t>(1, 0));
  deep[7][0] = 1;
  CHECK(rom_in_logic(deep, 1).luts == 2);
  // 129..256 words: four (the address space is 256 words; measured, 160 x 32
  // bits is 128 LUTs like 256 x 32).
  std::vector<std::vector<int32_t>> deeper(160, std::vector<int32_t>(1, 0));
  deeper[7][0] = 1;
  CHECK(rom_in_logic(deeper, 1).luts == 4);
}

TEST_CASE("Block-RAM read multiplexer: the measured LUTs of standalone ROMs, by 512-word bucket", "[resources]") {
  // scripts/rom_mux_table.py, 100-bit ROMs: 1,536 words took 100 LUTs,
  // 2,048 none, 2,560 took 400; a depth takes its bucket's cost.
  CHECK(bram_read_mux_luts(100, 512) == 0);
  CHECK(bram_read_mux_luts(100, 1025) == 100);
  CHECK(bram_read_mux_luts(100, 1184) == 100);
  CHECK(bram_read_mux_luts(100, 2048) == 0);
  CHECK(bram_read_mux_luts(100, 2049) == 400);
  CHECK(bram_read_mux_luts(50, 2560) == 200);
  CHECK(bram_read_mux_luts(0, 2560) == 0);
}

TEST_CASE("ROMs without rom_style: block RAM where yosys' logic cost (1/64 per bit) exceeds it", "[resources]") {
  // Random 32-bit words: 256 words stay in logic (cost 128 <= one RAMB18's
  // 129), 320 words go to one RAMB18 (cost 160); measured on standalone ROMs.
  auto rom = [](int depth) {
    std::vector<std::vector<int32_t>> w(depth, std::vector<int32_t>(1));
    std::mt19937 rng(7);
    for (auto& v : w) v[0] = int32_t(rng());
    return rom_in_logic(w, 32);
  };
  const RomLogic in_logic = rom(256), in_bram = rom(320);
  CHECK(in_logic.ramb18 + in_logic.ramb36 == 0);
  CHECK(in_logic.luts == 32 * 4);
  CHECK(in_bram.ramb18 == 1);
  CHECK(in_bram.luts == 0);
  CHECK(in_bram.ffs == 0);
}

TEST_CASE("FIFO-C: block RAM above 64 entries, above 128 with one word (yosys' choice)", "[resources]") {
  // Measured on rtl/fifo_c.v alone: 128 x 16 bits is 12 RAM64M, 129 x 16
  // and 65 x 32 bits one RAMB18 each.
  auto fifo = [](int H, int E) {
    ArchConfig a;
    a.I = 16, a.H = H, a.T = 4, a.c = 8, a.k = 2, a.classes = 4;
    a.mvm_lanes = 16, a.mvm_groups = 1, a.ewu_lanes = E, a.fc_lanes = 2;
    validate_arch(a, "test");
    return block(sizing_input(a), "fifo_c");
  };
  auto ram = [](const Resources& f) {
    for (const LutTerm& t : f.lut_terms)
      if (t.name == "=ram") return t.value;
    return -1.0;
  };
  const Resources lut128 = fifo(128, 1), bram256 = fifo(256, 1), bram128x32 = fifo(256, 2);
  CHECK(lut128.ramb18 + lut128.ramb36 == 0);
  CHECK(ram(lut128) == 4 * 12);  // two RAM64M slices of 6
  CHECK(bram256.ramb18 == 1);
  CHECK(ram(bram256) == 0);
  CHECK(bram128x32.ramb18 == 1);
  CHECK(ram(bram128x32) == 0);
}

TEST_CASE("DSP and BRAM follow the lanes: hand-computed for other configs", "[resources]") {
  // minimal: L = 16, R = 1, B = 28, E = 1: LSTM ROM 16 x 7 - 4 = 108 bits x 28*8 = 224 words.
  const SizingInput m = sizing_input(cfg(16, 1, 1, 4, 1, 2));
  CHECK(m.lstm_rom.width == 108);
  CHECK(m.lstm_rom.depth == 224);
  CHECK(estimate_total(m).dsp == 3 + 4);
  const Resources wm = block(m, "wmem");
  CHECK(wm.ramb36 == 0);      // 2 x 257 > 3 x 129
  CHECK(wm.ramb18 == 3 + 1);  // 108 bits: three 36-bit RAMB18; the FC ROM (27 bits) one
  // wide: L = 896, G = 2, E = 14, F = 8: 42 + 8 DSP; R = 28, B = 1, Wc = Uc = 2: ROM 896*7 - 224 =
  // 6048 bits x 4 words = 84 RAMB36; FC ROM 8*7 - 2 = 54 bits x 20: one RAMB36 (cheaper than two RAMB18).
  ArchConfig wide = cfg(896, 2, 14, 8, 4, 2);
  const SizingInput w = sizing_input(wide);
  CHECK(estimate_total(w).dsp == 50);
  CHECK(w.lstm_rom.width == 6048);
  CHECK(w.lstm_rom.depth == 4);
  CHECK(block(w, "wmem").ramb36 == 84 + 1);
  // The FIFO-C of E = 14: depth 2, 224 bits in RAM32M (6 bits each): 38 x 4 LUTs at least.
  CHECK(block(w, "fifo_c").lut >= 38 * 4);
  CHECK(block(w, "fifo_c").ramb18 == 0);
}

TEST_CASE("with weights, the ROM widths drop the constant bit columns", "[resources]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  const ArchConfig a = arch_for_model(m);
  const SizingInput with = sizing_input(a, &m), without = sizing_input(a);
  CHECK(with.from_model);
  // Count the live columns independently from the ROM words.
  const auto words = lstm_rom(m, a);
  int live = 0;
  for (size_t e = 0; e < words[0].size(); ++e)
    for (int b = 0; b < 7; ++b) {
      int ones = 0;
      for (const auto& w : words) ones += (w[e] >> b) & 1;
      live += ones != 0 && ones != int(words.size());
    }
  CHECK(with.lstm_rom.width == live);
  CHECK(with.lstm_rom.width <= without.lstm_rom.width);
  CHECK(with.lstm_rom.depth == without.lstm_rom.depth);
}

TEST_CASE("estimates grow with the parallelism they pay for", "[resources]") {
  const Resources small = estimate_total(sizing_input(cfg(16, 1, 1, 4, 1, 2)));
  const Resources big = estimate_total(sizing_input(cfg(224, 1, 7, 16, 4, 3)));
  CHECK(big.lut > small.lut);
  CHECK(big.ff > small.ff);
  CHECK(big.dsp > small.dsp);
  CHECK(big.bram36() > small.bram36());
  // More MVM lanes only: MVM and KMUX grow, EWU does not.
  const SizingInput a = sizing_input(cfg(112, 1, 7, 4, 1, 2)), b = sizing_input(cfg(224, 1, 7, 4, 1, 2));
  CHECK(block(b, "mvm").lut > block(a, "mvm").lut);
  CHECK(block(b, "kmux").lut > block(a, "kmux").lut);
  CHECK(block(b, "ewu").dsp == block(a, "ewu").dsp);
}

TEST_CASE("devices: lookup, budgets and what overflows by how much", "[resources]") {
  CHECK(find_device("XC7Z045").dsp == 900);
  CHECK(find_device("xc7z045").bram36 == 545);
  for (const char* n : {"xc7z010", "xc7z020", "xc7z045", "xcku060", "xczu9eg"}) CHECK(find_device(n).name == n);
  CHECK_THROWS_WITH(find_device("xc7z999"), Contains("xc7z999") && Contains("xc7z020"));
  Resources r;
  r.dsp = 250, r.ramb36 = 140, r.ramb18 = 1, r.lut = 1000, r.ff = 1000;
  const Fit f = fit(r, find_device("xc7z020"));
  CHECK_FALSE(f.fits);
  CHECK_THAT(f.overflow, Contains("DSP 250 > 220 (+30") && Contains("BRAM36 140.5 > 140 (+0.5"));
  CHECK_THAT(f.overflow, !Contains("LUT"));
  CHECK(f.util_dsp == Approx(250.0 / 220));
  r.dsp = 220, r.ramb18 = 0;
  CHECK(fit(r, find_device("xc7z020")).fits);
  CHECK(fit(r, find_device("xc7z020")).overflow.empty());
}
