// Cycle timing of the accelerator as a function of the architecture config:
// the three lower bounds, and the exact schedule the cycle-accurate model
// follows when the pixel stream never pauses and the result consumer is
// ready except for `sink_hold` cycles after each result it takes (docs/architecture.md, "Timing"). The schedule is a
// recurrence over steps, not a clock-by-clock simulation: O(T) per image.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/arch.hpp"

namespace lstm::arch {

struct Timing {
  uint64_t bound_mac = 0;         // LSTM kept weights / MVM lanes
  uint64_t bound_input = 0;       // pixels / pixels per beat
  uint64_t bound_recurrence = 0;  // T * U beats per step + (T-1) * (h loop latency - 1)
  uint64_t bound_conv = 0;        // CNN front end: image rows * Conv1d beats per row (0: none)
  uint64_t latency = 0;           // first pixel beat taken -> result taken, first image
  uint64_t interval = 0;          // cycles between results, images back to back (steady state)
};

// The pipeline's loop latency: edges from the last U(t) beat entering KMUX
// to the first U(t+1) beat entering KMUX (KMUX 2 + MVM 1 + EWU input 1 +
// sub-beats R/E + EWU stages 3 + S-P-H 1).
int recurrence_delay(const ArchConfig& a);

// Clock edges (counted from the first edge after reset) at which each
// image's first pixel beat and its result are taken, for n images streamed
// back to back, one layer or a stack (docs/architecture.md, "Exact
// schedule" and "Stacked layers: the layer pipeline").
//
// sink_hold: the result consumer's ready is low for that many cycles after
// each result it takes (0 = always ready). The wait propagates back through
// arg-max, FC and S-P-H into the LSTM (and, in a stack, from each layer into
// the one below), all modelled: the controller starts a U phase only with a
// bank credit from S-P-H, so no EWU ever waits for a bank.
struct Schedule {
  std::vector<uint64_t> first_beat, result;
};
Schedule schedule(const ArchConfig& a, size_t n_images, uint64_t sink_hold = 0);
// The same, also telling whether FC and arg-max keep pace with the LSTM
// (no back-pressure into the EWU, which the schedule does not model).
Schedule schedule_checked(const ArchConfig& a, size_t n_images, bool* fc_keeps_pace, uint64_t sink_hold = 0);

// For a stacked config the bounds are the largest over the layers (each
// layer's own input stream, MAC work and recurrence) and latency and
// interval those of the layer pipeline.
Timing timing(const ArchConfig& a);

// A stacked config (SPEC Part B): each layer's datapath alone,
// timing(a.layer(l)), the layer that alone is slowest, and the layer
// pipeline's interval (schedule of the whole stack).
struct StackTiming {
  std::vector<Timing> layers;
  uint64_t interval = 0;
  int slowest = 0;  // the layer whose datapath alone has the longest interval
};
StackTiming stack_timing(const ArchConfig& a);

}  // namespace lstm::arch
