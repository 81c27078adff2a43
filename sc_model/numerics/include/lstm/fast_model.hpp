// The fast timed model: the bit-exact reference's numbers (FastNet) and the
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

// The reference's numbers, computed faster: the model flattened once into
// table indices (see fast_model.cpp). Bit-identical to lstm::infer.
class FastNet {
 public:
  explicit FastNet(const Model& m);  // keeps a reference to m
  Inference infer(const uint8_t* pixels) const;

 private:
  const Model* m_;
  int V_ = 0, per_row_ = 0;
  bool wide_ = false;  // 64-bit sums needed
  std::vector<uint32_t> idx_;  // per hidden row, per gate: W then U entries, col * 16 + code
};

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
