// The architecture config: every dimension and parallelism choice of the
// accelerator, read from one JSON file by the SystemC model, the timing
// formula, the sizing tool and the RTL parameter generation.
#pragma once

#include <string>
#include <vector>

#include "arch/derived.hpp"
#include "formats/model.hpp"

namespace lstm::arch {

// Layers 2..L of a stacked model (SPEC Part B "Stacked layers"): each has
// its own datapath (S-P-X .. S-P-H, weight memories) and parallelism.
struct LayerArch {
  int H = 28, mvm_lanes = 112, mvm_groups = 1, ewu_lanes = 7, spx_buffers = 2;
};

struct ArchConfig {
  std::string name = "default";
  // Network dimensions (must match the model directory).
  int I = 28, H = 28, T = 28, classes = 10, c = 7, k = 4;
  // Parallelism.
  int mvm_lanes = 112;      // kept weights shift-accumulated per cycle
  int mvm_groups = 1;       // groups of c columns each gate row takes per cycle
  int ewu_lanes = 7;        // hidden rows the EWU updates per cycle (3 DSP each)
  int fc_lanes = 4;         // FC multipliers (entries per cycle)
  int pixels_per_beat = 1;  // pixels per input stream beat
  int spx_buffers = 2;      // row buffers in S-P-X (in MaxPool with a CNN front end)
  double clock_mhz = 200.0;
  // CNN front end (docs/architecture.md, "CNN front end"); cnn_in = 0: none.
  // With a front end, I and T above are the LSTM's: I = Conv1d output
  // channels, T = pooled steps; the image has cnn_in columns and 2T rows.
  int cnn_in = 0;           // Conv1d input channels (image columns)
  int conv_lanes = 0;       // Conv1d multipliers (DSP slices)
  // Stacked layers: H, mvm_lanes, mvm_groups, ewu_lanes and spx_buffers
  // above are layer 1's; more_layers holds layers 2..L (the JSON lists all L
  // under "layers"). Empty: one layer.
  std::vector<LayerArch> more_layers;
  // The input stream carries Q2.13 words, not pixels: JSON "input":
  // "words" (default "pixels"; RTL parameter INPUT_WORDS); in layer()
  // views of the layers above the first, always (they read h_t).
  bool input_words = false;
  // Set by layer() views, never read from JSON:
  bool stream_h = false;     // a layer above reads h_t: S-P-H streams it (every layer but the last)

  int num_layers() const { return 1 + static_cast<int>(more_layers.size()); }
  int hidden() const { return more_layers.empty() ? H : more_layers.back().H; }  // the FC's input size
  // Layer l's (0-based) datapath as a one-layer config: its input is the
  // layer below's h_t, streamed by that layer's S-P-H in beats of its
  // ewu_lanes words (I = H below, pixels_per_beat = ewu_lanes below); the
  // CNN front end stays with layer 1; every layer keeps classes and
  // fc_lanes (the FC is the last layer's).
  ArchConfig layer(int l) const;

  // Derived quantities: the rules are in arch/derived.hpp (one place for
  // C++, RTL, CMake and scripts).
  int derived(const char* name) const { return static_cast<int>(derived_value(*this, name)); }
  int rows_per_block() const { return derived("R"); }           // R
  int blocks() const { return derived("B"); }                   // B
  int w_beats() const { return derived("WC"); }  // beats per block, W phase
  int u_beats() const { return derived("UC"); }  // beats per block, U phase
  int fc_groups() const { return derived("FC_GF"); }
  int fc_beats_per_row() const { return derived("FC_FB"); }
  int lanes_per_gate_row() const { return derived("KG"); }

  // CNN front end (valid only when has_cnn()).
  bool has_cnn() const { return cnn_in > 0; }
  int cnn_steps() const { return derived("CONV_STEPS"); }  // image rows (pool width 2)
  int conv_taps() const { return derived("CONV_TAPS"); }   // products per output value
  // Output channels per Conv1d beat (Pc) and beats per channel (J).
  int conv_ch_per_beat() const { return derived("CONV_PC"); }
  int conv_beats_per_ch() const { return derived("CONV_J"); }
  int conv_lanes_per_ch() const { return derived("CONV_LC"); }  // Lc
  int conv_groups() const { return derived("CONV_G"); }         // G
  int conv_beats_per_step() const { return conv_groups() * conv_beats_per_ch(); }
  // Pixels per image row and per image on the input stream.
  int image_cols() const { return has_cnn() ? cnn_in : I; }
  int image_rows() const { return has_cnn() ? cnn_steps() : T; }
  // Input stream beats per image row.
  int beats_per_row() const { return derived(has_cnn() ? "CONV_X" : "SPX_X"); }
};

// Reads and validates a config file; an impossible config throws InputError
// naming the file and the field.
ArchConfig load_arch(const std::string& path);

// Validates; `where` names the source in messages.
void validate_arch(const ArchConfig& a, const std::string& where);

// Checks the config's network dimensions against a model's (every layer's
// H). stacked_ok: the caller handles a stacked model (sizing); otherwise a
// model or config of more than one layer is refused, naming `where`: the
// cycle-accurate model, the fast timing and the RTL run one layer.
void check_arch_matches_model(const ArchConfig& a, const formats::Model& m, const std::string& where,
                              bool stacked_ok = false);

// The default config with the network dimensions of `m`.
ArchConfig arch_for_model(const formats::Model& m);
// The shape of a model this config runs (kind, I, T, hidden size per layer,
// classes, c, k, Conv1d channels; no weights): for formats::random_model.
formats::Model model_shape(const ArchConfig& a);

}  // namespace lstm::arch
