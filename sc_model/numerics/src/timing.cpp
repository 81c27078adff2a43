#include "lstm/timing.hpp"

#include <algorithm>

namespace lstm {

Timing timing(const ArchConfig& a) {
  Timing t;
  const uint64_t T = a.T, B = a.blocks(), Wc = a.w_beats(), Uc = a.u_beats();
  t.bound_mac = T * B * (Wc + Uc);
  t.bound_input = T * uint64_t(a.I / a.pixels_per_beat);
  t.bound_recurrence = T * (B * Uc);
  return t;
}

}  // namespace lstm
