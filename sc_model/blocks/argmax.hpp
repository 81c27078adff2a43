// Arg-max: scans the logits one comparison per cycle (strictly greater wins,
// so a tie keeps the lowest index) and offers {class, logits} on the result
// stream.
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(argmax) {
  SC_HAS_PROCESS(argmax);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(logit_valid_i);
  sc_core::sc_out<bool> SC_NAMED(logit_ready_o);
  sc_core::sc_in<Words> SC_NAMED(logits_i);
  sc_core::sc_out<bool> SC_NAMED(res_valid_o);
  sc_core::sc_in<bool> SC_NAMED(res_ready_i);
  sc_core::sc_out<int> SC_NAMED(res_class_o);
  sc_core::sc_out<Words> SC_NAMED(res_logits_o);

  Counters counters;

  argmax(sc_core::sc_module_name name, int classes);

 private:
  void tick();
  const int classes_;
  bool busy_ = false;
  int best_ = 0, idx_ = 0;
  Words l_;
};

}  // namespace accel
