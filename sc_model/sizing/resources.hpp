// Resource model: DSP48E1, RAMB18E1/RAMB36E1, LUT and FF of every block as
// functions of the architecture config (and, for the ROM widths, of the
// weights), calibrated against `yosys synth_xilinx -family xc7` of rtl/
// (docs/sizing.md has the reasoning per block and the validation table).
// Pure C++; used by `lstmsim size` and `lstmsim sweep`.
#pragma once

#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "formats/model.hpp"

namespace lstm::sizing {

// One term of a block's LUT estimate: a structural quantity and its name
// (a name starting with "=" is a count of LUTs; otherwise the LUTs are the
// value times the term's fitted coefficient, docs/sizing.md).
struct LutTerm {
  std::string name;
  double value = 0;
};

struct Resources {
  std::vector<LutTerm> lut_terms;  // a block's LUT terms (empty for a sum of blocks)
  double lut = 0;   // LUT1..LUT6 plus LUTs used as distributed RAM (RAM32M = 4)
  double ff = 0;    // flip-flops
  int dsp = 0;      // DSP48E1 (DSP48E2 on UltraScale: same count, all products fit 25x18)
  int ramb18 = 0;   // RAMB18E1
  int ramb36 = 0;   // RAMB36E1
  double bram36() const { return ramb36 + 0.5 * ramb18; }  // in RAMB36 tiles
  Resources& operator+=(const Resources& o) {
    lut += o.lut, ff += o.ff, dsp += o.dsp, ramb18 += o.ramb18, ramb36 += o.ramb36;
    return *this;
  }
};

// What a ROM's contents look like to synthesis: the read width after yosys
// drops bit columns that are constant over all words (opt_mem), and the
// depth. Computed from the model when there is one, else from the config.
struct RomShape {
  int width = 0, depth = 0;
};

// A ROM without rom_style (the bias ROMs, the Conv1d weights): in logic a
// LUT per distinct column that is neither constant nor an address bit (per
// 64 words of its power-of-two address space), an output register per
// distinct non-constant column; in block
// RAM when yosys finds that cheaper (then no LUT and no FF).
struct RomLogic {
  int luts = 0, ffs = 0;
  int ramb18 = 0, ramb36 = 0;
  RomLogic& operator+=(const RomLogic& o) {
    luts += o.luts, ffs += o.ffs, ramb18 += o.ramb18, ramb36 += o.ramb36;
    return *this;
  }
};
RomLogic rom_in_logic(const std::vector<std::vector<int32_t>>& words, int bits);
// Whether (block, term) has a fitted coefficient in lut_coeffs.inc.
bool lut_term_fitted(const std::string& block, const std::string& term);

// Everything a block's estimate may depend on: the config and, when a model
// is given, the ROM shapes seen by synthesis.
struct SizingInput {
  arch::ArchConfig arch;
  RomShape lstm_rom, fc_rom;  // the two block-RAM ROMs of wmem
  RomLogic bias_logic, fcb_logic, conv_logic;  // the ROMs in logic (conv: weights and biases)
  bool from_model = false;    // ROM widths counted on real weights
  bool with_fc = true;        // the FC, arg-max and FC ROMs follow this layer (the last)
};
// layer: a stacked config's layer (a is then that layer's view, a.layer(l)).
SizingInput sizing_input(const arch::ArchConfig& a, const formats::Model* m = nullptr, int layer = 0);

// One row of the block table: a block's name (as in rtl/ and sc_model/blocks)
// and its estimate. THE PLACE TO ADD A BLOCK (e.g. the CNN front end:
// conv1d, relu, maxpool) is the table in resources.cpp, block_models().
struct BlockModel {
  const char* name;
  Resources (*estimate)(const SizingInput&);
};
const std::vector<BlockModel>& block_models();

struct BlockResources {
  std::string block;
  Resources r;
};
std::vector<BlockResources> estimate_blocks(const SizingInput& in);
Resources estimate_total(const SizingInput& in);

// Any config, stacked or not: for one layer estimate_blocks; for L layers
// the CNN front end (if any), then per layer "l<n>.<block>" rows of the
// layer's datapath (S-P-X .. S-P-H and its weight memories), then the FC and
// arg-max once, after the last layer (SPEC Part B "Stacked layers").
std::vector<BlockResources> estimate_config(const arch::ArchConfig& a, const formats::Model* m = nullptr);

// How yosys' memory_libmap maps a synchronous-read ROM forced to block RAM
// (rom_style = "block") on 7-series: all simple-dual-port RAMB36 (72 bits x
// 512, narrower and deeper modes) or all RAMB18 (36 x 512, ...), whichever
// costs less by yosys' weights 257 / 129 (docs/sizing.md).
Resources bram_for_rom(int width, int depth);
// LUTs that select among the slices of bram_for_rom's cover (the read mux).
int bram_read_mux_luts(int width, int depth);

// ---- devices ----
struct Device {
  std::string name, family, board;
  double lut = 0, ff = 0;
  int dsp = 0;
  double bram36 = 0;  // RAMB36 tiles (2 RAMB18 each)
};
const std::vector<Device>& devices();
// Throws InputError naming the unknown device and listing the known ones.
const Device& find_device(const std::string& name);

struct Fit {
  bool fits = true;
  std::string overflow;  // "DSP 250 > 220 (+30, 113.6%); ..." empty when it fits
  double util_lut = 0, util_ff = 0, util_dsp = 0, util_bram = 0;  // fractions
};
Fit fit(const Resources& r, const Device& d);

}  // namespace lstm::sizing
