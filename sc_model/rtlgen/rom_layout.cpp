#include "rtlgen/rom_layout.hpp"

#include <filesystem>
#include <fstream>

#include "formats/error.hpp"

namespace lstm::rtlgen {

namespace {
int32_t entry(const formats::SparseMatrix& s, int row, int e) {
  const size_t at = s.at(row, e);
  return (int32_t(s.idx[at]) << 4) | s.code[at];
}
}  // namespace

std::vector<RomWord> lstm_rom(const formats::Model& m, const arch::ArchConfig& a, int layer) {
  const int R = a.rows_per_block(), B = a.blocks(), G = a.mvm_groups, k = a.k;
  const int L = a.mvm_lanes;
  std::vector<RomWord> rom;
  for (int phase = 0; phase < 2; ++phase) {  // 0: W words, 1: U words
    const int beats = phase == 0 ? a.w_beats() : a.u_beats();
    for (int b = 0; b < B; ++b)
      for (int j = 0; j < beats; ++j) {
        RomWord w(L);
        for (int r = 0; r < R; ++r)
          for (int g = 0; g < formats::kGates; ++g)
            for (int gg = 0; gg < G; ++gg)
              for (int e = 0; e < k; ++e) {
                const formats::SparseMatrix& s = phase == 0 ? m.layers[layer].W[g] : m.layers[layer].U[g];
                w[((r * formats::kGates + g) * G + gg) * k + e] = entry(s, b * R + r, (j * G + gg) * k + e);
              }
        rom.push_back(std::move(w));
      }
  }
  return rom;
}

std::vector<RomWord> bias_rom(const formats::Model& m, const arch::ArchConfig& a, int layer) {
  const int E = a.ewu_lanes;
  std::vector<RomWord> rom;
  for (int q = 0; q < a.derived("EWU_BEATS"); ++q) {
    RomWord w(formats::kGates * E);
    for (int r = 0; r < E; ++r)
      for (int g = 0; g < formats::kGates; ++g) w[r * formats::kGates + g] = m.layers[layer].b[g][q * E + r];
    rom.push_back(std::move(w));
  }
  return rom;
}

std::vector<RomWord> fc_rom(const formats::Model& m, const arch::ArchConfig& a) {
  const int Gf = a.fc_groups(), k = a.k, Fb = a.fc_beats_per_row();
  std::vector<RomWord> rom;
  for (int row = 0; row < a.classes; ++row)
    for (int j = 0; j < Fb; ++j) {
      RomWord w(Gf * k);
      for (int gg = 0; gg < Gf; ++gg)
        for (int e = 0; e < k; ++e) w[gg * k + e] = entry(m.W_fc, row, (j * Gf + gg) * k + e);
      rom.push_back(std::move(w));
    }
  return rom;
}

std::vector<RomWord> conv_rom(const formats::Model& m, const arch::ArchConfig& a) {
  const int G = a.conv_groups(), J = a.conv_beats_per_ch(), L = a.conv_lanes, Pc = a.conv_ch_per_beat();
  std::vector<RomWord> rom;
  for (int g = 0; g < G; ++g)
    for (int j = 0; j < J; ++j) {
      RomWord w(L);
      for (int l = 0; l < L; ++l) {
        const ConvTap tp = conv_tap(a, j, l);
        const int o = g * Pc + tp.p;
        w[l] = m.conv_w[(size_t(o) * m.I + tp.ci) * m.conv_kernel + tp.kk];
      }
      rom.push_back(std::move(w));
    }
  return rom;
}

std::vector<RomWord> convb_rom(const formats::Model& m, const arch::ArchConfig& a) {
  const int Pc = a.conv_ch_per_beat();
  std::vector<RomWord> rom;
  for (int g = 0; g < a.conv_groups(); ++g) {
    RomWord w(Pc);
    for (int p = 0; p < Pc; ++p) w[p] = m.conv_b[g * Pc + p];
    rom.push_back(std::move(w));
  }
  return rom;
}

namespace {

// Hex of a packed word: element i at [i*w +: w], two's complement.
std::string pack_hex(const RomWord& v, int w) {
  const int bits = static_cast<int>(v.size()) * w;
  const int digits = (bits + 3) / 4;
  std::string s(digits, '0');
  for (int d = 0; d < digits; ++d) {
    int nib = 0;
    for (int b = 0; b < 4; ++b) {
      const int bit = d * 4 + b;
      if (bit >= bits) break;
      const int elem = bit / w, k = bit % w;
      if ((static_cast<uint32_t>(v[elem]) >> k) & 1) nib |= 1 << b;
    }
    s[digits - 1 - d] = "0123456789abcdef"[nib];
  }
  return s;
}

void write_rom(const std::string& path, const std::vector<RomWord>& rom, int w) {
  std::ofstream f(path);
  if (!f) throw formats::file_error(path, 0, "cannot write ROM image");
  for (const RomWord& word : rom) f << pack_hex(word, w) << "\n";
}

}  // namespace

void write_rom_images(const formats::Model& m, const arch::ArchConfig& a, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const int ew = formats::idx_bits(a.c) + 4;
  // Each layer's LSTM and bias ROMs: in dir for one layer, in dir/l<n> for
  // layer n of a stack (rtl/lstm_stack.v); the FC's with the last layer, the
  // Conv1d's in dir.
  const int L = a.num_layers();
  for (int l = 0; l < L; ++l) {
    const arch::ArchConfig v = a.layer(l);
    const std::string sub = L > 1 ? dir + "/l" + std::to_string(l + 1) : dir;
    std::filesystem::create_directories(sub);
    write_rom(sub + "/lstm_rom.mem", lstm_rom(m, v, l), ew);
    write_rom(sub + "/bias_rom.mem", bias_rom(m, v, l), 16);
    if (l + 1 < L) continue;
    write_rom(sub + "/fc_rom.mem", fc_rom(m, v), ew);
    std::vector<RomWord> fcb;
    for (int16_t b : m.b_fc) fcb.push_back(RomWord(1, b));
    write_rom(sub + "/fcb_rom.mem", fcb, 16);
  }
  if (a.has_cnn()) {
    write_rom(dir + "/conv_rom.mem", conv_rom(m, a), 16);
    write_rom(dir + "/convb_rom.mem", convb_rom(m, a), 16);
  }
}

}  // namespace lstm::rtlgen
