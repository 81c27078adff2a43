#include "rom_images.hpp"

#include <filesystem>
#include <fstream>

#include "lstm/error.hpp"
#include "wmem.hpp"

namespace accel {

namespace {

// Hex of a packed word: element i at [i*w +: w], two's complement.
std::string pack_hex(const Words& v, int w) {
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

void write_rom(const std::string& path, const std::vector<Words>& rom, int w) {
  std::ofstream f(path);
  if (!f) throw lstm::file_error(path, 0, "cannot write ROM image");
  for (const Words& word : rom) f << pack_hex(word, w) << "\n";
}

}  // namespace

void write_rom_images(const lstm::Model& m, const lstm::ArchConfig& a, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const int ew = lstm::idx_bits(a.c) + 4;
  write_rom(dir + "/lstm_rom.mem", wmem::lstm_rom(m, a), ew);
  write_rom(dir + "/bias_rom.mem", wmem::bias_rom(m, a), 16);
  write_rom(dir + "/fc_rom.mem", wmem::fc_rom(m, a), ew);
  std::vector<Words> fcb;
  for (int16_t b : m.b_fc) fcb.push_back(Words(1, b));
  write_rom(dir + "/fcb_rom.mem", fcb, 16);
}

std::string verilator_params(const lstm::ArchConfig& a, bool lines) {
  const std::pair<const char*, int> ps[] = {
      {"I", a.I},           {"H", a.H},           {"T", a.T},
      {"CLASSES", a.classes}, {"C", a.c},         {"K", a.k},
      {"LANES", a.mvm_lanes}, {"GROUPS", a.mvm_groups}, {"EWU_LANES", a.ewu_lanes},
      {"FC_LANES", a.fc_lanes}, {"PIX_PER_BEAT", a.pixels_per_beat}, {"SPX_BUFFERS", a.spx_buffers}};
  std::string s;
  for (const auto& [name, v] : ps) s += std::string(s.empty() ? "" : (lines ? "\n" : " ")) + "-G" + name + "=" + std::to_string(v);
  return s + (lines ? "\n" : "");
}

}  // namespace accel
