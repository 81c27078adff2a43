// Cycle timing of the accelerator as a function of the architecture config:
// the three lower bounds and the exact latency / streaming interval the
// cycle-accurate model produces (docs/architecture.md, "Timing").
#pragma once

#include <cstdint>

#include "lstm/arch.hpp"

namespace lstm {

struct Timing {
  uint64_t bound_mac = 0;         // LSTM kept weights / MVM lanes
  uint64_t bound_input = 0;       // pixels / pixels per beat
  uint64_t bound_recurrence = 0;  // T * (U-phase beats per step + h pipeline latency)
  uint64_t latency = 0;           // first pixel beat taken -> result taken, one image alone
  uint64_t interval = 0;          // cycles between results, images back to back
};

Timing timing(const ArchConfig& a);

}  // namespace lstm
