// Test-bench side of the top's streams: a pixel source that sends images
// back to back (optionally with random gaps), a result sink (optionally with
// random back-pressure), and a watchdog that turns a pipeline with no
// handshake progress into an error naming the stuck block.
#pragma once

#include <functional>
#include <map>
#include <random>
#include <systemc>

#include "formats/idx.hpp"
#include "types.hpp"

namespace accel {

SC_MODULE(pixel_source) {
  SC_HAS_PROCESS(pixel_source);

  sc_core::sc_in<bool> clk_i, rst_ni;
  sc_core::sc_out<bool> valid_o;
  sc_core::sc_in<bool> ready_i;
  sc_core::sc_out<Words> data_o;

  // `gap` = probability that the source withholds a beat in a cycle.
  pixel_source(sc_core::sc_module_name name, const lstm::formats::ImageSet& imgs, std::vector<size_t> order, int P,
               double gap = 0.0, uint64_t seed = 1);
  uint64_t cycle = 0;
  std::vector<uint64_t> first_beat_cycle;  // per image, cycle its first beat was taken
  bool done() const { return img_ >= order_.size(); }

 private:
  void tick();
  void drive();
  const lstm::formats::ImageSet& imgs_;
  std::vector<size_t> order_;
  const int P_;
  const double gap_;
  std::mt19937_64 rng_;
  size_t img_ = 0, pos_ = 0;
};

struct Result {
  int cls = 0;
  std::vector<int64_t> logits;
  uint64_t cycle = 0;  // cycle the result was taken
};

SC_MODULE(result_sink) {
  SC_HAS_PROCESS(result_sink);

  sc_core::sc_in<bool> clk_i, rst_ni;
  sc_core::sc_in<bool> valid_i;
  sc_core::sc_out<bool> ready_o;
  sc_core::sc_in<int> class_i;
  sc_core::sc_in<Words> logits_i;

  // `stall` = probability that ready is low in a cycle; `hold` = cycles
  // ready stays low after each result taken (a deterministic slow consumer
  // the fast model reproduces, lstm::arch::schedule).
  result_sink(sc_core::sc_module_name name, size_t expect, double stall = 0.0, uint64_t seed = 2,
              uint64_t hold = 0);
  std::vector<Result> results;
  uint64_t cycle = 0;
  std::function<void(size_t)> on_result;  // progress callback

 private:
  void tick();
  const size_t expect_;
  const double stall_;
  std::mt19937_64 rng_;
  const uint64_t hold_;
  uint64_t hold_left_ = 0;
};

// One valid/ready interface the watchdog watches.
struct Handshake {
  std::string name, producer, consumer;
  std::function<bool()> valid, ready;
  bool hold = false;  // valid may stay high for long by design (not a stall)
};

SC_MODULE(watchdog) {
  SC_HAS_PROCESS(watchdog);

  sc_core::sc_in<bool> clk_i;
  // Fails after `limit` cycles without any handshake while work is pending.
  watchdog(sc_core::sc_module_name name, std::vector<Handshake> hs, uint64_t limit,
           std::function<bool()> work_pending);
  std::string error;  // set when it fired
  uint64_t cycle = 0;
  // Also fails when work is pending and `progress()` (e.g. results so far)
  // has not changed for `limit` cycles: blocks that keep handshaking without
  // getting anywhere (a stuck state machine re-issuing one beat) never trip
  // the handshake limit. 0 = off.
  void set_progress_limit(uint64_t limit, std::function<size_t()> progress);

 private:
  void tick();
  std::vector<Handshake> hs_;
  std::vector<uint64_t> blocked_;  // consecutive cycles valid && !ready
  std::map<std::string, uint64_t> last_in_, last_out_;  // per block: cycle of its last input / output transfer
  const uint64_t limit_;
  std::function<bool()> pending_;
  uint64_t quiet_ = 0;
  uint64_t progress_limit_ = 0, since_progress_ = 0;
  size_t last_progress_ = 0;
  std::function<size_t()> progress_;
};

}  // namespace accel
