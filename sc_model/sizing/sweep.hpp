// Design-space sweeps (docs/sizing.md): the grid file, sharding, the CSV a
// sweep writes row by row (and resumes from), and the Pareto front. Pure
// functions, so the fuzzer and the unit tests call them directly.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "arch/arch.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "sizing/resources.hpp"

namespace lstm::sizing {

// A grid file is a JSON object
//   {"comment": "...",
//    "base": {"clock_mhz": 200},                       (optional)
//    "axes": {"mvm_lanes": [16, 32, 64], "ewu_lanes": [1, 2, 7], ...},
//    "layers": [{"mvm_lanes": [...], "ewu_lanes": [...]}, {...}]}   (optional)
// over the parallelism fields of ArchConfig (mvm_lanes, mvm_groups,
// ewu_lanes, fc_lanes, pixels_per_beat, spx_buffers, clock_mhz). The network
// dimensions come from the model. Every combination of the axes is one
// config; combinations validate_arch rejects are skipped (and counted).
//
// Stacked models: "layers" gives the layer fields (mvm_lanes, mvm_groups,
// ewu_lanes, spx_buffers) per LSTM layer, one object per layer; the shared
// fields stay in "base"/"axes". Without "layers" the layer fields of
// "base"/"axes" set every layer alike.
using GridAxes = std::vector<std::pair<std::string, std::vector<double>>>;
struct Grid {
  std::string file;  // the grid file, named in expand_grid's messages
  std::vector<std::pair<std::string, double>> base;
  GridAxes axes;                // shared axes, file order
  std::vector<GridAxes> layers;  // per-layer axes ("layers"); empty: none
  uint64_t combinations() const;
};
// Throws InputError "filename: problem" on anything it does not accept.
Grid parse_grid(const std::string& text, const std::string& filename);

struct ExpandedGrid {
  // Valid configs in grid order: the shared axes, then layer 1's, layer 2's,
  // ...; the last axis varies fastest.
  std::vector<arch::ArchConfig> configs;
  uint64_t invalid = 0;             // combinations arch::validate_arch rejected
  std::string first_invalid;        // why the first rejected one was rejected
};
// `start` supplies every field the grid does not set (the model's dimensions,
// its layer count). A "layers" grid whose layer count is not the model's
// throws InputError naming g.file.
ExpandedGrid expand_grid(const Grid& g, const arch::ArchConfig& start);

// Row key: "L112_G1_E7_F4_P1_NB2_200MHz" (the parallelism fields). Stacked:
// the layer fields list every layer's value joined by '-', layer 1 first:
// "L112-64_G1-1_E7-4_F4_P1_NB2-2_200MHz".
std::string config_key(const arch::ArchConfig& a);

// --shard i/N, 1 <= i <= N: config number n (0-based, grid order) belongs to
// shard (n mod N) + 1, so big and small configs spread evenly.
struct Shard {
  int index = 1, count = 1;
};
Shard parse_shard(const std::string& text);  // throws formats::InputError naming --shard
inline bool in_shard(size_t n, const Shard& s) { return int(n % size_t(s.count)) == s.index - 1; }

// A stacked config's layer in a row: its fields and its datapath's
// resources (the l<n>.* blocks of estimate_config; FC, arg-max and a CNN
// front end belong to no layer).
struct LayerRow {
  int mvm_lanes = 0, mvm_groups = 0, ewu_lanes = 0, spx_buffers = 0;
  int dsp = 0;
  double bram36 = 0, lut = 0, ff = 0;
};

struct SweepRow {
  std::string key, device;
  // Layer 1's fields for a stacked config (ArchConfig's top level).
  int mvm_lanes = 0, mvm_groups = 0, ewu_lanes = 0, fc_lanes = 0, pixels_per_beat = 0, spx_buffers = 0;
  double clock_mhz = 0;
  int conv_lanes = 0;  // CNN front end's multipliers (0: none)
  Resources res;
  uint64_t cycles = 0;   // cycles per inference, streaming (measured by run_fast)
  uint64_t latency = 0;  // first pixel to result, first image
  double inferences_per_s = 0;
  bool fits = false;
  std::string overflow;  // what does not fit ("" when it fits)
  bool pareto = false;
  std::vector<LayerRow> layers;  // stacked configs: every layer; empty for one layer
};
// A row for config `a` on device `d` with resources `r`, `cycles` per
// inference (streaming interval) and `latency`; fits and overflow from fit().
// A stacked config's row gets its layers, with `layer_res[l]` as layer l's
// resources when given.
SweepRow make_row(const arch::ArchConfig& a, const Device& d, const Resources& r, uint64_t cycles, uint64_t latency,
                  const std::vector<Resources>& layer_res = {});

// One config of a sweep: resources from estimate_config (per-layer
// subtotals for a stacked config), cycles from the fast timed model on
// `images` back to back (lstm::numerics::run_fast: the layer pipeline for a
// stacked config): latency of the first image, interval between the last
// two results.
SweepRow sweep_config(const arch::ArchConfig& a, const formats::Model& m, const Device& d,
                      const formats::ImageSet& images);

// Resume: the indices of `todo` (this run's configs, in order) that no row of
// `done` (read back from the CSV `file`) covers. A row for another device or
// a config outside `todo` throws InputError (the file belongs to another
// sweep).
std::vector<size_t> remaining_configs(const std::vector<arch::ArchConfig>& todo, const std::vector<SweepRow>& done,
                                      const std::string& device, const std::string& file);

// layers: the configs' LSTM layer count. 1: the one-layer columns; L >= 2
// appends l1_mvm_lanes, l1_mvm_groups, l1_ewu_lanes, l1_spx_buffers, l1_dsp,
// l1_bram36, l1_lut, l1_ff, then l2_..., ... lL_....
std::string csv_header(int layers = 1);
std::string csv_row(const SweepRow& r);
// Parses one data line of a CSV of `layers`-layer configs; `where`
// ("file:line") names it in the error.
SweepRow parse_csv_row(const std::string& line, const std::string& where, int layers = 1);

// Reads a sweep CSV. The header must be csv_header(n) for some n (returned
// in *layers); a last line without its newline (the run was killed while
// writing it) is dropped and *partial_tail set. Any other bad line throws
// InputError.
std::vector<SweepRow> read_sweep_csv(const std::string& path, bool* partial_tail = nullptr, int* layers = nullptr);
// Writes csv_header(layers) + rows to path.tmp, then renames it over path.
// layers = 0: the rows' layer count (1 when there are none).
void write_sweep_csv(const std::string& path, const std::vector<SweepRow>& rows, int layers = 0);

// Marks the rows that fit the device and that no other fitting row
// dominates in (DSP, BRAM36, LUT: fewer is better; inferences/s: more is
// better; dominating = no worse in all four, better in one).
void mark_pareto(std::vector<SweepRow>& rows);

// Joins shard CSVs: same header (layer count), same device; a key in two
// shards must have identical rows (else InputError). Returns the rows with
// the front recomputed, sorted by key order of first appearance; *layers:
// the shards' layer count.
std::vector<SweepRow> merge_sweeps(const std::vector<std::string>& paths, int* layers = nullptr);

}  // namespace lstm::sizing
