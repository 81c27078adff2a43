// Shared test bench for the per-block SystemC tests: a clock and a reset, a
// random-stall valid/ready source and sink, a protocol check on every block
// output, and a runner that sweeps the stall probabilities while it runs.
//
// Source: offers items 0..count-1 in order. In each cycle where it is free
// (nothing offered, or the last offer was taken) it withholds valid with
// probability `gap`; once it offers an item it holds valid and the payload
// until the item is taken. While it offers nothing it scrambles the payload
// signals, so a block that reads data without valid shows up.
//
// Sink: drops ready with probability `stall` in each cycle and records every
// transfer. It also checks the producer (the block under test): once valid is
// high and not taken, valid must still be high in the next cycle with the
// same payload.
//
// All test-bench processes are SC_METHODs on the rising clock edge and only
// ever record what they see; the TEST_CASE checks after sc_start returns
// (an exception must not cross the SystemC kernel).
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <systemc>
#include <vector>

#include "arch/arch.hpp"
#include "formats/model.hpp"
#include "test_util.hpp"
#include "types.hpp"

namespace bh {

using accel::Beat;
using accel::Words;

// A payload as a flat list of integers, for comparing a signal bundle over
// cycles.
using Snap = std::vector<int64_t>;
inline void add(Snap& s, const Words& w) { s.insert(s.end(), w.v.begin(), w.v.end()); }
inline void add(Snap& s, const Beat& b) {
  for (int64_t x : {int64_t(b.phase), int64_t(b.step), int64_t(b.block), int64_t(b.beat), int64_t(b.first),
                    int64_t(b.last), int64_t(b.first_step), int64_t(b.last_step)})
    s.push_back(x);
}
inline void add(Snap& s, int64_t v) { s.push_back(v); }

class Rng {
 public:
  explicit Rng(uint64_t seed) : g_(seed) {}
  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(g_) < p; }
  int64_t range(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(g_); }
  int32_t word() { return static_cast<int32_t>(range(-32768, 32767)); }
  // A 16-bit word biased towards the interesting breakpoints of hsig and
  // ptanh and the saturation limits.
  int32_t edgy_word() {
    switch (range(0, 3)) {
      case 0: return word();
      case 1: return static_cast<int32_t>(range(-5000, 5000));
      case 2: {
        static const int32_t pts[] = {-32768, -20481, -20480, -4097, -4096, -16384, 0, 4095, 4096,
                                      20479,  20480,  32767,  8192,  -8192, 16383, -16385};
        return pts[range(0, 15)] + static_cast<int32_t>(range(-2, 2));
      }
      default: return static_cast<int32_t>(range(-24000, 24000));
    }
  }
  Words words(size_t n) {
    Words w(n);
    for (auto& x : w.v) x = word();
    return w;
  }
  std::mt19937_64& gen() { return g_; }

 private:
  std::mt19937_64 g_;
};

SC_MODULE(Source) {
  SC_HAS_PROCESS(Source);
  sc_core::sc_in<bool> clk_i, rst_ni;
  sc_core::sc_out<bool> valid_o;
  sc_core::sc_in<bool> ready_i;

  // put(i) writes item i's payload; scramble() writes garbage (optional);
  // may_offer(i) gates item i (optional, e.g. "not before its producer ran").
  Source(sc_core::sc_module_name name, size_t count, std::function<void(size_t)> put, uint64_t seed)
      : sc_module(name), count_(count), put_(std::move(put)), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }
  template <typename C, typename R, typename V, typename D>
  void bind(C& clk, R& rst, V& valid, D& ready) {
    clk_i(clk);
    rst_ni(rst);
    valid_o(valid);
    ready_i(ready);
  }

  double gap = 0;
  std::function<void()> scramble;
  std::function<bool(size_t)> may_offer;
  std::function<void(size_t)> on_sent;  // item i was taken
  size_t sent = 0;
  size_t count() const { return count_; }
  bool done() const { return sent == count_; }

 private:
  void tick() {
    if (!rst_ni.read()) {
      valid_o.write(false);
      return;
    }
    const bool v = valid_o.read(), r = ready_i.read();
    if (v && r) {
      if (on_sent) on_sent(sent);
      ++sent;
    }
    if (v && !r) return;  // hold valid and the payload
    const bool offer = sent < count_ && (!may_offer || may_offer(sent)) && !rng_.chance(gap);
    if (offer) put_(sent);
    else if (scramble) scramble();
    valid_o.write(offer);
  }
  const size_t count_;
  std::function<void(size_t)> put_;
  Rng rng_;
};

SC_MODULE(Sink) {
  SC_HAS_PROCESS(Sink);
  sc_core::sc_in<bool> clk_i, rst_ni;
  sc_core::sc_in<bool> valid_i;
  sc_core::sc_out<bool> ready_o;

  // snap() reads the payload signals (for the protocol check); take(i) is
  // called on transfer i with the payload still on the signals.
  Sink(sc_core::sc_module_name name, std::function<Snap()> snap, std::function<void(size_t)> take, uint64_t seed)
      : sc_module(name), snap_(std::move(snap)), take_(std::move(take)), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }
  template <typename C, typename R, typename V, typename D>
  void bind(C& clk, R& rst, V& valid, D& ready) {
    clk_i(clk);
    rst_ni(rst);
    valid_i(valid);
    ready_o(ready);
  }

  double stall = 0;
  size_t got = 0;
  uint64_t cycle = 0;
  uint64_t stalled_cycles = 0;  // valid && !ready seen
  size_t violations = 0;
  std::string first_violation;

 private:
  void tick() {
    ++cycle;
    if (!rst_ni.read()) {
      ready_o.write(false);
      pending_ = false;
      return;
    }
    const bool v = valid_i.read(), r = ready_o.read();
    Snap s = snap_ ? snap_() : Snap{};
    if (pending_) {
      const char* what = !v ? "valid dropped while not taken" : (s != held_ ? "payload changed while not taken" : nullptr);
      if (what && violations++ == 0) {
        std::ostringstream os;
        os << name() << ": " << what << " at cycle " << cycle;
        first_violation = os.str();
      }
    }
    if (v && r) take_(got++);
    pending_ = v && !r;
    if (pending_) {
      ++stalled_cycles;
      held_ = std::move(s);
    }
    ready_o.write(!rng_.chance(stall));
  }
  std::function<Snap()> snap_;
  std::function<void(size_t)> take_;
  Rng rng_;
  bool pending_ = false;
  Snap held_;
};

struct StallPhase {
  double in, out;  // source gap, sink stall probability
};

// Every combination of 0, 0.3 and 0.7 on the inputs and the outputs, then
// heavy back-pressure (0.95) that fills every buffer in the block.
inline std::vector<StallPhase> stall_sweep() {
  return {{0, 0},   {0.3, 0.3}, {0.7, 0.7}, {0, 0.7}, {0.7, 0},
          {0.3, 0.7}, {0.7, 0.3}, {0, 0.3},   {0.3, 0}, {0, 0.95}};
}

SC_MODULE(Runner) {
  SC_HAS_PROCESS(Runner);
  sc_core::sc_in<bool> clk_i;
  explicit Runner(sc_core::sc_module_name name) : sc_module(name) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }
  std::function<bool()> done;
  std::function<void()> each_cycle;
  uint64_t limit = 0;
  uint64_t cycle = 0;
  bool timed_out = false;

 private:
  void tick() {
    ++cycle;
    if (each_cycle) each_cycle();
    if (done && done()) {
      sc_core::sc_stop();
    } else if (limit && cycle >= limit) {
      timed_out = true;
      sc_core::sc_stop();
    }
  }
};

// Clock, reset and the runner; sources and sinks registered with it follow
// the stall sweep as `progress()` goes from 0 to `total`.
class Bench {
 public:
  sc_core::sc_clock clk{"clk", sc_core::sc_time(10, sc_core::SC_NS)};
  sc_core::sc_signal<bool> rst{"rst_n", false};

  Bench() { runner_.clk_i(clk); }
  void inputs(std::vector<Source*> s) { srcs_ = std::move(s); }
  void outputs(std::vector<Sink*> s) { sinks_ = std::move(s); }

  // Runs until done() (or `limit` cycles after reset). Reset is held low for
  // 2 cycles. Returns false on a time-out.
  bool run(std::function<bool()> done, std::function<size_t()> progress, size_t total, uint64_t limit,
           std::vector<StallPhase> phases = stall_sweep()) {
    phases_ = std::move(phases);
    phase_cycles.assign(phases_.size(), 0);
    runner_.done = std::move(done);
    runner_.limit = limit;
    runner_.each_cycle = [this, progress, total] {
      if (monitor && rst.read()) monitor();
      const size_t n = phases_.size();
      size_t p = total ? progress() * n / total : 0;
      if (p >= n) p = n - 1;
      ++phase_cycles[p];
      for (Source* s : srcs_) s->gap = phases_[p].in;
      for (Sink* s : sinks_) s->stall = phases_[p].out;
    };
    const auto t0 = std::chrono::steady_clock::now();
    sc_core::sc_start(sc_core::sc_time(20, sc_core::SC_NS));
    rst.write(true);
    sc_core::sc_start();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return !runner_.timed_out;
  }
  // Called at every rising edge after reset, with the signals' values from
  // before the edge (like any clocked process): for checks of a block's
  // flags against a model of its state.
  std::function<void()> monitor;
  uint64_t cycles() const { return runner_.cycle; }
  std::vector<uint64_t> phase_cycles;
  double seconds = 0;

  // Protocol violations over all registered sinks, with the first message.
  size_t violations(std::string* first = nullptr) const {
    size_t n = 0;
    for (const Sink* s : sinks_) {
      if (s->violations && first && first->empty()) *first = s->first_violation;
      n += s->violations;
    }
    return n;
  }
  // Sum of stalled cycles (valid && !ready) seen on the registered sinks.
  uint64_t stalled() const {
    uint64_t n = 0;
    for (const Sink* s : sinks_) n += s->stalled_cycles;
    return n;
  }
  void report(const std::string& test, size_t transfers) const {
    std::printf("%s: %zu transfers checked, %llu cycles, %llu stalled output cycles, %.2f s\n", test.c_str(),
                transfers, static_cast<unsigned long long>(cycles()), static_cast<unsigned long long>(stalled()),
                seconds);
  }

 private:
  Runner runner_{"runner"};
  std::vector<Source*> srcs_;
  std::vector<Sink*> sinks_;
  std::vector<StallPhase> phases_;
};

// No sink saw a valid/ready protocol violation (the first one is reported).
inline void check_protocol(const Bench& b) {
  std::string first;
  const size_t violations = b.violations(&first);
  INFO(first);
  CHECK(violations == 0);
}

// Architecture configs: the JSON files and two built in code.
inline lstm::arch::ArchConfig config(const std::string& name) {
  return lstm::arch::load_arch(testutil::repo_dir() + "/sc_model/configs/" + name + ".json");
}
// I=12 H=18 T=6 classes=5 c=6 k=3: 6 rows per block (3 blocks), 2 EWU
// sub-beats, 3 FC lanes (Fb = 3), 3 pixels per beat, 3 row buffers.
inline lstm::arch::ArchConfig odd_config() {
  lstm::arch::ArchConfig a;
  a.name = "odd";
  a.I = 12, a.H = 18, a.T = 6, a.classes = 5, a.c = 6, a.k = 3;
  a.mvm_lanes = 4 * 3 * 6;
  a.mvm_groups = 1;
  a.ewu_lanes = 3;
  a.fc_lanes = 3;
  a.pixels_per_beat = 3;
  a.spx_buffers = 3;
  lstm::arch::validate_arch(a, "odd_config");
  return a;
}
// I=16 H=16 T=5 classes=3 c=4 k=2, 2 groups per cycle: 2 rows per block
// (8 blocks), 1 EWU lane (2 sub-beats), 4 FC lanes, 2 pixels per beat.
inline lstm::arch::ArchConfig grouped_config() {
  lstm::arch::ArchConfig a;
  a.name = "grouped";
  a.I = 16, a.H = 16, a.T = 5, a.classes = 3, a.c = 4, a.k = 2;
  a.mvm_groups = 2;
  a.mvm_lanes = 4 * 2 * 2 * 2;
  a.ewu_lanes = 1;
  a.fc_lanes = 4;
  a.pixels_per_beat = 2;
  a.spx_buffers = 4;
  lstm::arch::validate_arch(a, "grouped_config");
  return a;
}

// I=8 H=8 T=4 classes=4 c=4 k=2, 2 groups per cycle: a single beat per
// block and phase (first = last), 4 rows per block (2 blocks), 4 EWU lanes
// (1 sub-beat), FC in 1 beat per row, a whole row per pixel beat.
inline lstm::arch::ArchConfig tiny_config() {
  lstm::arch::ArchConfig a;
  a.name = "tiny";
  a.I = 8, a.H = 8, a.T = 4, a.classes = 4, a.c = 4, a.k = 2;
  a.mvm_groups = 2;
  a.mvm_lanes = 4 * 2 * 2 * 4;
  a.ewu_lanes = 4;
  a.fc_lanes = 4;
  a.pixels_per_beat = 8;
  a.spx_buffers = 2;
  lstm::arch::validate_arch(a, "tiny_config");
  return a;
}

// CNN front-end configs. cnn_odd: 5 image columns, 5 multipliers (3 beats
// per output channel), a whole row per pixel beat, 6 channels, 3 pooled
// steps, 3 pooled-row buffers. cnn_multi: 4 columns, 24 multipliers (2
// channels per beat), 2 pixels per beat, 8 channels, 2 pooled steps.
inline lstm::arch::ArchConfig cnn_odd_config() {
  lstm::arch::ArchConfig a;
  a.name = "cnn_odd";
  a.I = 6, a.H = 6, a.T = 3, a.classes = 4, a.c = 3, a.k = 2;
  a.cnn_in = 5, a.conv_lanes = 5;
  a.mvm_lanes = 4 * 2 * 3;  // R = 3
  a.ewu_lanes = 3;
  a.fc_lanes = 2;
  a.pixels_per_beat = 5;
  a.spx_buffers = 3;
  lstm::arch::validate_arch(a, "cnn_odd_config");
  return a;
}
inline lstm::arch::ArchConfig cnn_multi_config() {
  lstm::arch::ArchConfig a;
  a.name = "cnn_multi";
  a.I = 8, a.H = 8, a.T = 2, a.classes = 3, a.c = 4, a.k = 2;
  a.cnn_in = 4, a.conv_lanes = 24;
  a.mvm_lanes = 4 * 2 * 2;  // R = 2
  a.ewu_lanes = 1;
  a.fc_lanes = 2;
  a.pixels_per_beat = 2;
  a.spx_buffers = 2;
  lstm::arch::validate_arch(a, "cnn_multi_config");
  return a;
}

// A random model with the config's network dimensions (with a Conv1d front
// end when the config has one).
inline lstm::formats::Model model_for(const lstm::arch::ArchConfig& a, uint64_t seed) {
  lstm::formats::Model shape;
  shape.I = a.I;
  shape.set_hidden({a.H});
  shape.T = a.T;
  if (a.has_cnn()) {
    shape.kind = lstm::formats::ModelKind::CnnLstm;
    shape.I = a.cnn_in;
    shape.T = a.cnn_steps();
    shape.conv_out = a.I;
  }
  shape.classes = a.classes;
  shape.c = a.c;
  shape.k = a.k;
  return lstm::formats::random_model(shape, seed);
}

}  // namespace bh
