// The fast timed model: the bit-exact reference for the numbers and the
// schedule recurrence (lstm::schedule) for the cycles. It returns the same
// classes, logits and cycle counts as the cycle-accurate model for a
// pixel stream without gaps and a result consumer that is always ready or
// not ready for a fixed number of cycles after each result, without
// simulating clocks: O(T) per image for the timing.
#pragma once

#include <vector>

#include "lstm/arch.hpp"
#include "lstm/idx.hpp"
#include "lstm/model.hpp"
#include "lstm/reference.hpp"
#include "lstm/timing.hpp"

namespace lstm {

struct FastRun {
  std::vector<Inference> results;
  Schedule schedule;       // per image: first pixel beat and result edge
  uint64_t mvm_beats = 0;  // beats the MVM array takes (all lanes each)
};

// sink_hold: cycles the result consumer is not ready after each result
// (lstm::schedule). Throws InputError when the timing would not be exact.
FastRun run_fast(const Model& m, const ArchConfig& a, const ImageSet& images, size_t count,
                 uint64_t sink_hold = 0);

}  // namespace lstm
