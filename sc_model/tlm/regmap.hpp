// The register map of the TLM-2.0 host interface (docs/tlm.md): register
// offsets and bits, the window layout, and the encoding of a model's memory
// files as window words. Shared by the target (lstm_accel_tlm), the host
// driver and the tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "formats/model.hpp"

namespace accel::regs {

// ---- Registers (byte offsets; every register is 32 bits) -------------------
constexpr uint32_t ID = 0x000;            // RO  kIdValue
constexpr uint32_t VERSION = 0x004;       // RO  kVersionValue (major << 16 | minor)
constexpr uint32_t CTRL = 0x008;          // RW  command bits (self-clearing, reads 0)
constexpr uint32_t STATUS = 0x00C;        // RO  STATUS_* bits
constexpr uint32_t ERR_CODE = 0x010;      // RO  first error since the last CLEAR_ERROR (ErrCode)
constexpr uint32_t ERR_ADDR = 0x014;      // RO  byte address the first error refers to
constexpr uint32_t CYCLES = 0x018;        // RO  last inference: first pixel beat -> result, clock cycles
constexpr uint32_t RESULT_CLASS = 0x01C;  // RO  last inference: arg-max class
constexpr uint32_t INFERENCES = 0x020;    // RO  inferences completed since power-up
constexpr uint32_t COMMITS = 0x024;       // RO  successful weight commits since power-up
constexpr uint32_t TIMEOUT = 0x028;       // RW  cycles an inference may take (0 = no limit)

// Configuration (RO): the architecture config the accelerator was built with.
constexpr uint32_t CFG_I = 0x040;
constexpr uint32_t CFG_H = 0x044;
constexpr uint32_t CFG_T = 0x048;
constexpr uint32_t CFG_CLASSES = 0x04C;
constexpr uint32_t CFG_C = 0x050;
constexpr uint32_t CFG_K = 0x054;
constexpr uint32_t CFG_MVM_LANES = 0x058;
constexpr uint32_t CFG_MVM_GROUPS = 0x05C;
constexpr uint32_t CFG_EWU_LANES = 0x060;
constexpr uint32_t CFG_FC_LANES = 0x064;
constexpr uint32_t CFG_PIXELS_PER_BEAT = 0x068;
constexpr uint32_t CFG_SPX_BUFFERS = 0x06C;
constexpr uint32_t CFG_CLOCK_KHZ = 0x070;
constexpr uint32_t CFG_IDX_BITS = 0x074;
constexpr uint32_t CFG_WIN_COUNT = 0x078;
constexpr uint32_t CFG_WIN_STRIDE = 0x07C;
// Since 1.1: the CNN front end (0 without one) and the image the IMAGE
// window holds (rows x columns pixels, row-major).
constexpr uint32_t CFG_CNN_IN = 0x080;
constexpr uint32_t CFG_CONV_LANES = 0x084;
constexpr uint32_t CFG_IMAGE_ROWS = 0x088;
constexpr uint32_t CFG_IMAGE_COLS = 0x08C;
constexpr uint32_t CFG_FIRST = CFG_I, CFG_LAST = CFG_IMAGE_COLS;
// Since 1.2, mapped on a stacked device only (a one-layer device keeps the
// 1.1 map byte for byte and reports 1.1): the number of LSTM layers L, and
// for each layer n = 2..L a block of CONFIG fields at CFG_LAYER(n, field).
constexpr uint32_t CFG_LAYERS = 0x090;
constexpr uint32_t CFG_LAYER_BASE = 0x800, CFG_LAYER_STRIDE = 0x20;
constexpr uint32_t LCFG_H = 0x00, LCFG_MVM_LANES = 0x04, LCFG_MVM_GROUPS = 0x08, LCFG_EWU_LANES = 0x0C,
                   LCFG_SPX_BUFFERS = 0x10;
constexpr uint32_t kLayerCfgWords = 5;  // words of a layer block in use; the rest of the stride is unmapped
// n: the 1-based layer number, 2..L (layer 1's fields are CFG_H ...).
constexpr uint32_t CFG_LAYER(int n, uint32_t field) {
  return CFG_LAYER_BASE + CFG_LAYER_STRIDE * uint32_t(n - 2) + field;
}

// Since 1.3, mapped on a device whose input stream carries Q2.13 words
// (ArchConfig::input_words) only, which reports 1.3: reads 1. Its IMAGE
// window holds words, not pixels (see Windows).
constexpr uint32_t CFG_INPUT_WORDS = 0x094;

// Window table (RO): WIN_BASE(n), WIN_BYTES(n) for window n < kWindows.
constexpr uint32_t WIN_TABLE = 0x100;
constexpr uint32_t WIN_BASE(int n) { return WIN_TABLE + 8u * uint32_t(n); }
constexpr uint32_t WIN_BYTES(int n) { return WIN_TABLE + 8u * uint32_t(n) + 4u; }

// Logits of the last inference (RO, signed 32-bit): LOGITS + 4*j, j < classes.
constexpr uint32_t LOGITS = 0x1000;

constexpr uint32_t kIdValue = 0x4C53544D;  // "LSTM"
// A device reports the lowest version whose map describes it: 1.1 with one
// LSTM layer (the 1.1 map exactly), 1.2 with stacked layers.
constexpr uint32_t kVersionValue = 0x00010001;    // 1.1: CNN front end
constexpr uint32_t kVersionStacked = 0x00010002;  // 1.2: stacked layers
constexpr uint32_t kVersionWords = 0x00010003;    // 1.3: Q2.13 input words (and 1.2's registers when stacked)
inline uint32_t version_for(const lstm::arch::ArchConfig& a) {
  return a.input_words ? kVersionWords : a.num_layers() > 1 ? kVersionStacked : kVersionValue;
}

// CTRL bits (write 1 to act; performed in the order CLEAR_ERROR, COMMIT, START).
constexpr uint32_t CTRL_START = 1u << 0;        // run one inference on the IMAGE window
constexpr uint32_t CTRL_COMMIT = 1u << 1;       // copy the weight windows into the weight ROMs
constexpr uint32_t CTRL_CLEAR_ERROR = 1u << 2;  // clear STATUS.ERROR, ERR_CODE, ERR_ADDR

// STATUS bits.
constexpr uint32_t STATUS_BUSY = 1u << 0;   // an inference is requested or running
constexpr uint32_t STATUS_DONE = 1u << 1;   // the last started inference finished (results valid)
constexpr uint32_t STATUS_ERROR = 1u << 2;  // sticky; see ERR_CODE
constexpr uint32_t STATUS_DIRTY = 1u << 3;  // weight windows written since the last commit

enum ErrCode : uint32_t {
  kErrNone = 0,
  kErrBusy = 1,     // START, COMMIT or an IMAGE write while BUSY
  kErrValue = 2,    // a weight word that does not fit its file's entry format
  kErrWeights = 3,  // COMMIT found a group whose idx are not strictly ascending
  kErrTimeout = 4,  // the inference exceeded TIMEOUT cycles (pipeline was reset)
};
const char* err_name(uint32_t code);
// The register or window an address falls in ("STATUS", "LOGITS[3]",
// "W_i[17]", "?" when unmapped), for traces.
// `windows`: the device's CFG_WIN_COUNT (names the stacked layers' windows
// and table entries when it is above kWindows).
std::string address_name(uint64_t addr, uint32_t stride = 0x10000, int windows = 17);

// ---- Windows ----------------------------------------------------------------
// Window 0 is the image (image_rows x image_cols pixels, 4 per word,
// little-endian; on a 1.3 device, Q2.13 words, 2 per word, element 2i in
// bits 15..0); windows 1..14 are layer 1's LSTM memory files and the FC's
// in this order, one .mem entry per word; 15 and 16 (since 1.1) the Conv1d's
// conv_w and conv_b, 0 bytes without a CNN front end. Since 1.2, layers
// n = 2..L each add kLayerWindows windows after 16, in layer 1's order:
// W_i..W_o, U_i..U_o, b_i..b_o (window_of_layer).
enum Window : int {
  kWinImage = 0,
  kWinW = 1,    // W_i, W_f, W_g, W_o: 1..4
  kWinU = 5,    // U_i .. U_o: 5..8
  kWinB = 9,    // b_i .. b_o: 9..12
  kWinWfc = 13,
  kWinBfc = 14,
  kWinConvW = 15,  // [o][ci][kk], Q2.13
  kWinConvB = 16,
  kWindows = 17,   // windows of a one-layer device; layer 2's first window
};
constexpr int kLayerWindows = 12;  // W (4), U (4), b (4) of one LSTM layer
// Windows of a device with `layers` LSTM layers (its CFG_WIN_COUNT).
constexpr int window_count(int layers) { return kWindows + kLayerWindows * (layers - 1); }
// Window of layer l (0-based) holding part p: 0..3 W_g, 4..7 U_g, 8..11 b_g.
constexpr int window_of_layer(int l, int p) { return l == 0 ? kWinW + p : kWindows + kLayerWindows * (l - 1) + p; }
// The 0-based LSTM layer window n belongs to and its part (as above); -1
// for the image, FC and Conv1d windows.
int window_layer(int n, int* part = nullptr);
// "IMAGE", "W_i", ..., "b_fc", "conv_w", "conv_b" (the memory file's name
// without extension); layer n >= 2's windows "l2_W_i", ... as in a stacked
// model's directory.
std::string window_name(int n);
bool is_sparse_window(int n);
// The 16-bit vector windows: LSTM and FC biases, Conv1d weights and biases.
inline bool is_word_window(int n) { return n >= kWinW && !is_sparse_window(n); }

// The address layout for one configuration. Window n sits at (n+1)*stride,
// also when it is absent (0 entries: the conv windows without a CNN front
// end). The stride is the smallest power of two >= 64 KiB that holds every
// window and the register block (LOGITS included).
struct Layout {
  uint32_t stride = 0;
  std::vector<uint32_t> entries;  // 32-bit words per window; size = CFG_WIN_COUNT
  int count() const { return static_cast<int>(entries.size()); }
  uint32_t base(int n) const { return uint32_t(n + 1) * stride; }
  uint32_t bytes(int n) const { return 4u * entries[size_t(n)]; }
};
// Throws lstm::formats::InputError if the map does not fit 32-bit addresses.
Layout layout(const lstm::arch::ArchConfig& a);

// The words of window n (n >= 1) for model m: the .mem entries in file order
// ((idx << 4) | code for sparse files, the Q2.13 word sign-extended for
// vectors). This is what the host writes and what a read returns. Empty for
// the conv windows of a kind lstm model and for the windows of layers the
// model does not have.
std::vector<uint32_t> window_words(const lstm::formats::Model& m, int n);
// The array of m that weight window n holds: a sparse matrix for
// is_sparse_window(n), a Q2.13 vector for is_word_window(n).
const lstm::formats::SparseMatrix& window_matrix(const lstm::formats::Model& m, int n);
lstm::formats::SparseMatrix& window_matrix(lstm::formats::Model& m, int n);
const std::vector<int16_t>& window_vector(const lstm::formats::Model& m, int n);
std::vector<int16_t>& window_vector(lstm::formats::Model& m, int n);
// The image window's words: pixels packed 4 per word, little-endian, the
// last word zero-padded.
std::vector<uint32_t> image_words(const uint8_t* pixels, size_t count);
// The same for Q2.13 input words: 2 per word, little-endian.
std::vector<uint32_t> image_words(const int16_t* words, size_t count);

}  // namespace accel::regs
