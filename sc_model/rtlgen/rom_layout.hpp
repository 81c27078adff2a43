// Weight-memory layout: the ROM words of the banked weight memories for a
// model and config (docs/architecture.md, "Weight memories"), used by the
// SystemC wmem, the RTL ROM images and the tests. Pure C++.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "arch/derived.hpp"
#include "formats/model.hpp"

namespace lstm::rtlgen {

using RomWord = std::vector<int32_t>;

// LSTM ROM: B*(Wc+Uc) words of L entries ((idx << 4) | code). W words first.
std::vector<RomWord> lstm_rom(const formats::Model& m, const arch::ArchConfig& a, int layer = 0);
// Bias ROM: H/E words of 4E biases, index r*4 + g.
std::vector<RomWord> bias_rom(const formats::Model& m, const arch::ArchConfig& a, int layer = 0);
// FC ROM: classes*Fb words of fc_lanes entries.
std::vector<RomWord> fc_rom(const formats::Model& m, const arch::ArchConfig& a);
// Conv1d weight ROM (CNN front end): G*J words of conv_lanes Q2.13 weights,
// word g*J + j, lane l: channel o = g*Pc + l / Lc, tap q = j*Lc + l % Lc,
// kk = q / cnn_in, ci = q % cnn_in (docs/architecture.md, "Conv1d").
std::vector<RomWord> conv_rom(const formats::Model& m, const arch::ArchConfig& a);
// Conv1d bias ROM: G words of Pc biases.
std::vector<RomWord> convb_rom(const formats::Model& m, const arch::ArchConfig& a);
// The tap of lane l in beat j: {kk, ci}.
struct ConvTap {
  int p, kk, ci;
};
inline ConvTap conv_tap(const arch::ArchConfig& a, int j, int l) {
  const int Lc = a.conv_lanes_per_ch(), q = j * Lc + l % Lc;
  return {l / Lc, q / a.cnn_in, q % a.cnn_in};
}

// Writes lstm_rom.mem, bias_rom.mem, fc_rom.mem, fcb_rom.mem into `dir`
// (and conv_rom.mem, convb_rom.mem with a CNN front end)
// (created if needed) for rtl/wmem.v: one ROM word per line, element i at
// bits [i*W +: W], hex, most significant digit first.
void write_rom_images(const formats::Model& m, const arch::ArchConfig& a, const std::string& dir);


}  // namespace lstm::rtlgen
