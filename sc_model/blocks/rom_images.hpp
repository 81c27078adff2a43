// ROM images of the weight memories in the RTL's $readmemh format, and the
// RTL parameters of an architecture config: what `lstmsim rtl-gen` writes
// for rtl/wmem.v and the Verilator / yosys runs.
#pragma once

#include <string>

#include "lstm/arch.hpp"
#include "lstm/model.hpp"

namespace accel {

// Writes lstm_rom.mem, bias_rom.mem, fc_rom.mem, fcb_rom.mem into `dir`
// (created if needed). One ROM word per line, element i of the word at bits
// [i*W +: W], hex, most significant digit first.
void write_rom_images(const lstm::Model& m, const lstm::ArchConfig& a, const std::string& dir);

// "-GI=28 -GH=28 ..." for Verilator (one per line when `lines`).
std::string verilator_params(const lstm::ArchConfig& a, bool lines = false);

}  // namespace accel
