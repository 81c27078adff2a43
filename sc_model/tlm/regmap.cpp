#include "regmap.hpp"

#include <algorithm>
#include <stdexcept>

#include "formats/error.hpp"

namespace accel::regs {

const char* err_name(uint32_t code) {
  switch (code) {
    case kErrNone: return "none";
    case kErrBusy: return "busy";
    case kErrValue: return "value";
    case kErrWeights: return "weights";
    case kErrTimeout: return "timeout";
    default: return "unknown";
  }
}

std::string window_name(int n) {
  if (n == kWinImage) return "IMAGE";
  if (n >= kWinW && n < kWinU) return std::string("W_") + lstm::formats::kGateNames[n - kWinW];
  if (n >= kWinU && n < kWinB) return std::string("U_") + lstm::formats::kGateNames[n - kWinU];
  if (n >= kWinB && n < kWinWfc) return std::string("b_") + lstm::formats::kGateNames[n - kWinB];
  if (n == kWinWfc) return "W_fc";
  if (n == kWinBfc) return "b_fc";
  if (n == kWinConvW) return "conv_w";
  if (n == kWinConvB) return "conv_b";
  return "?";
}

std::string address_name(uint64_t addr, uint32_t stride) {
  static const char* const kRegs[] = {"ID",     "VERSION",      "CTRL",       "STATUS",  "ERR_CODE", "ERR_ADDR",
                                      "CYCLES", "RESULT_CLASS", "INFERENCES", "COMMITS", "TIMEOUT"};
  static const char* const kCfg[] = {"CFG_I",         "CFG_H",           "CFG_T",         "CFG_CLASSES",
                                     "CFG_C",         "CFG_K",           "CFG_MVM_LANES", "CFG_MVM_GROUPS",
                                     "CFG_EWU_LANES", "CFG_FC_LANES",    "CFG_PIXELS_PER_BEAT",
                                     "CFG_SPX_BUFFERS", "CFG_CLOCK_KHZ", "CFG_IDX_BITS",  "CFG_WIN_COUNT",
                                     "CFG_WIN_STRIDE", "CFG_CNN_IN",    "CFG_CONV_LANES", "CFG_IMAGE_ROWS",
                                     "CFG_IMAGE_COLS"};
  static_assert(sizeof kCfg / sizeof kCfg[0] == (CFG_LAST - CFG_FIRST) / 4 + 1, "one name per CFG register");
  if (addr % 4) return "?";
  if (stride && addr >= stride) {
    const uint64_t n = addr / stride - 1;
    if (n >= uint64_t(kWindows)) return "?";
    return window_name(int(n)) + "[" + std::to_string((addr % stride) / 4) + "]";
  }
  if (addr <= TIMEOUT) return kRegs[addr / 4];
  if (addr >= CFG_FIRST && addr <= CFG_LAST) return kCfg[(addr - CFG_FIRST) / 4];
  if (addr >= WIN_TABLE && addr < WIN_TABLE + 8u * kWindows) {
    const int n = int((addr - WIN_TABLE) / 8);
    return std::string((addr - WIN_TABLE) % 8 ? "WIN_BYTES" : "WIN_BASE") + "[" + std::to_string(n) + "]";
  }
  if (addr >= LOGITS && addr < stride) return "LOGITS[" + std::to_string((addr - LOGITS) / 4) + "]";
  return "?";
}

Layout layout(const lstm::arch::ArchConfig& a) {
  Layout l;
  const uint64_t per_row_w = uint64_t(a.I / a.c) * a.k, per_row_u = uint64_t(a.H / a.c) * a.k;
  uint64_t e[kWindows];
  e[kWinImage] = (uint64_t(a.image_rows()) * a.image_cols() + 3) / 4;
  for (int g = 0; g < lstm::formats::kGates; ++g) {
    e[kWinW + g] = uint64_t(a.H) * per_row_w;
    e[kWinU + g] = uint64_t(a.H) * per_row_u;
    e[kWinB + g] = uint64_t(a.H);
  }
  e[kWinWfc] = uint64_t(a.classes) * per_row_u;
  e[kWinBfc] = uint64_t(a.classes);
  // Conv1d: I output channels x cnn_in inputs x 3 taps, and I biases.
  e[kWinConvW] = a.has_cnn() ? uint64_t(a.I) * a.cnn_in * 3 : 0;
  e[kWinConvB] = a.has_cnn() ? uint64_t(a.I) : 0;
  uint64_t need = LOGITS + 4ull * a.classes;
  for (int n = 0; n < kWindows; ++n) need = std::max(need, 4 * e[n]);
  uint64_t stride = 0x10000;
  while (stride < need) stride <<= 1;
  if (stride * (kWindows + 1) > (1ull << 32))
    throw lstm::formats::InputError("config '" + a.name + "': the host interface's address map (" +
                           std::to_string(kWindows + 1) + " x " + std::to_string(stride) +
                           " bytes) exceeds 32-bit addresses");
  l.stride = static_cast<uint32_t>(stride);
  for (int n = 0; n < kWindows; ++n) l.entries[n] = static_cast<uint32_t>(e[n]);
  return l;
}

lstm::formats::SparseMatrix& window_matrix(lstm::formats::Model& m, int n) {
  if (n >= kWinW && n < kWinU) return m.layers[0].W[n - kWinW];
  if (n >= kWinU && n < kWinB) return m.layers[0].U[n - kWinU];
  if (n == kWinWfc) return m.W_fc;
  throw std::logic_error("window_matrix: window " + std::to_string(n) + " is not a sparse window");
}

const lstm::formats::SparseMatrix& window_matrix(const lstm::formats::Model& m, int n) {
  return window_matrix(const_cast<lstm::formats::Model&>(m), n);
}

std::vector<int16_t>& window_vector(lstm::formats::Model& m, int n) {
  if (n >= kWinB && n < kWinWfc) return m.layers[0].b[n - kWinB];
  if (n == kWinBfc) return m.b_fc;
  if (n == kWinConvW) return m.conv_w;
  if (n == kWinConvB) return m.conv_b;
  throw std::logic_error("window_vector: window " + std::to_string(n) + " is not a Q2.13 window");
}

const std::vector<int16_t>& window_vector(const lstm::formats::Model& m, int n) {
  return window_vector(const_cast<lstm::formats::Model&>(m), n);
}

std::vector<uint32_t> window_words(const lstm::formats::Model& m, int n) {
  std::vector<uint32_t> w;
  if (is_sparse_window(n)) {
    const lstm::formats::SparseMatrix& s = window_matrix(m, n);
    w.reserve(s.code.size());
    for (size_t i = 0; i < s.code.size(); ++i) w.push_back((uint32_t(s.idx[i]) << 4) | (s.code[i] & 0xFu));
  } else if (is_word_window(n)) {
    for (int16_t x : window_vector(m, n)) w.push_back(static_cast<uint32_t>(int32_t(x)));
  }
  return w;
}

std::vector<uint32_t> image_words(const uint8_t* pixels, size_t count) {
  std::vector<uint32_t> w((count + 3) / 4, 0);
  for (size_t i = 0; i < count; ++i) w[i / 4] |= uint32_t(pixels[i]) << (8 * (i % 4));
  return w;
}

}  // namespace accel::regs
