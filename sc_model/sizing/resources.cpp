#include "sizing/resources.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

// LUTs of an n:1 multiplexer of one bit: a LUT6 is a 4:1 mux and MUXF7/MUXF8
// join four of them for free; wider muxes need a second LUT level.
int mux_luts(int n) { return n <= 1 ? 0 : ceil_div(n, 4) + (n > 16 ? ceil_div(n, 16) : 0); }

// LUTs of a distributed RAM (one write, one read port) of depth x width as
// yosys maps it: RAM32M = 4 LUTs holding 32 x 6 (simple dual port) or, with
// read and write on one address, 32 x 8; RAM64M = 64 x 3.
int lutram_luts(int depth, int width, bool single_port) {
  if (depth <= 32) return 4 * ceil_div(width, single_port ? 8 : 6) * ceil_div(depth, 32);
  return 4 * ceil_div(width, 3) * ceil_div(depth, 64);
}

// The block dimensions the estimates use; the derived ones from the rules
// (arch/derived.hpp), as the RTL elaborates them.
struct Dims {
  int I, H, T, C, K, classes, L, G, R, B, Wc, Uc, E, S, F, Gf, Fb, P, NB, X;
  int idx_w, ent_w, acc_w, beat_w, tw, bw, jw, nb_w, nb_fw, spx_xw, lstm_depth, fc_depth;
};
Dims dims(const arch::ArchConfig& a) {
  auto g = [&a](const char* n) { return a.derived(n); };
  Dims d{};
  d.I = a.I, d.H = a.H, d.T = a.T, d.C = a.c, d.K = a.k, d.classes = a.classes;
  d.L = a.mvm_lanes, d.G = a.mvm_groups, d.R = g("R"), d.B = g("B");
  d.Wc = g("WC"), d.Uc = g("UC"), d.E = a.ewu_lanes, d.S = g("S");
  d.F = a.fc_lanes, d.Gf = g("FC_GF"), d.Fb = g("FC_FB");
  d.P = a.pixels_per_beat, d.NB = a.spx_buffers, d.X = g("SPX_X");
  d.idx_w = g("IDX_W"), d.ent_w = g("ENT_W"), d.acc_w = g("ACC_W"), d.beat_w = g("BEAT_W");
  d.tw = g("TW"), d.bw = g("BW"), d.jw = g("JW"), d.nb_w = g("NB_W"), d.nb_fw = g("NB_FW"), d.spx_xw = g("SPX_XW");
  d.lstm_depth = g("LSTM_DEPTH"), d.fc_depth = g("FC_DEPTH");
  return d;
}

// ---- the blocks ----
// LUT coefficients: least squares over the per-module yosys results of the
// validation configs (scripts/fit_resources.py tb/synth/configs SYNTH_DIR);
// FF, DSP and BRAM counts are structural (registers and primitives the RTL
// declares). Units: LUTs per feature unit named in the estimate.
constexpr double kSpxRow = 1.005, kSpxEnable = 1.659;
constexpr double kKmuxLane = 47.55, kKmuxStage1 = 1.752;
constexpr double kMvmLane = 117.3, kMvmRowBit = 3.205;
constexpr double kEwuLane = 326.5, kEwuSubBeat = 1.068;
constexpr double kFifoBit = 0.7426, kFifoCtl = 41.71;
constexpr double kSphBit = 3.07, kSphBeat = 2.058;
constexpr double kFcSelect = 0.8123, kFcLogit = 0.2034;

Resources est_spx(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  // NB row buffers + the output row, I bytes each; head/tail/full/position counters.
  r.ff = 8.0 * d.I * (d.NB + 1) + 2 * d.nb_w + d.nb_fw + d.spx_xw + 2;
  // Output row = NB:1 mux per bit; a write enable per (buffer, beat position).
  // NB = 2: buffer, buffer, bypass pixel and 3 selects fit one LUT6 per bit;
  // NB = 3 (synthesized) costs ~3 per bit; larger NB extrapolated linearly.
  r.lut = kSpxRow * 8 * d.I * (d.NB <= 2 ? 1 : d.NB) + kSpxEnable * d.NB * d.X;
  return r;
}

Resources est_controller(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  r.ff = d.tw + 1 + d.bw + d.jw;  // t, phase, b, j
  r.lut = 2.0 * r.ff + 2;  // the counters' increment and wrap compares
  return r;
}

Resources est_wmem(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r = bram_for_rom(in.lstm_rom.width, in.lstm_rom.depth);
  if (in.with_fc) r += bram_for_rom(in.fc_rom.width, in.fc_rom.depth);
  // Bias and FC-bias ROMs in logic: one LUT (and one output FF) per distinct
  // column function of the address, at most one per bit.
  const int bias_depth = d.H / d.E;
  const double bias_cols = std::min(64.0 * d.E, bias_depth < 30 ? std::pow(2.0, bias_depth) : 1e9);
  const double fcb_cols = in.with_fc ? std::min(16.0, d.classes < 30 ? std::pow(2.0, d.classes) : 1e9) : 0.0;
  r.lut += bias_cols + fcb_cols;
  r.ff += bias_cols + fcb_cols;
  return r;
}

Resources est_kmux(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  // Stage 1: tag and the G*c operands; stage 2: per lane a 16-bit operand and 4-bit code.
  r.ff = d.beat_w + 16.0 * d.G * d.C + 20.0 * d.L + d.beat_w + 2;
  // Per lane a c:1 mux of 16 bits (the kept entry's column); stage 1 picks
  // the G*c operands of beat j from x (Wc groups) or h (Uc groups).
  r.lut = kKmuxLane * d.L + kKmuxStage1 * d.G * d.C * 16 * mux_luts(d.Wc + d.Uc);
  return r;
}

Resources est_mvm(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  // Per gate row (4R): accumulator and output register; the beat tag.
  r.ff = 8.0 * d.R * d.acc_w + d.beat_w + 1;
  // Per lane: sign-magnitude, barrel shift by 0..7, conditional negate and
  // its adder-tree share; per gate row: accumulate and + W-partial; the
  // W-partial buffer (B words per row) in distributed RAM.
  r.lut = kMvmLane * d.L + kMvmRowBit * 4 * d.R * d.acc_w + 4.0 * d.R * lutram_luts(d.B, d.acc_w, true);
  return r;
}

Resources est_ewu(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  r.dsp = 3 * d.E;  // f*c, i*g, o*numerics::ptanh(c) per lane, each fits one DSP48E1
  // Input block (4R sums) + per lane: stage B sums and c_{t-1}, stage C c and o, stage D h.
  r.ff = 4.0 * d.R * d.acc_w + d.E * (4.0 * d.acc_w + 16 + 16 + 14 + 16) + 20;
  // Per lane: bias add + saturation x4, hsig/ptanh x4, c update; the S:1
  // sub-beat select of the held block.
  r.lut = kEwuLane * d.E + kEwuSubBeat * 4 * d.E * d.acc_w * mux_luts(d.S);
  return r;
}

Resources est_fifo_c(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  const int depth = d.H / d.E, width = 16 * d.E;
  r.ff = width + 2 * clog2(depth) + clog2(depth + 1) + 1;  // registered head, pointers, count
  r.lut = lutram_luts(depth, width, false) + kFifoBit * width + kFifoCtl;
  return r;
}

Resources est_sph(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  r.ff = 48.0 * d.H + 9;  // two banks + vec_o, control
  r.lut = kSphBit * 16 * d.H + kSphBeat * (d.H / d.E);
  return r;
}

Resources est_fc(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  r.dsp = d.F;  // one q x h product per lane
  // h_T, logits, per-lane accumulators and control.
  r.ff = 16.0 * d.H + 32.0 * d.classes + 360;  // + accumulators, products, address (synthesized: 336..366)
  // Operand select: F lanes x 16 bits, each from Fb*c columns: always 16*H*k
  // inputs, clog2(Fb*c) levels deep; the logit registers' writes.
  r.lut = kFcSelect * 16 * d.H * clog2(d.Fb * d.C) + kFcLogit * 32 * d.classes;
  return r;
}

Resources est_argmax(const SizingInput& in) {
  const Dims d = dims(in.arch);
  Resources r;
  r.ff = 64.0 * d.classes + 32 + 15;  // logits in and out, running max, index, counter
  r.lut = 26.4 * d.classes;           // logit select + 32-bit compare, per class
  return r;
}

// ---- CNN front end (docs/sizing.md, "CNN front end") ----
// LUT coefficients fitted to yosys on cnn_default and cnn_small (the ROM
// term is 1 LUT per bit per 64 words by construction; docs/sizing.md has the
// check on cnn_fast); DSP and FF counts are structural.
constexpr double kConvTap = 0.726, kConvAddBit = 1.518, kConvRomBit = 1.0;

Resources est_conv1d(const SizingInput& in) {
  const arch::ArchConfig& a = in.arch;
  Resources r;
  if (!a.has_cnn()) return r;
  const int L = a.conv_lanes, Pc = a.derived("CONV_PC"), Lc = a.derived("CONV_LC"), J = a.derived("CONV_J");
  const int CI = a.cnn_in, depth = a.derived("CONV_DEPTH"), acc_w = a.derived("CONV_AW");
  r.dsp = L;  // one 16 x 16 product per lane (MREG in the DSP)
  // Line buffer (4 rows of CI pixels), stage 1 taps and ROM words, the
  // accumulators and output register, counters.
  // With several channels per beat (Pc > 1) yosys packs each channel's
  // operand registers and adder chain into the DSP48s (A/B/M registers, the
  // PCIN cascade): seen on cnn_fast, docs/sizing.md.
  const bool cascaded = Pc > 1;
  r.ff = 4.0 * 8 * CI + (cascaded ? 0.0 : 32.0 * L) + 16.0 * Pc + Pc * (acc_w + 16) + 3 * a.derived("CONV_DW") +
         2 * a.derived("CONV_TW") + 16;
  // Per lane an 8-bit tap select: over the 4 row slots when the lane's
  // column is fixed (J = 1), over the whole line buffer (4 * cnn_in pixels)
  // when it moves with the beat (J > 1: yosys keeps the general index); the
  // adder tree of Lc products per channel; the weight ROM in LUTs (yosys
  // keeps these shallow ROMs in logic: one LUT6 per bit per 64 words).
  r.lut = kConvTap * 8.0 * L * mux_luts(J == 1 ? 4 : 4 * CI) + (cascaded ? 0.0 : kConvAddBit * Pc * (Lc - 1) * acc_w) +
          kConvRomBit * 16.0 * (L + Pc) * ceil_div(depth, 64);
  return r;
}

Resources est_relu(const SizingInput& in) {
  Resources r;
  if (!in.arch.has_cnn()) return r;
  const int Pc = in.arch.conv_ch_per_beat();
  r.ff = 16.0 * Pc + 1;
  r.lut = 16.0 * Pc + 2;  // max(0, v): a sign-gated AND per bit
  return r;
}

Resources est_maxpool(const SizingInput& in) {
  const arch::ArchConfig& a = in.arch;
  Resources r;
  if (!a.has_cnn()) return r;
  const int NB = a.spx_buffers, G = a.derived("POOL_G");
  // Even-step row, NB row buffers; head/full/group/parity counters.
  r.ff = 16.0 * a.I * (NB + 1) + 2 * a.derived("NB_W") + a.derived("NB_FW") + a.derived("POOL_GW") + 4;
  // Per word: the 16-bit compare and select, the output NB:1 mux.
  r.lut = 16.0 * a.I * (1.0 + mux_luts(NB)) + 2.0 * NB * G;
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
  // Widest simple-dual-port shape that holds `depth` words, per primitive.
  auto shape = [](int depth, int max_w, int max_d) {  // returns {width, depth} per tile
    int w = max_w, dd = max_d;
    while (dd < depth && w > 1) {
      w = w == 72 ? 36 : w == 36 ? 18 : w == 18 ? 9 : w == 9 ? 4 : w / 2;
      dd *= 2;
    }
    return std::make_pair(w, dd);
  };
  const auto s36 = shape(depth, 72, 512), s18 = shape(depth, 36, 512);
  // One primitive type per memory, the cheaper cover by yosys' costs
  // (RAMB36 257, RAMB18 129; a tie goes to RAMB18).
  const long n36 = long(ceil_div(width, s36.first)) * ceil_div(depth, s36.second);
  const long n18 = long(ceil_div(width, s18.first)) * ceil_div(depth, s18.second);
  if (n36 * 257 < n18 * 129) r.ramb36 = int(n36);
  else r.ramb18 = int(n18);
  return r;
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
