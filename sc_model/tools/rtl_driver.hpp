// The Verilated RTL top (lstm_accel or cnn_lstm_accel) in a plain C++ loop:
// reset, then per cycle offer the next pixel beat, take a result, tick.
// One copy for rtlsim and lstmbench's rtl level; a template over the
// Verilated class, so the ports are accessed directly (no virtual calls):
// the loop costs a few compares per cycle against the model's three eval()s.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include "formats/idx.hpp"

namespace lstm::rtl {

// A Verilated port is an integer up to 64 bits and a VlWide (32-bit words)
// above; these read / write 32-bit word j of either.
template <typename T>
uint32_t word_of(const T& v, int j) {
  if constexpr (std::is_integral_v<T>) return static_cast<uint32_t>(static_cast<uint64_t>(v) >> (32 * j));
  else return v[j];
}
// Packs n elements of `bits` bits each (element i at [i*bits +: bits]) into
// a port: pixels (8 bits) or Q2.13 words (16 bits, two's complement).
template <typename T, typename E>
void set_elements(T& port, const E* e, int n, int bits) {
  const uint32_t mask = (1u << bits) - 1;
  if constexpr (std::is_integral_v<T>) {
    uint64_t d = 0;
    for (int i = 0; i < n; ++i) d |= uint64_t(uint32_t(e[i]) & mask) << (bits * i);
    port = static_cast<T>(d);
  } else {
    const int per = 32 / bits;
    for (int w = 0; w < (n + per - 1) / per; ++w) {
      uint32_t d = 0;
      for (int i = 0; i < per && per * w + i < n; ++i) d |= (uint32_t(e[per * w + i]) & mask) << (bits * i);
      port[w] = d;
    }
  }
}

struct DriveOptions {
  int pixels_per_beat = 1, classes = 10;
  uint64_t sink_hold = 0;   // result ready low for N cycles after each result
  uint64_t watchdog = 0;    // fail after N cycles with no pixel taken and no result (0: never)
  uint64_t max_cycles = 0;  // fail after N cycles (0: no limit)
};

// Cycles count clock edges from the first after reset, as the SystemC
// model and the schedule count them.
struct DriveResult {
  std::vector<int> cls;
  std::vector<std::vector<int64_t>> logits;
  std::vector<uint64_t> first_beat, result_cycle;
  uint64_t cycles = 0;
  std::string error;  // watchdog or cycle limit; "" = all results taken
};

template <typename Top>
void tick(Top& top) {
  top.clk_i = 1;
  top.eval();
  top.clk_i = 0;
  top.eval();
}

// Two cycles of reset, then `count` images back to back.
template <typename Top>
DriveResult drive(Top& top, const formats::ImageSet& imgs, size_t count, const DriveOptions& o) {
  DriveResult r;
  const size_t P = static_cast<size_t>(o.pixels_per_beat), px_per_img = size_t(imgs.rows) * imgs.cols;
  size_t img = 0, pos = 0;
  uint64_t cycle = 0, hold_left = 0, last_move = 0;
  top.rst_ni = 0;
  top.pix_valid_i = 0;
  top.res_ready_i = 1;
  top.clk_i = 0;
  top.eval();
  tick(top);
  tick(top);
  top.rst_ni = 1;
  while (r.cls.size() < count) {
    const bool offer = img < count;
    top.pix_valid_i = offer;
    top.res_ready_i = hold_left == 0;
    if (offer) {
      if (imgs.is_words) set_elements(top.pix_data_i, imgs.word_image(img) + pos, o.pixels_per_beat, 16);
      else set_elements(top.pix_data_i, imgs.image(img) + pos, o.pixels_per_beat, 8);
    }
    top.eval();
    const bool pix_fire = offer && top.pix_ready_o;
    const bool res_fire = top.res_valid_o && top.res_ready_i;
    if (hold_left > 0) --hold_left;
    if (res_fire) {
      hold_left = o.sink_hold;
      r.cls.push_back(static_cast<int>(top.res_class_o));
      std::vector<int64_t> l(o.classes);
      for (int j = 0; j < o.classes; ++j) l[j] = static_cast<int32_t>(word_of(top.res_logits_o, j));
      r.logits.push_back(std::move(l));
    }
    tick(top);
    ++cycle;
    if (res_fire) r.result_cycle.push_back(cycle);
    if (pix_fire) {
      if (pos == 0) r.first_beat.push_back(cycle);
      if ((pos += P) == px_per_img) {
        pos = 0;
        ++img;
      }
    }
    if (pix_fire || res_fire || hold_left > 0) last_move = cycle;  // a held sink is not a stuck pipeline
    if (o.watchdog && cycle - last_move >= o.watchdog) {
      char msg[256];
      std::snprintf(msg, sizeof msg,
                    "watchdog: no pixel taken and no result for %llu cycles (at cycle %llu, %zu of %zu results, "
                    "pix_ready_o = %d, res_valid_o = %d): the RTL top is stuck",
                    static_cast<unsigned long long>(o.watchdog), static_cast<unsigned long long>(cycle),
                    r.cls.size(), count, int(top.pix_ready_o), int(top.res_valid_o));
      r.error = msg;
      break;
    }
    if (o.max_cycles && cycle >= o.max_cycles) {
      r.error = "cycle limit " + std::to_string(o.max_cycles) + " reached with " + std::to_string(r.cls.size()) +
                " of " + std::to_string(count) + " results";
      break;
    }
  }
  r.cycles = cycle;
  return r;
}

}  // namespace lstm::rtl
