// MaxPool: width 2, stride 2 over Conv1d/ReLU steps (docs/architecture.md,
// "MaxPool"). The beats of an even step are kept in a register row; each
// beat of the following odd step writes max(even, odd) into the row buffer
// being filled. A complete pooled row (I words, the LSTM's x_u) is offered
// to the controller with the S-P-X row protocol, so the LSTM pipeline
// behind it is unchanged. `buffers` row buffers (spx_buffers) let the next
// pooled rows fill while the controller holds the current one.
// All outputs are registers: in_ready_o = (next beat is even) || a buffer
// is free; row_valid_o = a buffer is full; row_data_o = the head buffer.
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(maxpool) {
  SC_HAS_PROCESS(maxpool);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(in_valid_i);
  sc_core::sc_out<bool> SC_NAMED(in_ready_o);
  sc_core::sc_in<Words> SC_NAMED(in_data_i);  // Pc words of one step
  sc_core::sc_out<bool> SC_NAMED(row_valid_o);
  sc_core::sc_in<bool> SC_NAMED(row_ready_i);   // pop: the head row is released
  sc_core::sc_out<Words> SC_NAMED(row_data_o);  // I words, Q2.13

  Counters counters;

  maxpool(sc_core::sc_module_name name, int I, int Pc, int buffers);

 private:
  void tick();
  const int I_, Pc_, G_, NB_;
  Words even_;
  std::vector<Words> buf_;
  int par_ = 0, grp_ = 0, head_ = 0, full_ = 0;
};

}  // namespace accel
