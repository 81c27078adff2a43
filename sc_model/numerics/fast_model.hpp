// The fast timed model: the bit-exact reference's numbers (FastNet) and the
// schedule recurrence (lstm::arch::schedule) for the cycles. It returns the same
// classes, logits and cycle counts as the cycle-accurate model for a
// pixel stream without gaps and a result consumer that is always ready or
// not ready for a fixed number of cycles after each result, without
// simulating clocks: O(T) per image for the timing.
#pragma once

#include <vector>

#include "arch/arch.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/reference.hpp"
#include "arch/timing.hpp"

namespace lstm::numerics {

// The reference's numbers, computed faster: the model flattened once into
// table indices (see fast_model.cpp). Bit-identical to lstm::numerics::infer.
class FastNet {
 public:
  explicit FastNet(const formats::Model& m);  // keeps a reference to m
  Inference infer(const uint8_t* pixels) const;
  Inference infer_words(const int16_t* words) const;                // Q2.13 input words (T x I)
  Inference infer(const formats::ImageSet& s, size_t n) const;     // item n, pixels or words

 private:
  struct Layer {
    int in = 0, H = 0, per_row = 0;
    bool wide = false;          // 64-bit sums needed
    std::vector<uint32_t> idx;  // per hidden row, per gate: W then U entries, col * 16 + code
  };
  const formats::Model* m_;
  std::vector<Layer> layers_;
};

struct FastRun {
  std::vector<Inference> results;
  arch::Schedule schedule;       // per image: first pixel beat and result edge
  uint64_t mvm_beats = 0;  // beats the MVM array takes (all lanes each)
};

// sink_hold: cycles the result consumer is not ready after each result
// (lstm::arch::schedule). Throws InputError when the timing would not be exact.
FastRun run_fast(const formats::Model& m, const arch::ArchConfig& a, const formats::ImageSet& images, size_t count,
                 uint64_t sink_hold = 0);

}  // namespace lstm::numerics
