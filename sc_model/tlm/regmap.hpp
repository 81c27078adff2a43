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

// Window table (RO): WIN_BASE(n), WIN_BYTES(n) for window n < kWindows.
constexpr uint32_t WIN_TABLE = 0x100;
constexpr uint32_t WIN_BASE(int n) { return WIN_TABLE + 8u * uint32_t(n); }
constexpr uint32_t WIN_BYTES(int n) { return WIN_TABLE + 8u * uint32_t(n) + 4u; }

// Logits of the last inference (RO, signed 32-bit): LOGITS + 4*j, j < classes.
constexpr uint32_t LOGITS = 0x1000;

constexpr uint32_t kIdValue = 0x4C53544D;  // "LSTM"
constexpr uint32_t kVersionValue = 0x00010001;  // 1.1: CNN front end

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
std::string address_name(uint64_t addr, uint32_t stride = 0x10000);

// ---- Windows ----------------------------------------------------------------
// Window 0 is the image (image_rows x image_cols pixels, 4 per word,
// little-endian); windows 1..14 are the LSTM's memory files in this order,
// one .mem entry per word; 15 and 16 (since 1.1) the Conv1d's conv_w and
// conv_b, 0 bytes without a CNN front end.
enum Window : int {
  kWinImage = 0,
  kWinW = 1,    // W_i, W_f, W_g, W_o: 1..4
  kWinU = 5,    // U_i .. U_o: 5..8
  kWinB = 9,    // b_i .. b_o: 9..12
  kWinWfc = 13,
  kWinBfc = 14,
  kWinConvW = 15,  // [o][ci][kk], Q2.13
  kWinConvB = 16,
  kWindows = 17,
};
// "IMAGE", "W_i", ..., "b_fc", "conv_w", "conv_b" (the memory file's name
// without extension).
std::string window_name(int n);
inline bool is_sparse_window(int n) { return (n >= kWinW && n < kWinB) || n == kWinWfc; }
// The 16-bit vector windows: LSTM and FC biases, Conv1d weights and biases.
inline bool is_word_window(int n) { return n >= kWinW && n < kWindows && !is_sparse_window(n); }

// The address layout for one configuration. Window n sits at (n+1)*stride,
// also when it is absent (0 entries: the conv windows without a CNN front
// end). The stride is the smallest power of two >= 64 KiB that holds every
// window and the register block (LOGITS included).
struct Layout {
  uint32_t stride = 0;
  uint32_t entries[kWindows] = {};  // 32-bit words per window
  uint32_t base(int n) const { return uint32_t(n + 1) * stride; }
  uint32_t bytes(int n) const { return 4u * entries[n]; }
};
// Throws lstm::formats::InputError if the map does not fit 32-bit addresses.
Layout layout(const lstm::arch::ArchConfig& a);

// The words of window n (n >= 1) for model m: the .mem entries in file order
// ((idx << 4) | code for sparse files, the Q2.13 word sign-extended for
// vectors). This is what the host writes and what a read returns. Empty for
// the conv windows of a kind lstm model.
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

}  // namespace accel::regs
