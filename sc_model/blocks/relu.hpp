// ReLU: max(0, v) on each of the Pc words of a Conv1d beat, in one pipeline
// register (docs/architecture.md, "ReLU"). in_ready_o = !out_valid_o ||
// out_ready_i: the register takes a new beat when it is empty or being read.
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(relu) {
  SC_HAS_PROCESS(relu);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(in_valid_i);
  sc_core::sc_out<bool> SC_NAMED(in_ready_o);
  sc_core::sc_in<Words> SC_NAMED(in_data_i);  // Pc words, Q2.13
  sc_core::sc_out<bool> SC_NAMED(out_valid_o);
  sc_core::sc_in<bool> SC_NAMED(out_ready_i);
  sc_core::sc_out<Words> SC_NAMED(out_data_o);  // Pc words, >= 0

  Counters counters;

  relu(sc_core::sc_module_name name, int width);

 private:
  void tick();
  void comb();
  Words out_;
};

}  // namespace accel
