// The run report: one writer for the JSON (`--json FILE`, SPEC Part C) and
// the text summary of `lstmsim classify` and `lstmsim run --level
// fast|ca|rtl` (rtlsim links it too), so every level reports the same keys
// and the same lines (docs/formats.md, "Run report"). Pure C++, no SystemC.
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"

namespace lstm::report {

using json = nlohmann::ordered_json;

// The images a report is about and, with --labels, their labels.
struct Dataset {
  formats::ImageSet images;
  std::vector<uint8_t> labels;  // empty without labels
};

// Reads images (the first `count`, 0 = all) and labels (path "" = none) and
// checks them against the model; InputError naming the file otherwise.
// Pixels (IDX 0x08) or Q2.13 words (0x0B), as the model's manifest says
// ("input"; a model that does not say reads either) and, for a timed
// level (`arch`), as the design's input stream carries (ArchConfig::
// input_words, JSON "input").
Dataset load_dataset(const formats::Model& m, const std::string& images, const std::string& labels, size_t count,
                     const arch::ArchConfig* arch = nullptr, const std::string& arch_where = "");

// Fails before the work starts (not after a long run) when the report file
// cannot be created; "" = no report.
void check_writable(const std::string& path);

struct BlockCounters {
  std::string name;
  uint64_t busy = 0, stalled = 0, idle = 0;
};

// What one level computed, in image order.
struct Results {
  std::string level;  // ref (classify), fast, ca, rtl
  std::vector<int> cls;
  std::vector<std::vector<int64_t>> logits;
  // Timed levels only (empty for ref): the clock edge, counted from the
  // first edge after reset, at which each image's first pixel beat and its
  // result were taken.
  std::vector<uint64_t> first_beat, result_cycle;
  uint64_t total_cycles = 0;
  double wall_seconds = 0;
  // Not every level can measure these: null in the report when absent.
  std::optional<uint64_t> mvm_lane_beats;              // fast, ca
  std::optional<std::vector<BlockCounters>> counters;  // ca
};

// {"images": [...], "summary": {...}}. `arch` is null for an untimed level
// (ref). Compares every result with the bit-exact reference.
json build(const formats::Model& m, const std::string& model_path, const arch::ArchConfig* arch, const Dataset& d,
           const Results& r);

// The text form of a report: one line per image unless `quiet`, then the
// summary. Printed from the JSON, so both say the same.
void print(const json& report, bool quiet, std::FILE* out = stdout);

// Writes the report as JSON; InputError naming the file on failure.
void write(const std::string& path, const json& report);

// True when every class and logit equals the reference's.
bool matches_reference(const json& report);

}  // namespace lstm::report
