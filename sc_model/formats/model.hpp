// The model directory of SPEC Part C / docs/formats.md: loading with full
// validation, and writing (used by tests and gen-model).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lstm::formats {

enum class WeightCode { Log4, Int4 };

// A top-k pruned matrix: each row is cut into groups of c columns; each group
// keeps exactly k entries (code, idx), idx strictly ascending.
struct SparseMatrix {
  int rows = 0, cols = 0, c = 1, k = 1;
  WeightCode kind = WeightCode::Log4;
  std::vector<uint8_t> code;  // rows * entries_per_row(), 4-bit codes
  std::vector<uint8_t> idx;   // same layout, column inside the group

  int groups() const { return cols / c; }
  int entries_per_row() const { return groups() * k; }
  size_t at(int row, int e) const { return static_cast<size_t>(row) * entries_per_row() + e; }
  int column(int row, int e) const { return (e / k) * c + idx[at(row, e)]; }
};

enum class ModelKind { Lstm, CnnLstm };
// What the model reads (manifest "input"): byte pixels (IDX 0x08) or Q2.13
// words (0x0B). Any: the manifest does not say (models before the key);
// the input file decides.
enum class InputKind { Any, Pixels, Words };

constexpr int kGates = 4;  // i, f, g, o (PyTorch order)
constexpr int kMaxLayers = 8;  // stacked LSTM layers a model may have (docs/formats.md)
extern const char* const kGateNames[kGates];

// One LSTM layer of the stack (SPEC Part A, "Stacked layers"): hidden size
// H, gate matrices W (H x its input size), U (H x H) and biases b.
struct LstmLayer {
  int H = 28;
  std::array<SparseMatrix, kGates> W, U;
  std::array<std::vector<int16_t>, kGates> b;
};

struct Model {
  ModelKind kind = ModelKind::Lstm;
  int I = 28;        // features per input step (image columns)
  int T = 28;        // input steps (image rows)
  std::vector<LstmLayer> layers = std::vector<LstmLayer>(1);  // layer 1 first; at least one
  int classes = 10;
  int c = 7, k = 4;
  int conv_out = 0;  // cnn-lstm only: Conv1d output channels
  int conv_kernel = 3;
  int pool = 2;
  InputKind input = InputKind::Any;

  SparseMatrix W_fc;
  std::vector<int16_t> b_fc;
  std::vector<int16_t> conv_w;  // [o][ci][kk]
  std::vector<int16_t> conv_b;

  bool has_cnn() const { return kind == ModelKind::CnnLstm; }
  int lstm_in() const { return has_cnn() ? conv_out : I; }
  int lstm_steps() const { return has_cnn() ? T / pool : T; }
  int num_layers() const { return static_cast<int>(layers.size()); }
  // Layer l's (0-based) input size: the LSTM input for the first layer,
  // the hidden size of the layer below otherwise.
  int layer_in(int l) const { return l == 0 ? lstm_in() : layers[l - 1].H; }
  int hidden() const { return layers.back().H; }  // the FC's input size
  // The shape only: one layer per hidden size (weights empty).
  void set_hidden(const std::vector<int>& sizes);
  std::vector<int> hidden_sizes() const;
};

std::string kind_name(ModelKind k);

// Loads and validates dir/manifest.json and every file it names. Throws
// InputError naming the file (and line) of the first fault.
Model load_model(const std::string& dir);

// Checks dimensions only (I, every H multiples of c, 1 <= k <= c <= 16, ...).
// `where` prefixes the message (e.g. "model/manifest.json").
void validate_dims(const Model& m, const std::string& where);

// Writes manifest.json, .mem and .coe files. `extra_files` (names relative to
// dir, already present) are checksummed into the manifest too.
void write_model(const Model& m, const std::string& dir,
                 const std::vector<std::string>& extra_files = {});

// A model of the given shape (kind and dimensions of `shape`; its weights
// are ignored) with random weights from `seed`: random top-k positions,
// random codes, random biases. Used by tests and gen-model.
Model random_model(const Model& shape, uint64_t seed);

// Bits of the idx field for group size c: max(1, ceil(log2 c)).
int idx_bits(int c);

// sha256 of a file as lowercase hex.
std::string sha256_file(const std::string& path);

}  // namespace lstm::formats
