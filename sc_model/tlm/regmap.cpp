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

int window_layer(int n, int* part) {
  int l = -1, p = 0;
  if (n >= kWinW && n < kWinWfc) {
    l = 0;
    p = n - kWinW;
  } else if (n >= kWindows) {
    l = 1 + (n - kWindows) / kLayerWindows;
    p = (n - kWindows) % kLayerWindows;
  }
  if (part) *part = p;
  return l;
}

bool is_sparse_window(int n) {
  int p = 0;
  return n == kWinWfc || (window_layer(n, &p) >= 0 && p < 8);
}

std::string window_name(int n) {
  if (n == kWinImage) return "IMAGE";
  if (n == kWinWfc) return "W_fc";
  if (n == kWinBfc) return "b_fc";
  if (n == kWinConvW) return "conv_w";
  if (n == kWinConvB) return "conv_b";
  int p = 0;
  const int l = window_layer(n, &p);
  if (l < 0) return "?";
  // Layer 2 and up as in a stacked model's directory (l2_W_i.mem).
  const std::string prefix = l == 0 ? "" : "l" + std::to_string(l + 1) + "_";
  return prefix + "WUb"[p / 4] + "_" + lstm::formats::kGateNames[p % 4];
}

std::string address_name(uint64_t addr, uint32_t stride, int windows) {
  static const char* const kRegs[] = {"ID",     "VERSION",      "CTRL",       "STATUS",  "ERR_CODE", "ERR_ADDR",
                                      "CYCLES", "RESULT_CLASS", "INFERENCES", "COMMITS", "TIMEOUT"};
  static const char* const kCfg[] = {"CFG_I",         "CFG_H",           "CFG_T",         "CFG_CLASSES",
                                     "CFG_C",         "CFG_K",           "CFG_MVM_LANES", "CFG_MVM_GROUPS",
                                     "CFG_EWU_LANES", "CFG_FC_LANES",    "CFG_PIXELS_PER_BEAT",
                                     "CFG_SPX_BUFFERS", "CFG_CLOCK_KHZ", "CFG_IDX_BITS",  "CFG_WIN_COUNT",
                                     "CFG_WIN_STRIDE", "CFG_CNN_IN",    "CFG_CONV_LANES", "CFG_IMAGE_ROWS",
                                     "CFG_IMAGE_COLS"};
  static_assert(sizeof kCfg / sizeof kCfg[0] == (CFG_LAST - CFG_FIRST) / 4 + 1, "one name per CFG register");
  static const char* const kLayerCfg[kLayerCfgWords] = {"H", "MVM_LANES", "MVM_GROUPS", "EWU_LANES",
                                                        "SPX_BUFFERS"};
  if (addr % 4) return "?";
  if (stride && addr >= stride) {
    const uint64_t n = addr / stride - 1;
    if (n >= uint64_t(windows)) return "?";
    return window_name(int(n)) + "[" + std::to_string((addr % stride) / 4) + "]";
  }
  if (addr <= TIMEOUT) return kRegs[addr / 4];
  if (addr >= CFG_FIRST && addr <= CFG_LAST) return kCfg[(addr - CFG_FIRST) / 4];
  // The 1.2 registers are named for any device: the probe reads them before
  // it knows the window count.
  if (addr == CFG_LAYERS) return "CFG_LAYERS";
  if (addr == CFG_INPUT_WORDS) return "CFG_INPUT_WORDS";
  if (addr >= CFG_LAYER(2, 0) && addr < CFG_LAYER(lstm::formats::kMaxLayers + 1, 0) &&
      (addr - CFG_LAYER_BASE) % CFG_LAYER_STRIDE < 4 * kLayerCfgWords) {
    const uint64_t off = addr - CFG_LAYER_BASE;
    return "CFG_L" + std::to_string(2 + off / CFG_LAYER_STRIDE) + "_" + kLayerCfg[off % CFG_LAYER_STRIDE / 4];
  }
  if (addr >= WIN_TABLE && addr < WIN_TABLE + 8u * uint32_t(windows)) {
    const int n = int((addr - WIN_TABLE) / 8);
    return std::string((addr - WIN_TABLE) % 8 ? "WIN_BYTES" : "WIN_BASE") + "[" + std::to_string(n) + "]";
  }
  if (addr >= LOGITS && addr < stride) return "LOGITS[" + std::to_string((addr - LOGITS) / 4) + "]";
  return "?";
}

Layout layout(const lstm::arch::ArchConfig& a) {
  Layout l;
  const int L = a.num_layers(), count = window_count(L);
  std::vector<uint64_t> e(size_t(count), 0);
  const uint64_t per_word = a.input_words ? 2 : 4;  // input elements per 32-bit word
  e[kWinImage] = (uint64_t(a.image_rows()) * a.image_cols() + per_word - 1) / per_word;
  for (int li = 0; li < L; ++li) {
    // Layer li's input is the image row (or the Conv1d output) for layer 1,
    // the layer below's h_t above it.
    const lstm::arch::ArchConfig la = a.layer(li);
    const uint64_t per_row_w = uint64_t(la.I / a.c) * a.k, per_row_u = uint64_t(la.H / a.c) * a.k;
    for (int g = 0; g < lstm::formats::kGates; ++g) {
      e[size_t(window_of_layer(li, g))] = uint64_t(la.H) * per_row_w;
      e[size_t(window_of_layer(li, 4 + g))] = uint64_t(la.H) * per_row_u;
      e[size_t(window_of_layer(li, 8 + g))] = uint64_t(la.H);
    }
  }
  // The FC reads the last layer's h_T.
  e[kWinWfc] = uint64_t(a.classes) * (uint64_t(a.hidden() / a.c) * a.k);
  e[kWinBfc] = uint64_t(a.classes);
  // Conv1d: I output channels x cnn_in inputs x 3 taps, and I biases.
  e[kWinConvW] = a.has_cnn() ? uint64_t(a.I) * a.cnn_in * 3 : 0;
  e[kWinConvB] = a.has_cnn() ? uint64_t(a.I) : 0;
  uint64_t need = LOGITS + 4ull * a.classes;
  for (uint64_t x : e) need = std::max(need, 4 * x);
  uint64_t stride = 0x10000;
  while (stride < need) stride <<= 1;
  if (stride * uint64_t(count + 1) > (1ull << 32))
    throw lstm::formats::InputError("config '" + a.name + "': the host interface's address map (" +
                           std::to_string(count + 1) + " x " + std::to_string(stride) +
                           " bytes) exceeds 32-bit addresses");
  l.stride = static_cast<uint32_t>(stride);
  for (uint64_t x : e) l.entries.push_back(static_cast<uint32_t>(x));
  return l;
}

lstm::formats::SparseMatrix& window_matrix(lstm::formats::Model& m, int n) {
  int p = 0;
  const int l = window_layer(n, &p);
  if (l >= 0 && l < m.num_layers() && p < 4) return m.layers[size_t(l)].W[p];
  if (l >= 0 && l < m.num_layers() && p < 8) return m.layers[size_t(l)].U[p - 4];
  if (n == kWinWfc) return m.W_fc;
  throw std::logic_error("window_matrix: window " + std::to_string(n) + " is not a sparse window of the model");
}

const lstm::formats::SparseMatrix& window_matrix(const lstm::formats::Model& m, int n) {
  return window_matrix(const_cast<lstm::formats::Model&>(m), n);
}

std::vector<int16_t>& window_vector(lstm::formats::Model& m, int n) {
  int p = 0;
  const int l = window_layer(n, &p);
  if (l >= 0 && l < m.num_layers() && p >= 8) return m.layers[size_t(l)].b[p - 8];
  if (n == kWinBfc) return m.b_fc;
  if (n == kWinConvW) return m.conv_w;
  if (n == kWinConvB) return m.conv_b;
  throw std::logic_error("window_vector: window " + std::to_string(n) + " is not a Q2.13 window of the model");
}

const std::vector<int16_t>& window_vector(const lstm::formats::Model& m, int n) {
  return window_vector(const_cast<lstm::formats::Model&>(m), n);
}

std::vector<uint32_t> window_words(const lstm::formats::Model& m, int n) {
  std::vector<uint32_t> w;
  if (window_layer(n) >= m.num_layers()) return w;  // a layer the model does not have
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

std::vector<uint32_t> image_words(const int16_t* words, size_t count) {
  std::vector<uint32_t> w((count + 1) / 2, 0);
  for (size_t i = 0; i < count; ++i) w[i / 2] |= uint32_t(uint16_t(words[i])) << (16 * (i % 2));
  return w;
}

}  // namespace accel::regs
