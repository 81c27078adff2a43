#include "argmax.hpp"

namespace accel {

argmax::argmax(sc_core::sc_module_name name, int classes) : sc_module(name), classes_(classes), l_(classes) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void argmax::tick() {
  if (!rst_ni.read()) {
    busy_ = false;
    logit_ready_o.write(true);
    res_valid_o.write(false);
    res_class_o.write(0);
    return;
  }
  counters.tick(busy_, res_valid_o.read() && !res_ready_i.read());
  bool res_v = res_valid_o.read() && !res_ready_i.read();
  if (busy_) {
    if (idx_ < classes_) {
      if (l_[idx_] > l_[best_]) best_ = idx_;
      ++idx_;
    }
    if (idx_ == classes_) {
      busy_ = false;
      res_class_o.write(best_);
      res_logits_o.write(l_);
      res_v = true;
    }
  }
  if (logit_valid_i.read() && logit_ready_o.read()) {
    l_ = logits_i.read();
    best_ = 0;
    idx_ = 1;
    busy_ = true;
  }
  res_valid_o.write(res_v);
  // A new vector is taken only when the scan and the result slot are free.
  logit_ready_o.write(!busy_ && !res_v);
}

}  // namespace accel
