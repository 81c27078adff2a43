#include "wmem.hpp"

#include "lstm/error.hpp"

namespace accel {

using lstm::kGates;

namespace {
int32_t entry(const lstm::SparseMatrix& s, int row, int e) {
  const size_t at = s.at(row, e);
  return (int32_t(s.idx[at]) << 4) | s.code[at];
}
}  // namespace

std::vector<Words> wmem::lstm_rom(const lstm::Model& m, const lstm::ArchConfig& a) {
  const int R = a.rows_per_block(), B = a.blocks(), G = a.mvm_groups, k = a.k;
  const int L = a.mvm_lanes;
  std::vector<Words> rom;
  for (int phase = 0; phase < 2; ++phase) {
    const int beats = phase == kPhaseW ? a.w_beats() : a.u_beats();
    for (int b = 0; b < B; ++b)
      for (int j = 0; j < beats; ++j) {
        Words w(L);
        for (int r = 0; r < R; ++r)
          for (int g = 0; g < kGates; ++g)
            for (int gg = 0; gg < G; ++gg)
              for (int e = 0; e < k; ++e) {
                const lstm::SparseMatrix& s = phase == kPhaseW ? m.W[g] : m.U[g];
                w[((r * kGates + g) * G + gg) * k + e] = entry(s, b * R + r, (j * G + gg) * k + e);
              }
        rom.push_back(std::move(w));
      }
  }
  return rom;
}

std::vector<Words> wmem::bias_rom(const lstm::Model& m, const lstm::ArchConfig& a) {
  const int E = a.ewu_lanes;
  std::vector<Words> rom;
  for (int q = 0; q < a.H / E; ++q) {
    Words w(kGates * E);
    for (int r = 0; r < E; ++r)
      for (int g = 0; g < kGates; ++g) w[r * kGates + g] = m.b[g][q * E + r];
    rom.push_back(std::move(w));
  }
  return rom;
}

std::vector<Words> wmem::fc_rom(const lstm::Model& m, const lstm::ArchConfig& a) {
  const int Gf = a.fc_groups(), k = a.k, Fb = a.fc_beats_per_row();
  std::vector<Words> rom;
  for (int row = 0; row < a.classes; ++row)
    for (int j = 0; j < Fb; ++j) {
      Words w(Gf * k);
      for (int gg = 0; gg < Gf; ++gg)
        for (int e = 0; e < k; ++e) w[gg * k + e] = entry(m.W_fc, row, (j * Gf + gg) * k + e);
      rom.push_back(std::move(w));
    }
  return rom;
}

wmem::wmem(sc_core::sc_module_name name, const lstm::Model& m, const lstm::ArchConfig& a)
    : sc_module(name), arch_(a), lstm_(lstm_rom(m, a)), bias_(bias_rom(m, a)), fc_(fc_rom(m, a)) {
  for (int16_t b : m.b_fc) fcb_.push_back(b);
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void wmem::load(const lstm::Model& m) {
  if (m.has_cnn()) throw lstm::InputError(std::string(name()) + ": cannot load a cnn-lstm model");
  lstm::check_arch_matches_model(arch_, m, name());
  auto fits = [&](const lstm::SparseMatrix& s, int rows, int cols) {
    const size_t n = size_t(rows) * (cols / m.c) * m.k;
    return s.rows == rows && s.cols == cols && s.c == m.c && s.k == m.k && s.code.size() == n && s.idx.size() == n;
  };
  bool ok = fits(m.W_fc, m.classes, m.H) && m.b_fc.size() == size_t(m.classes);
  for (int g = 0; g < kGates; ++g)
    ok = ok && fits(m.W[g], m.H, m.I) && fits(m.U[g], m.H, m.H) && m.b[g].size() == size_t(m.H);
  if (!ok) throw lstm::InputError(std::string(name()) + ": model arrays do not have the model's dimensions");
  lstm_ = lstm_rom(m, arch_);
  bias_ = bias_rom(m, arch_);
  fc_ = fc_rom(m, arch_);
  fcb_.assign(m.b_fc.begin(), m.b_fc.end());
}

void wmem::tick() {
  // An address outside the ROM is a design error upstream, not user input.
  auto rd = [this](const std::vector<Words>& rom, int addr, const char* port) -> const Words& {
    if (addr < 0 || addr >= static_cast<int>(rom.size()))
      SC_REPORT_FATAL(name(), (std::string(port) + " address out of range: " + std::to_string(addr)).c_str());
    return rom[static_cast<size_t>(addr)];
  };
  if (lstm_en_i.read()) lstm_data_o.write(rd(lstm_, lstm_addr_i.read(), "lstm"));
  if (bias_en_i.read()) bias_data_o.write(rd(bias_, bias_addr_i.read(), "bias"));
  if (fc_en_i.read()) {
    fc_data_o.write(rd(fc_, fc_addr_i.read(), "fc"));
    const int row = fc_row_i.read();
    if (row < 0 || row >= static_cast<int>(fcb_.size())) SC_REPORT_FATAL(name(), "fc row out of range");
    fcb_data_o.write(fcb_[static_cast<size_t>(row)]);
  }
}

}  // namespace accel
