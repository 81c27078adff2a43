#include "types.hpp"

#include <type_traits>

namespace accel {

std::ostream& operator<<(std::ostream& os, const Words& w) {
  os << "[";
  for (size_t i = 0; i < w.v.size(); ++i) os << (i ? " " : "") << w.v[i];
  return os << "]";
}

void trace_words(sc_core::sc_trace_file* tf, const Words& w, const std::string& name, int width) {
  for (size_t i = 0; i < w.v.size(); ++i)
    sc_core::sc_trace(tf, w.v[i], name + "_" + std::to_string(i), width);
}

std::ostream& operator<<(std::ostream& os, const Beat& b) {
  return os << (b.phase == kPhaseW ? "W" : "U") << "(t=" << b.step << " b=" << b.block << " j=" << b.beat
            << (b.first ? " first" : "") << (b.last ? " last" : "") << (b.first_step ? " first_step" : "")
            << (b.last_step ? " last_step" : "") << ")";
}

void sc_trace(sc_core::sc_trace_file* tf, const Beat& b, const std::string& name) {
  for_each_field(b, [&](const char* suffix, const auto& v, int bits) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, bool>) sc_core::sc_trace(tf, v, name + suffix);
    else sc_core::sc_trace(tf, v, name + suffix, bits);
  });
}

std::vector<Words> to_words(const std::vector<std::vector<int32_t>>& rom) {
  std::vector<Words> out(rom.size());
  for (size_t i = 0; i < rom.size(); ++i) out[i].v = rom[i];
  return out;
}

}  // namespace accel
