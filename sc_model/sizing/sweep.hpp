// Design-space sweeps (docs/sizing.md): the grid file, sharding, the CSV a
// sweep writes row by row (and resumes from), and the Pareto front. Pure
// functions, so the fuzzer and the unit tests call them directly.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "arch/arch.hpp"
#include "sizing/resources.hpp"

namespace lstm::sizing {

// A grid file is a JSON object
//   {"comment": "...",
//    "base": {"clock_mhz": 200},                       (optional)
//    "axes": {"mvm_lanes": [16, 32, 64], "ewu_lanes": [1, 2, 7], ...}}
// over the parallelism fields of ArchConfig (mvm_lanes, mvm_groups,
// ewu_lanes, fc_lanes, pixels_per_beat, spx_buffers, clock_mhz). The network
// dimensions come from the model. Every combination of the axes is one
// config; combinations validate_arch rejects are skipped (and counted).
struct Grid {
  std::vector<std::pair<std::string, double>> base;
  std::vector<std::pair<std::string, std::vector<double>>> axes;  // file order
  uint64_t combinations() const;
};
// Throws InputError "filename: problem" on anything it does not accept.
Grid parse_grid(const std::string& text, const std::string& filename);

struct ExpandedGrid {
  std::vector<arch::ArchConfig> configs;  // valid configs, in grid order (last axis fastest)
  uint64_t invalid = 0;             // combinations arch::validate_arch rejected
  std::string first_invalid;        // why the first rejected one was rejected
};
// `start` supplies every field the grid does not set (the model's dimensions).
ExpandedGrid expand_grid(const Grid& g, const arch::ArchConfig& start);

// Row key: "L112_G1_E7_F4_P1_NB2_200MHz" (the parallelism fields).
std::string config_key(const arch::ArchConfig& a);

// --shard i/N, 1 <= i <= N: config number n (0-based, grid order) belongs to
// shard (n mod N) + 1, so big and small configs spread evenly.
struct Shard {
  int index = 1, count = 1;
};
Shard parse_shard(const std::string& text);  // throws formats::InputError naming --shard
inline bool in_shard(size_t n, const Shard& s) { return int(n % size_t(s.count)) == s.index - 1; }

struct SweepRow {
  std::string key, device;
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
};
// A row for config `a` on device `d` with resources `r`, `cycles` per
// inference (streaming interval) and `latency`; fits and overflow from fit().
SweepRow make_row(const arch::ArchConfig& a, const Device& d, const Resources& r, uint64_t cycles, uint64_t latency);

// Resume: the indices of `todo` (this run's configs, in order) that no row of
// `done` (read back from the CSV `file`) covers. A row for another device or
// a config outside `todo` throws InputError (the file belongs to another
// sweep).
std::vector<size_t> remaining_configs(const std::vector<arch::ArchConfig>& todo, const std::vector<SweepRow>& done,
                                      const std::string& device, const std::string& file);

std::string csv_header();
std::string csv_row(const SweepRow& r);
// Parses one data line; `where` ("file:line") names it in the error.
SweepRow parse_csv_row(const std::string& line, const std::string& where);

// Reads a sweep CSV. The header must be csv_header(); a last line without
// its newline (the run was killed while writing it) is dropped and
// *partial_tail set. Any other bad line throws InputError.
std::vector<SweepRow> read_sweep_csv(const std::string& path, bool* partial_tail = nullptr);
// Writes header + rows to path.tmp, then renames it over path.
void write_sweep_csv(const std::string& path, const std::vector<SweepRow>& rows);

// Marks the rows that fit the device and that no other fitting row
// dominates in (DSP, BRAM36, LUT: fewer is better; inferences/s: more is
// better; dominating = no worse in all four, better in one).
void mark_pareto(std::vector<SweepRow>& rows);

// Joins shard CSVs: same header, same device; a key in two shards must
// have identical rows (else InputError). Returns the rows with the front
// recomputed, sorted by key order of first appearance.
std::vector<SweepRow> merge_sweeps(const std::vector<std::string>& paths);

}  // namespace lstm::sizing
