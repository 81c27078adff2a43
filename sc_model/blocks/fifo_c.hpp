// FIFO-C: holds c_{t-1} for every hidden row, E words per entry, read
// (popped) and written back (pushed) in row order. Depth H/E: between steps
// it holds exactly one step's cells; each pop of step t+1 precedes the push
// of the same rows, so it never overflows in the accelerator.
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(fifo_c) {
  SC_HAS_PROCESS(fifo_c);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(push_valid_i);
  sc_core::sc_out<bool> SC_NAMED(push_ready_o);  // not full
  sc_core::sc_in<Words> SC_NAMED(push_data_i);
  sc_core::sc_out<bool> SC_NAMED(pop_valid_o);   // not empty
  sc_core::sc_in<bool> SC_NAMED(pop_ready_i);
  sc_core::sc_out<Words> SC_NAMED(pop_data_o);   // head entry

  Counters counters;
  size_t max_fill = 0;

  fifo_c(sc_core::sc_module_name name, int depth, int width);

 private:
  void tick();
  const int depth_;
  std::vector<Words> mem_;
  int head_ = 0, count_ = 0;
};

}  // namespace accel
