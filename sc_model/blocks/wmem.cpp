#include "wmem.hpp"

#include "formats/error.hpp"
#include "rtlgen/rom_layout.hpp"

namespace accel {

wmem::wmem(sc_core::sc_module_name name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a)
    : sc_module(name), arch_(a), lstm_(to_words(lstm::rtlgen::lstm_rom(m, a))),
      bias_(to_words(lstm::rtlgen::bias_rom(m, a))) {
  // A layer below the last (stream_h) has no FC ROM: FC reads the last layer.
  if (!a.stream_h) {
    fc_ = to_words(lstm::rtlgen::fc_rom(m, a));
    fcb_.assign(m.b_fc.begin(), m.b_fc.end());
  }
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void wmem::load(const lstm::formats::Model& m) {
  lstm::arch::check_arch_matches_model(arch_, m, name());
  auto fits = [&](const lstm::formats::SparseMatrix& s, int rows, int cols) {
    const size_t n = size_t(rows) * (cols / m.c) * m.k;
    return s.rows == rows && s.cols == cols && s.c == m.c && s.k == m.k && s.code.size() == n && s.idx.size() == n;
  };
  const lstm::formats::LstmLayer& L = m.layers[0];
  bool ok = arch_.stream_h || (fits(m.W_fc, m.classes, L.H) && m.b_fc.size() == size_t(m.classes));
  for (int g = 0; g < lstm::formats::kGates; ++g)
    ok = ok && fits(L.W[g], L.H, m.lstm_in()) && fits(L.U[g], L.H, L.H) && L.b[g].size() == size_t(L.H);
  if (!ok) throw lstm::formats::InputError(std::string(name()) + ": model arrays do not have the model's dimensions");
  lstm_ = to_words(lstm::rtlgen::lstm_rom(m, arch_));
  bias_ = to_words(lstm::rtlgen::bias_rom(m, arch_));
  if (!arch_.stream_h) {
    fc_ = to_words(lstm::rtlgen::fc_rom(m, arch_));
    fcb_.assign(m.b_fc.begin(), m.b_fc.end());
  }
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
