// The bench's one random source, in the style of MatchLib's Pacer: seeded
// (a failing run repeats exactly), coins for valid gaps and ready stalls,
// and per-channel probabilities that jump to a random level at random
// intervals, so a block runs full, empty and everything in between.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace cosim {

class pacer {
 public:
  using result_type = uint64_t;  // a UniformRandomBitGenerator (splitmix64: fast for wide ports)
  explicit pacer(uint64_t seed) : s_(seed) {}
  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return std::numeric_limits<uint64_t>::max(); }
  uint64_t operator()() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  bool coin(double p) { return static_cast<double>((*this)() >> 11) * 0x1.0p-53 < p; }
  int below(int n) { return static_cast<int>((*this)() % static_cast<uint64_t>(n)); }

  // A channel (a valid or a ready) whose probability is one of `levels`.
  int channel(std::vector<double> levels = {0.02, 0.2, 0.5, 0.8, 1.0}) {
    ch_.push_back({std::move(levels), 0.5});
    return static_cast<int>(ch_.size()) - 1;
  }
  bool go(int ch) { return coin(ch_[static_cast<size_t>(ch)].p); }
  // Once a cycle: every 500..8500 cycles each channel draws a new level.
  void step() {
    if (++cycle_ < next_) return;
    for (Channel& c : ch_) c.p = c.levels[static_cast<size_t>(below(static_cast<int>(c.levels.size())))];
    next_ = cycle_ + 500 + (*this)() % 8000;
  }

 private:
  struct Channel {
    std::vector<double> levels;
    double p;
  };
  uint64_t s_, cycle_ = 0, next_ = 0;
  std::vector<Channel> ch_;
};

}  // namespace cosim
