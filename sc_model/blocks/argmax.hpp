// Arg-max: scans the logits one comparison per cycle (strictly greater wins,
// so a tie keeps the lowest index) and offers {class, logits} on the result
// stream.
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(argmax) {
  SC_HAS_PROCESS(argmax);

  sc_core::sc_in<bool> clk_i, rst_ni;
  sc_core::sc_in<bool> logit_valid_i;
  sc_core::sc_out<bool> logit_ready_o;
  sc_core::sc_in<Words> logits_i;
  sc_core::sc_out<bool> res_valid_o;
  sc_core::sc_in<bool> res_ready_i;
  sc_core::sc_out<int> res_class_o;
  sc_core::sc_out<Words> res_logits_o;

  Counters counters;
  bool frozen = false;  // fault injection: the clocked process does nothing

  argmax(sc_core::sc_module_name name, int classes);

 private:
  void tick();
  const int classes_;
  bool busy_ = false;
  int best_ = 0, idx_ = 0;
  Words l_;
};

}  // namespace accel
