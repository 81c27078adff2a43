// Payload types carried on the accelerator's signals, and the per-block
// activity counters. Vectors have a fixed size per signal (set by the
// signal's initial value), so VCD tracing can follow every element.
#pragma once

#include <systemc>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace accel {

// A vector of words (Q2.13 data, sums or raw ROM entries).
struct Words {
  std::vector<int32_t> v;
  Words() = default;
  explicit Words(size_t n, int32_t fill = 0) : v(n, fill) {}
  size_t size() const { return v.size(); }
  int32_t& operator[](size_t i) { return v[i]; }
  int32_t operator[](size_t i) const { return v[i]; }
  bool operator==(const Words& o) const { return v == o.v; }
};
std::ostream& operator<<(std::ostream& os, const Words& w);
// ROM images (lstm::rtlgen::RomWord rows) as Words, for the ROMs inside blocks.
std::vector<Words> to_words(const std::vector<std::vector<int32_t>>& rom);
// Traces each element as `name_<i>` with the given bit width.
void trace_words(sc_core::sc_trace_file* tf, const Words& w, const std::string& name, int width);
inline void sc_trace(sc_core::sc_trace_file* tf, const Words& w, const std::string& name) {
  trace_words(tf, w, name, 32);
}

enum Phase : uint8_t { kPhaseW = 0, kPhaseU = 1 };

// One issue slot of the MVM array: which block, phase and group beat, with
// the flags the later stages need. Travels with the data down the pipeline.
struct Beat {
  uint8_t phase = kPhaseW;
  uint16_t step = 0;   // t
  uint16_t block = 0;  // b
  uint16_t beat = 0;   // j within the block's phase
  bool first = false;  // j == 0
  bool last = false;   // j == last beat of the phase
  bool first_step = false;
  bool last_step = false;
  bool operator==(const Beat& o) const {
    return phase == o.phase && step == o.step && block == o.block && beat == o.beat && first == o.first &&
           last == o.last && first_step == o.first_step && last_step == o.last_step;
  }
};
std::ostream& operator<<(std::ostream& os, const Beat& b);
// Calls f(suffix, field, bits) for each field as traced: the VCD (sc_trace)
// and the GTKWave save file (netlist::vcd_names) both follow it.
template <typename B, typename F>
void for_each_field(B& b, F f) {
  f("_phase", b.phase, 1);
  f("_step", b.step, 16);
  f("_block", b.block, 16);
  f("_beat", b.beat, 16);
  f("_first", b.first, 1);
  f("_last", b.last, 1);
  f("_first_step", b.first_step, 1);
  f("_last_step", b.last_step, 1);
}
void sc_trace(sc_core::sc_trace_file* tf, const Beat& b, const std::string& name);

// Busy: the block holds or moves work and is not held up by its consumer.
// Stalled: it has output valid that is not taken (valid and not ready).
// Idle: neither.
struct Counters {
  uint64_t busy = 0, stalled = 0, idle = 0;
  void tick(bool busy_now, bool stalled_now) {
    if (stalled_now) ++stalled;
    else if (busy_now) ++busy;
    else ++idle;
  }
};

}  // namespace accel
