// ReLU: max(0, v) on each of the Pc words of a Conv1d beat, in one pipeline
// register (docs/architecture.md, "ReLU"). in_ready_o = !out_valid_o ||
// out_ready_i: the register takes a new beat when it is empty or being read.
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(relu) {
  SC_HAS_PROCESS(relu);

  sc_core::sc_in<bool> clk_i, rst_ni;
  sc_core::sc_in<bool> in_valid_i;
  sc_core::sc_out<bool> in_ready_o;
  sc_core::sc_in<Words> in_data_i;  // Pc words, Q2.13
  sc_core::sc_out<bool> out_valid_o;
  sc_core::sc_in<bool> out_ready_i;
  sc_core::sc_out<Words> out_data_o;  // Pc words, >= 0

  Counters counters;
  bool frozen = false;

  relu(sc_core::sc_module_name name, int width);

 private:
  void tick();
  void comb();
  Words out_;
};

}  // namespace accel
