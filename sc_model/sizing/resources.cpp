#include "sizing/resources.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>
#include <set>

#include "formats/error.hpp"
#include "rtlgen/rom_layout.hpp"

namespace lstm::sizing {

namespace {

// ---- helpers shared by the block estimates (docs/sizing.md) ----

int clog2(int n) {  // as the RTL's "N > 1 ? $clog2(N) : 1"
  int b = 0;
  while ((1LL << b) < n) ++b;
  return n > 1 ? b : 1;
}
int ceil_div(int a, int b) { return (a + b - 1) / b; }

// LUTs of an n:1 multiplexer of one bit as ABC maps it: a LUT6 is a 4:1
// mux (4 data + 2 select inputs), a wider mux is a tree of them (MUXF7/F8
// are not counted: ABC builds the tree from LUTs).
int mux_luts(int n) {
  if (n <= 1) return 0;
  if (n <= 4) return 1;
  const int groups = ceil_div(n, 4);
  return groups + mux_luts(groups);
}

// LUTs per output bit of an if-chain "if (sel == k) out = in[k]" over n
// inputs with a select of sel_bits: ABC turns it into a mux tree while the
// select has at most 3 bits (select, data and chain fit a LUT6), else it
// stays a chain of n - 1 2:1 selects. Measured on rtl/ewu.v alone (S = 2..24,
// docs/sizing.md) and seen in arg-max (classes 6 vs 8).
int chain_luts(int n, int sel_bits) { return sel_bits <= 3 ? mux_luts(n) : n - 1; }

// LUTs of a distributed RAM of depth x width as yosys maps it (measured,
// docs/sizing.md). Single port (read and write on one address): RAM32M as
// 32 x 8 per 4 LUTs, then RAM64X1S (1 LUT per bit), RAM128X1S (2),
// RAM256X1S (4). Simple dual port: RAM32M as 32 x 6, RAM64M as 64 x 3,
// deeper as slices of either (when yosys keeps it out of block RAM: FIFO-C
// of one word up to 128 entries). Depth 1 is registers.
int lutram_luts(int depth, int width, bool single_port) {
  if (depth <= 1) return 0;
  if (single_port) {
    if (depth <= 32) return 4 * ceil_div(width, 8);
    if (depth <= 64) return width;
    if (depth <= 128) return 2 * width;
    return 4 * width * ceil_div(depth, 256);
  }
  if (depth <= 32) return 4 * ceil_div(width, 6);
  if (depth <= 64) return 4 * ceil_div(width, 3);
  // Deeper: slices of RAM32M or RAM64M, whichever takes fewer.
  return 4 * std::min(ceil_div(depth, 32) * ceil_div(width, 6), ceil_div(depth, 64) * ceil_div(width, 3));
}
constexpr int kLutramMaxDepth = 64;  // deeper simple-dual-port RAM is block RAM (FIFO-C of one word: 128)

// The block dimensions the estimates use; the derived ones from the rules
// (arch/derived.hpp), as the RTL elaborates them.
struct Dims {
  int I, H, T, C, K, classes, L, G, R, B, Wc, Uc, E, S, F, Gf, Fb, P, NB, X, KG, GC;
  int idx_w, ent_w, acc_w, beat_w, tw, bw, jw, nb_w, nb_fw, spx_xw, lstm_depth, fc_depth;
  int fc_acc_w, fa_w, class_w, fc_jw, arg_iw, la_w, sph_sw, rw, beats;
};
Dims dims(const arch::ArchConfig& a) {
  auto g = [&a](const char* n) { return a.derived(n); };
  Dims d{};
  d.I = a.I, d.H = a.H, d.T = a.T, d.C = a.c, d.K = a.k, d.classes = a.classes;
  d.L = a.mvm_lanes, d.G = a.mvm_groups, d.R = g("R"), d.B = g("B");
  d.Wc = g("WC"), d.Uc = g("UC"), d.E = a.ewu_lanes, d.S = g("S");
  d.F = a.fc_lanes, d.Gf = g("FC_GF"), d.Fb = g("FC_FB");
  d.P = a.pixels_per_beat, d.NB = a.spx_buffers, d.X = g("SPX_X"), d.KG = g("KG"), d.GC = g("GC");
  d.idx_w = g("IDX_W"), d.ent_w = g("ENT_W"), d.acc_w = g("ACC_W"), d.beat_w = g("BEAT_W");
  d.tw = g("TW"), d.bw = g("BW"), d.jw = g("JW"), d.nb_w = g("NB_W"), d.nb_fw = g("NB_FW"), d.spx_xw = g("SPX_XW");
  d.lstm_depth = g("LSTM_DEPTH"), d.fc_depth = g("FC_DEPTH");
  d.fc_acc_w = g("FC_ACC_W"), d.fa_w = g("FA_W"), d.class_w = g("CLASS_W"), d.fc_jw = g("FC_JW");
  d.arg_iw = g("ARG_IW"), d.la_w = g("LA_W"), d.sph_sw = g("SPH_SW"), d.rw = g("RW"), d.beats = g("EWU_BEATS");
  return d;
}

// A block's LUTs as a sum of named structural terms (docs/sizing.md,
// "Structural LUT and FF model"): a fitted term's value (bits of a
// multiplexer, of an adder, lanes, ...) times its coefficient from
// lut_coeffs.inc; a fixed term (named "=...") is a count of LUTs itself
// (distributed RAM, ROMs in logic). `lstmsim size --json` lists the terms;
// scripts/fit_resources.py fits the coefficients from them.
struct LutCoeff {
  const char* block;
  const char* term;
  double per_unit;
};
constexpr LutCoeff kLutCoeffs[] = {
#include "sizing/lut_coeffs.inc"
};

double lut_coeff(const char* block, const char* term) {
  for (const LutCoeff& c : kLutCoeffs)
    if (std::strcmp(c.block, block) == 0 && std::strcmp(c.term, term) == 0) return c.per_unit;
  return 0.0;  // a term not fitted yet (resources_test checks that every term has one)
}

class Luts {
 public:
  Luts(const char* block, Resources& r) : block_(block), r_(r) { r_.lut = 0, r_.lut_terms.clear(); }
  Luts& fitted(const char* term, double units) {
    r_.lut_terms.push_back({term, units});
    r_.lut += units * lut_coeff(block_, term);
    return *this;
  }
  Luts& fixed(const char* term, double luts) {
    r_.lut_terms.push_back({std::string("=") + term, luts});
    r_.lut += luts;
    return *this;
  }

 private:
  const char* block_;
  Resources& r_;
};

// ---- the blocks ----

Resources est_spx(const SizingInput& in) {
  const Dims d = dims(in.arch);
  const int pw = in.arch.input_words ? 16 : 8;  // bits per stored element
  Resources r;
  // NB row buffers + the output row; head/tail/full/position counters.
  r.ff = double(pw) * d.I * (d.NB + 1) + 2 * d.nb_w + d.nb_fw + d.spx_xw + 2;
  // The output row: an NB:1 select per bit (the head buffer, or the pixel
  // that completes it); a write enable per (buffer, beat position).
  // With two buffers ABC maps a row bit's select and bypass into one LUT6
  // while the beat position has at most 112 values, and into two LUT5 from
  // 128 on, blending in between (measured on rtl/spx.v alone, X = 64..256:
  // 0.85 LUTs per row bit more at X >= 128, docs/sizing.md).
  const double wide = d.NB == 2 ? std::clamp((d.X - 112) / 16.0, 0.0, 1.0) : 0.0;
  Luts("spx", r)
      .fitted("row_bits", double(pw) * d.I)
      .fitted("extra_buffer_bits", double(pw) * d.I * (d.NB - 2))
      .fitted("write_enables", double(d.NB) * d.X)
      .fixed("wide_position_select", std::round(0.85 * pw * d.I * wide));
  return r;
}

Resources est_controller(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  r.ff = d.tw + 1 + d.bw + d.jw;  // t, phase, b, j
  Luts("controller", r).fitted("counter_bits", r.ff);  // increments and wrap compares
  return r;
}

Resources est_wmem(const SizingInput& in) {
  Resources r = bram_for_rom(in.lstm_rom.width, in.lstm_rom.depth);
  if (in.with_fc) r += bram_for_rom(in.fc_rom.width, in.fc_rom.depth);
  // The bias ROMs in logic, column by column (rom_in_logic).
  const RomLogic fcb = in.with_fc ? in.fcb_logic : RomLogic{};
  Luts("wmem", r)
      .fixed("bias_rom", in.bias_logic.luts)
      .fixed("fc_bias_rom", fcb.luts)
      .fixed("lstm_rom_read_mux", bram_read_mux_luts(in.lstm_rom.width, in.lstm_rom.depth))
      .fixed("fc_rom_read_mux", in.with_fc ? bram_read_mux_luts(in.fc_rom.width, in.fc_rom.depth) : 0);
  r.ff = in.bias_logic.ffs + fcb.ffs;
  r.ramb18 += in.bias_logic.ramb18 + fcb.ramb18, r.ramb36 += in.bias_logic.ramb36 + fcb.ramb36;
  return r;
}

Resources est_kmux(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  // Stage 1: tag and the G*c operands; stage 2: per lane a 16-bit operand and 4-bit code.
  r.ff = d.beat_w + 16.0 * d.GC + 20.0 * d.L + d.beat_w + 2;
  // Per lane a c:1 select of 16 bits (the kept entry's column); stage 1
  // picks the G*c operands of beat j from x (Wc groups), h (Uc groups) or
  // 0: two arrays indexed by j's JW bits, each 2^JW entries as the RTL
  // declares them (zeros past Wc, Uc), mux trees growing with their
  // entries (docs/sizing.md: chosen over Wc + Uc by leave-one-shape-out).
  Luts("kmux", r)
      .fitted("lane_select_luts", 16.0 * d.L * mux_luts(d.C))
      .fitted("group_select_inputs", 16.0 * d.GC * 2 * (1 << d.jw));
  return r;
}

Resources est_mvm(const SizingInput& in) {
  const Dims d = dims(in.arch);
  const int rows = 4 * d.R;  // gate rows, K*G lanes each
  Resources r;
  // Per gate row: accumulator and output register (+ the W-partial words
  // when B = 1: one word is registers, not RAM); the beat tag, valid.
  r.ff = 2.0 * rows * d.acc_w + (d.B == 1 ? rows * d.acc_w : 0) + d.beat_w + 1;
  // Per lane: sign-magnitude, barrel shift by 0..7, conditional negate; per
  // gate row an adder tree of KG operands, the accumulate and + W-partial;
  // the W-partial buffer (B words per row) in distributed RAM. A row of two
  // lanes is one add/subtract (yosys folds both conditional negations into
  // it): cheaper than the tree term says, by its own fitted amount.
  Luts("mvm", r)
      .fitted("lanes", d.L)
      .fitted("tree_bits", double(rows) * (d.KG - 1) * d.acc_w)
      .fitted("row_bits", double(rows) * d.acc_w)
      .fitted("pair_row_bits", d.KG == 2 ? double(rows) * d.acc_w : 0.0)
      .fixed("wpart_ram", double(rows) * lutram_luts(d.B, d.acc_w, true));
  return r;
}

Resources est_ewu(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  r.dsp = 3 * d.E;  // f*c, i*g, o*numerics::ptanh(c) per lane, each fits one DSP48E1
  // Input block (4R sums) + per lane: stage B sums and c_{t-1}, stage C c and o, stage D h.
  r.ff = 4.0 * d.R * d.acc_w + d.E * (4.0 * d.acc_w + 16 + 16 + 14 + 16) + 20;
  // Per lane: bias add + saturation x4 (ACC_W wide), hsig/ptanh x4, the c
  // update; the S:1 sub-beat select of the held block (an if-chain on s).
  Luts("ewu", r)
      .fitted("lanes", d.E)
      .fitted("lane_acc_bits", 4.0 * d.E * d.acc_w)
      .fitted("sub_beat_select_luts", 4.0 * d.E * d.acc_w * chain_luts(d.S, clog2(d.S)));
  return r;
}

// FIFO-C's LUTs outside its RAM per entry bit, by depth, measured by
// scripts/characterize_fifo_c.py at 32 and 64 bits: {depth, narrow, wide}.
struct FifoLuts {
  int depth;
  double narrow, wide;
};
constexpr FifoLuts kFifoLuts[] = {
#include "sizing/fifo_c_luts.inc"
};

Resources est_fifo_c(const SizingInput& in) {
  const Dims d = dims(in.arch);
  const int depth = d.beats, width = 16 * d.E;
  // Distributed RAM up to 64 entries, and up to 128 with one word per
  // entry; deeper block RAM (simple dual port, as yosys' memory_libmap
  // covers it; measured on rtl/fifo_c.v alone, docs/sizing.md).
  const bool lutram = depth <= kLutramMaxDepth || (depth <= 2 * kLutramMaxDepth && d.E == 1);
  Resources r = lutram ? Resources{} : bram_for_rom(width, depth);
  // Registered head, the entries when there is one (no RAM), pointers, count.
  r.ff = width + (depth == 1 ? width : 0) + 2 * clog2(depth) + clog2(depth + 1) + 1;
  const FifoLuts* f = &kFifoLuts[std::size(kFifoLuts) - 1];  // the block-RAM row
  for (const FifoLuts& x : kFifoLuts)
    if (lutram && x.depth == depth) f = &x;
  // The read and bypass path: ABC's result depends on the depth (and the
  // width), not smoothly, so it is a measured table, scaled by one
  // coefficient fitted on the dataset (the block in its design). Beside a
  // block RAM it is mostly pointer logic: the two measured widths joined by
  // a line (a + b x width), not a rate per bit.
  const double read_logic = lutram ? width * (width <= 32 ? f->narrow : f->wide)
                                   : 32 * f->narrow + (width - 32) * (64 * f->wide - 32 * f->narrow) / 32;
  Luts("fifo_c", r)
      .fixed("ram", lutram ? lutram_luts(depth, width, false) : 0)
      .fitted("read_logic_measured", read_logic)
      .fitted("control", 1);
  return r;
}

Resources est_sph(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  // Two banks and vec_o; out_data_o (E words); flags and the sent counter.
  r.ff = 48.0 * d.H + 16.0 * d.E + 12 + d.sph_sw;
  // Per bit the two banks' write selects and vec_o's bank select; a row
  // decode per slot; when streaming, out_data_o's select of E words from
  // the H/E slots.
  Luts("sph", r)
      .fitted("bank_bits", 16.0 * d.H)
      .fitted("slots", d.beats)
      .fixed("stream_select", in.arch.stream_h ? 16.0 * d.E * chain_luts(d.beats, d.sph_sw) : 0.0);
  return r;
}

Resources est_fc(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  r.dsp = d.F;  // one q x h product per lane
  // h_T, the logits (scanned and out), the accumulator (not with one beat
  // per row: then a row is one beat's sum), address, row and beat counters.
  const bool beats = d.Fb > 1;
  r.ff = 16.0 * d.H + 64.0 * d.classes + (beats ? d.fc_acc_w + 2 * d.fc_jw : 0) + d.fa_w + 2 * d.class_w + 4;
  // h_T rotates by a beat's groups with every ROM word (when Fb > 1): a
  // load-or-rotate select per bit. A lane picks among its group's c words
  // (a mux per bit), no select over the beats. No term for the sum of the
  // F products: its fabric does not grow with F (s06: 19, 19, 18 CARRY4
  // at 2, 4, 8 lanes; yosys packs the adds into the DSP48s). The logit
  // write per class. The accumulator takes or adds the beat's sum (when
  // Fb > 1: with one beat per row it takes it). Counters.
  Luts("fc", r)
      .fitted("rotate_bits", beats ? 16.0 * d.H : 0.0)
      .fitted("lane_select_luts", 16.0 * d.F * mux_luts(d.C))
      .fitted("logit_bits", 32.0 * d.classes)
      .fitted("acc_select_bits", beats ? d.fc_acc_w : 0.0)
      .fitted("control", 1);
  return r;
}

Resources est_argmax(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  // Logits in and out, running max, its index and the result, the scan index, flags.
  r.ff = 64.0 * d.classes + 32 + d.arg_iw + 2 * d.class_w + 3;
  // The logit select (an if-chain on the scan index, 32 bits), the 32-bit
  // compare, the index.
  Luts("argmax", r)
      .fitted("select_luts", 32.0 * chain_luts(d.classes, d.arg_iw))
      .fitted("classes", d.classes)
      .fitted("control", 1);
  return r;
}

// ---- CNN front end (docs/sizing.md, "CNN front end") ----

Resources est_conv1d(const SizingInput& in) {
  const arch::ArchConfig& a = in.arch;
  Resources r;
  if (!a.has_cnn()) return r;
  const int L = a.conv_lanes, Pc = a.derived("CONV_PC"), Lc = a.derived("CONV_LC"), J = a.derived("CONV_J");
  const int CI = a.cnn_in, acc_w = a.derived("CONV_AW");
  r.dsp = L;  // one 16 x 16 product per lane (MREG in the DSP)
  // Line buffer (4 rows of CI pixels), stage 1 taps and ROM words, the
  // accumulators and output register, counters.
  // With several channels per beat (Pc > 1) yosys packs each channel's
  // operand registers and adder chain into the DSP48s (A/B/M registers, the
  // PCIN cascade): seen on cnn_fast, docs/sizing.md. The products are
  // always in the DSP's M register. A lane's tap register (the pixel's 8
  // bits, p << 5; a word's 16) stays in fabric, except with J = 2 beats per
  // channel, where every J = 2 config of the training shapes has it in the
  // DSP48's B register (docs/sizing.md, "CNN front end").
  const bool cascaded = Pc > 1;
  const double pw = a.input_words ? 16 : 8;  // bits per line-buffer element: a pixel or a Q2.13 word
  const double tap_ffs = cascaded || J == 2 ? 0.0 : pw * L;
  r.ff = 4.0 * pw * CI + tap_ffs + 16.0 * Pc + Pc * (acc_w + 16) + 3 * a.derived("CONV_DW") +
         2 * a.derived("CONV_TW") + 16;
  // The window (rows t-1, t, t+1: a 4:1 multiplexer over the row slots per
  // bit, rtl/conv1d.v) with each lane's J:1 tap select merged into it (the
  // dataset's LUTs do not grow with J or the lanes: ABC maps the two
  // selects together), the part of the adder tree of Lc products per
  // channel that is not in the DSP48s' post-adders, the weight and bias
  // ROMs in logic (rom_in_logic).
  Luts("conv1d", r)
      .fitted("window_bits", 3.0 * pw * CI)
      .fitted("adder_bits", cascaded ? 0.0 : double(Pc) * (Lc - 1) * acc_w)
      .fixed("rom", in.conv_logic.luts);
  r.ff += in.conv_logic.ffs;
  r.ramb18 += in.conv_logic.ramb18, r.ramb36 += in.conv_logic.ramb36;
  return r;
}

Resources est_relu(const SizingInput& in) {
  Resources r;
  if (!in.arch.has_cnn()) return r;
  const int Pc = in.arch.conv_ch_per_beat();
  r.ff = 16.0 * Pc + 1;
  Luts("relu", r).fitted("bits", 16.0 * Pc);  // max(0, v): a sign-gated AND per bit
  return r;
}

Resources est_maxpool(const SizingInput& in) {
  const arch::ArchConfig& a = in.arch;
  Resources r;
  if (!a.has_cnn()) return r;
  const int NB = a.spx_buffers, G = a.derived("POOL_G");
  // Even-step row, NB row buffers; head/full/group/parity counters.
  r.ff = 16.0 * a.I * (NB + 1) + 2 * a.derived("NB_W") + a.derived("NB_FW") + a.derived("POOL_GW") + 4;
  // Per word: the 16-bit compare and select, the output NB:1 select.
  Luts("maxpool", r)
      .fitted("word_bits", 16.0 * a.I)
      .fitted("select_luts", 16.0 * a.I * mux_luts(NB))
      .fitted("write_enables", double(NB) * G);
  return r;
}

}  // namespace

const std::vector<BlockModel>& block_models() {
  // One entry per block of rtl/lstm_layer.v. The CNN front end (conv1d,
  // relu, maxpool; conv_lanes multipliers) goes here, in pipeline order.
  static const std::vector<BlockModel> table = {
      {"conv1d", est_conv1d}, {"relu", est_relu}, {"maxpool", est_maxpool},
      {"spx", est_spx},   {"controller", est_controller}, {"wmem", est_wmem}, {"kmux", est_kmux},
      {"mvm", est_mvm},   {"ewu", est_ewu},               {"fifo_c", est_fifo_c}, {"sph", est_sph},
      {"fc", est_fc},     {"argmax", est_argmax},
  };
  return table;
}

Resources bram_for_rom(int width, int depth) {
  Resources r;
  if (width <= 0 || depth <= 0) return r;
  // Tiles of one primitive covering `depth` words: a slice of the depth in
  // one simple-dual-port shape (72 x 512, 36 x 1K, 18 x 2K, ... for RAMB36;
  // half the width for RAMB18), the rest covered again, the cheapest split
  // (yosys covers 1,184 words as 1K + 512, not as 2K: seen on an H = 256
  // model, docs/sizing.md).
  std::function<long(int, int)> tiles = [&](int d, int max_w) -> long {
    long best = -1;
    for (int w = max_w, dd = 512; w >= 1; w = w == 72 ? 36 : w == 36 ? 18 : w == 18 ? 9 : w == 9 ? 4 : w / 2, dd *= 2) {
      const long n = long(ceil_div(width, w)) + (dd >= d ? 0 : tiles(d - dd, max_w));
      if (best < 0 || n < best) best = n;
      if (dd >= d) break;  // deeper shapes only get narrower
    }
    return best;
  };
  // One primitive type per memory, the cheaper cover by yosys' costs
  // (RAMB36 257, RAMB18 129; a tie goes to RAMB18).
  const long n36 = tiles(depth, 72), n18 = tiles(depth, 36);
  if (n36 * 257 < n18 * 129) r.ramb36 = int(n36);
  else r.ramb18 = int(n18);
  return r;
}

namespace {
struct ReadMux {
  int bucket;
  double luts_per_bit;
};
constexpr ReadMux kBramReadMux[] = {
#include "sizing/bram_read_mux.inc"
};
}  // namespace

int bram_read_mux_luts(int width, int depth) {
  if (width <= 0 || depth <= 0) return 0;
  // yosys selects among the block RAMs covering a deep ROM with a
  // multiplexer per read bit, at a cost that depends on the depth by
  // buckets of 512 words, not smoothly: a measured table (standalone ROMs,
  // scripts/rom_mux_table.py). Deeper than the table: its last bucket.
  const int bucket = ceil_div(depth, 512);
  double per_bit = kBramReadMux[std::size(kBramReadMux) - 1].luts_per_bit;
  for (const ReadMux& m : kBramReadMux)
    if (m.bucket == bucket) per_bit = m.luts_per_bit;
  return int(std::lround(width * per_bit));
}

bool lut_term_fitted(const std::string& block, const std::string& term) {
  for (const LutCoeff& c : kLutCoeffs)
    if (block == c.block && term == c.term) return true;
  return false;
}

namespace {
// LUTs of one output column of a ROM in logic: one LUT6 per 64 words of
// the address space (a power of two: 160 words cost as 256), the MUXF7/F8
// tree free up to 256 words (measured on standalone ROMs, docs/sizing.md).
int rom_column_luts(int depth) {
  const int space = 1 << clog2(depth);
  return depth <= 64 ? 1 : space / 64 + (space > 256 ? space / 256 : 0);
}

// yosys' memory_libmap keeps a ROM without rom_style in logic while its
// logic cost, 1/64 per bit (measured: 32 x 256 stays, 32 x 320 goes), is at
// most its block-RAM cover's (RAMB18 129, RAMB36 257); else block RAM.
RomLogic in_logic_or_bram(RomLogic r, int live_width, int depth) {
  const Resources b = bram_for_rom(live_width, depth);
  if (double(depth) * live_width / 64.0 <= 129.0 * b.ramb18 + 257.0 * b.ramb36) return r;
  RomLogic m;
  m.ramb18 = b.ramb18, m.ramb36 = b.ramb36;
  return m;
}
}  // namespace

RomLogic rom_in_logic(const std::vector<rtlgen::RomWord>& words, int bits) {
  RomLogic r;
  const int depth = int(words.size());
  if (depth == 0) return r;
  const int addr_w = clog2(depth);
  const int per_col = rom_column_luts(depth);
  std::set<std::vector<bool>> seen;  // distinct columns (yosys merges equal LUTs and FFs)
  int live = 0;                      // non-constant columns (the memory yosys maps)
  for (size_t e = 0; e < words[0].size(); ++e)
    for (int b = 0; b < bits; ++b) {
      std::vector<bool> col(depth);
      for (int w = 0; w < depth; ++w) col[w] = (words[w][e] >> b) & 1;
      if (std::all_of(col.begin(), col.end(), [&](bool x) { return x == col[0]; })) continue;  // a constant
      ++live;
      if (!seen.insert(col).second) continue;
      ++r.ffs;
      // An address bit (or its complement) needs no LUT.
      bool addr_bit = false;
      for (int ab = 0; ab < addr_w && !addr_bit; ++ab) {
        bool same = true;
        for (int w = 0; w < depth && same; ++w) same = col[w] == bool((w >> ab) & 1);
        addr_bit = same;
      }
      if (!addr_bit) r.luts += per_col;
    }
  return in_logic_or_bram(r, live, depth);
}

RomLogic rom_in_logic_bound(int depth, int width) {
  // Without weights: every column distinct and not an address bit, as far
  // as `depth` words allow (2^depth columns exist, 2 of them constant).
  RomLogic r;
  if (depth <= 1) return r;
  const double distinct = depth < 20 ? std::pow(2.0, depth) - 2 - 2 * clog2(depth) : 1e9;
  const int cols = int(std::max(0.0, std::min<double>(width, distinct)));
  const int per_col = rom_column_luts(depth);
  r.luts = cols * per_col;
  r.ffs = cols;
  return in_logic_or_bram(r, width, depth);
}

SizingInput sizing_input(const arch::ArchConfig& a, const formats::Model* m, int layer) {
  SizingInput in;
  in.arch = a;
  const Dims d = dims(a);
  in.lstm_rom = {d.L * d.ent_w, d.lstm_depth};
  in.fc_rom = {d.F * d.ent_w, d.fc_depth};
  if (m) {
    // yosys drops ROM bit columns that are constant over all words.
    auto live_bits = [&](const std::vector<rtlgen::RomWord>& words, int ent) {
      if (words.empty()) return 0;
      int n = 0;
      const size_t per = words[0].size();
      for (size_t e = 0; e < per; ++e)
        for (int b = 0; b < ent; ++b) {
          const int first = (words[0][e] >> b) & 1;
          for (const auto& w : words)
            if (((w[e] >> b) & 1) != first) {
              ++n;
              break;
            }
        }
      return n;
    };
    in.lstm_rom.width = live_bits(rtlgen::lstm_rom(*m, a, layer), d.ent_w);
    in.fc_rom.width = live_bits(rtlgen::fc_rom(*m, a), d.ent_w);
    in.bias_logic = rom_in_logic(rtlgen::bias_rom(*m, a, layer), 16);
    std::vector<rtlgen::RomWord> fcb;
    for (int16_t b : m->b_fc) fcb.push_back(rtlgen::RomWord(1, b));
    in.fcb_logic = rom_in_logic(fcb, 16);
    if (a.has_cnn()) {
      in.conv_logic = rom_in_logic(rtlgen::conv_rom(*m, a), 16);
      in.conv_logic += rom_in_logic(rtlgen::convb_rom(*m, a), 16);
    }
    in.from_model = true;
  } else {
    // Without weights: only the structurally constant bits. The idx of the
    // e-th kept entry of a group (entries in column order) lies in
    // [e, c-k+e]; bits equal over that range never change.
    int const_bits = 0;
    for (int e = 0; e < d.K; ++e) {
      const int lo = e, hi = d.C - d.K + e;
      for (int b = 0; b < d.idx_w; ++b) {
        bool same = true;
        for (int v = lo; v <= hi; ++v) same = same && (((v >> b) & 1) == ((lo >> b) & 1));
        const_bits += same;
      }
    }
    in.lstm_rom.width -= const_bits * (d.L / d.K);
    in.fc_rom.width -= const_bits * (d.F / d.K);
    in.bias_logic = rom_in_logic_bound(d.beats, 4 * 16 * d.E);
    in.fcb_logic = rom_in_logic_bound(d.classes, 16);
    if (a.has_cnn()) {
      in.conv_logic = rom_in_logic_bound(a.derived("CONV_DEPTH"), 16 * a.conv_lanes);
      in.conv_logic += rom_in_logic_bound(a.derived("CONV_G"), 16 * a.conv_ch_per_beat());
    }
  }
  return in;
}

std::vector<BlockResources> estimate_blocks(const SizingInput& in) {
  std::vector<BlockResources> out;
  for (const auto& b : block_models()) {
    // S-P-X or the CNN front end, as the config builds (rtl/lstm_layer.v).
    const std::string n = b.name;
    const bool front = n == "conv1d" || n == "relu" || n == "maxpool";
    if (in.arch.has_cnn() ? n == "spx" : front) continue;
    out.push_back({b.name, b.estimate(in)});
  }
  return out;
}

std::vector<BlockResources> estimate_config(const arch::ArchConfig& a, const formats::Model* m) {
  if (a.num_layers() == 1) return estimate_blocks(sizing_input(a, m));
  std::vector<BlockResources> out;
  const int L = a.num_layers();
  for (int l = 0; l < L; ++l) {
    SizingInput in = sizing_input(a.layer(l), m, l);
    in.with_fc = l + 1 == L;
    for (const BlockResources& b : estimate_blocks(in)) {
      const bool front = b.block == "conv1d" || b.block == "relu" || b.block == "maxpool";
      const bool tail = b.block == "fc" || b.block == "argmax";
      if (front) out.push_back(b);  // only layer 1's view has a CNN front end
      else if (tail && in.with_fc) out.push_back(b);
      else if (!tail) out.push_back({"l" + std::to_string(l + 1) + "." + b.block, b.r});
    }
  }
  return out;  // pipeline order: front end (layer 1's view), the layers, FC and arg-max (the last's)
}

Resources estimate_total(const SizingInput& in) {
  Resources t;
  for (const auto& b : estimate_blocks(in)) t += b.r;
  return t;
}

// ---- devices (vendor product tables; DSP48E1/E2, RAMB36 tiles) ----
const std::vector<Device>& devices() {
  static const std::vector<Device> table = {
      {"xc7z010", "Zynq-7000", "Zybo Z7-10", 17600, 35200, 80, 60},
      {"xc7z020", "Zynq-7000", "ZedBoard, PYNQ-Z2", 53200, 106400, 220, 140},
      {"xc7z045", "Zynq-7000", "ZC706", 218600, 437200, 900, 545},
      {"xc7a35t", "Artix-7", "Arty A7-35", 20800, 41600, 90, 50},
      {"xc7a100t", "Artix-7", "Arty A7-100, Nexys A7", 63400, 126800, 240, 135},
      {"xcku060", "Kintex UltraScale", "KCU105-class", 331680, 663360, 2760, 1080},
      {"xczu9eg", "Zynq UltraScale+", "ZCU102", 274080, 548160, 2520, 912},
  };
  return table;
}

const Device& find_device(const std::string& name) {
  std::string lower;
  for (char ch : name) lower += char(std::tolower(static_cast<unsigned char>(ch)));
  for (const auto& d : devices())
    if (d.name == lower) return d;
  std::string known;
  for (const auto& d : devices()) known += (known.empty() ? "" : ", ") + d.name;
  throw formats::InputError("--device " + name + ": unknown device (known: " + known + ")");
}

Fit fit(const Resources& r, const Device& d) {
  Fit f;
  f.util_lut = r.lut / d.lut, f.util_ff = r.ff / d.ff, f.util_dsp = double(r.dsp) / d.dsp;
  f.util_bram = r.bram36() / d.bram36;
  auto over = [&](const char* what, double need, double have) {
    if (need <= have) return;
    f.fits = false;
    char b[160];
    std::snprintf(b, sizeof b, "%s%s %.10g > %.10g (+%.10g, %.1f%%)", f.overflow.empty() ? "" : "; ", what, need, have,
                  need - have, 100.0 * need / have);
    f.overflow += b;
  };
  over("DSP", r.dsp, d.dsp);
  over("BRAM36", r.bram36(), d.bram36);
  over("LUT", std::round(r.lut), d.lut);
  over("FF", std::round(r.ff), d.ff);
  return f;
}

}  // namespace lstm::sizing
