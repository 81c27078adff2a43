// Random stimulus for a block with one input stream and one output stream
// (Conv1d, ReLU, MaxPool): the source offers beats from `gen` with valid
// held until taken, the sink's ready is a coin; both probabilities change
// at random intervals (so the block runs full, empty and in between); reset
// for 2 cycles at the start, then rare pulses of 1..3 cycles. Counts are
// taken from the model's handshake signals.
#pragma once

#include <functional>
#include <random>
#include <systemc>

#include "cosim.hpp"
#include "types.hpp"

namespace cosim {

SC_MODULE(stream_stim) {
  SC_HAS_PROCESS(stream_stim);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_n, in_valid, out_ready;
  sc_core::sc_out<accel::Words> in_data;
  sc_core::sc_in<bool> in_ready, out_valid;  // the model's
  std::function<accel::Words(std::mt19937_64&)> gen;
  double p_in = 0.5, p_out = 0.5, p_reset = 2e-5;
  uint64_t cycle = 0, taken = 0, given = 0, in_blocked = 0, out_stalled = 0, resets = 0;
  stream_stim(sc_core::sc_module_name n, uint64_t seed, std::function<accel::Words(std::mt19937_64&)> g)
      : sc_module(n), gen(std::move(g)), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }

 private:
  void tick() {
    ++cycle;
    const bool in_reset = !rst_n.read();
    const bool took = !in_reset && in_valid.read() && in_ready.read();
    taken += took;
    given += !in_reset && out_valid.read() && out_ready.read();
    in_blocked += !in_reset && in_valid.read() && !in_ready.read();
    out_stalled += !in_reset && out_valid.read() && !out_ready.read();
    if (cycle <= 2) {
      rst_n.write(false);
    } else if (reset_left_ > 0) {
      --reset_left_;
      rst_n.write(reset_left_ == 0);
    } else if (coin(p_reset)) {
      reset_left_ = 1 + static_cast<int>(rng_() % 3);
      rst_n.write(false);
      ++resets;
    } else {
      rst_n.write(true);
    }
    if (!in_valid.read() || took) {  // valid is held until taken
      in_valid.write(coin(p_in));
      in_data.write(gen(rng_));
    }
    out_ready.write(coin(p_out));
    if (cycle >= next_change_) {
      static const double ps[] = {0.02, 0.2, 0.5, 0.8, 1.0};
      p_in = ps[rng_() % 5];
      p_out = ps[rng_() % 5];
      next_change_ = cycle + 500 + rng_() % 8000;
    }
  }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::mt19937_64 rng_;
  uint64_t next_change_ = 0;
  int reset_left_ = 0;
};

// Input bridge: the RTL sees the model's Words, packed (element width w).
template <int N>
struct bridge : sc_core::sc_module {
  SC_HAS_PROCESS(bridge);
  const sc_core::sc_signal<accel::Words>& in;
  sc_core::sc_signal<sc_dt::sc_bv<N>>& out;
  const int w;
  bridge(sc_core::sc_module_name n, const sc_core::sc_signal<accel::Words>& i, sc_core::sc_signal<sc_dt::sc_bv<N>>& o,
         int width)
      : sc_module(n), in(i), out(o), w(width) {
    SC_METHOD(run);
    sensitive << in;
  }
  void run() { out.write(pack<N>(in.read(), w)); }
};

}  // namespace cosim
