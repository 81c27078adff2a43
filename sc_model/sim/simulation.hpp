// Runs images through the cycle-accurate top: clock, reset, pixel source,
// result sink, watchdog, optional VCD. SystemC allows one elaboration per
// process, so simulate() is called once per process.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "lstm_accel.hpp"
#include "stream_io.hpp"

namespace accel {

struct SimOptions {
  double source_gap = 0.0;    // probability the pixel source skips a cycle
  double sink_stall = 0.0;    // probability the result sink is not ready
  uint64_t sink_hold = 0;     // cycles the result sink is not ready after each result
  uint64_t seed = 1;
  std::string vcd;            // VCD file ("" = none)
  std::string gtkw;           // GTKWave save file for that VCD ("" = none)
  uint64_t watchdog = 20000;  // cycles without any handshake before failing
  uint64_t max_cycles = 0;    // 0 = no limit
  std::function<void(size_t)> progress;  // called with the number of results
  std::string freeze;         // fault injection: block whose clocked process stops (see freeze())
};

struct BlockCount {
  std::string name;
  Counters counters;
};

struct SimReport {
  std::vector<Result> results;            // in image order
  std::vector<uint64_t> first_beat;       // cycle each image's first beat was taken
  uint64_t cycles = 0;                    // simulated cycles (after reset)
  uint64_t reset_cycles = 0;
  uint64_t mvm_lane_beats = 0;
  std::vector<BlockCount> counters;
  std::string error;                      // watchdog or cycle-limit failure
  double wall_seconds = 0;
};

// Silences SystemC's banner and its note on sc_stop(); call first in sc_main.
void quiet_systemc();

// Fault injection for tests, from outside the block: disables the named
// block's clocked process (`tick`) for good. False if `top` has no such block.
bool freeze(const lstm_accel& top, const std::string& block);

// Writes a GTKWave save file for the VCD of a top with config `a`: one group
// per block of the netlist, its ports (vectors: the first 8 elements).
void write_gtkw(const std::string& path, const lstm::arch::ArchConfig& a, const std::string& vcd);

SimReport simulate(const lstm::formats::Model& m, const lstm::arch::ArchConfig& a, const lstm::formats::ImageSet& images,
                   const std::vector<size_t>& order, const SimOptions& opt);

}  // namespace accel
