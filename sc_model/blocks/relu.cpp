#include "relu.hpp"

#include "numerics/numerics.hpp"

namespace accel {

relu::relu(sc_core::sc_module_name name, int width) : sc_module(name), out_(width) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
  SC_METHOD(comb);
  sensitive << out_valid_o << out_ready_i;
}

void relu::comb() { in_ready_o.write(!out_valid_o.read() || out_ready_i.read()); }

void relu::tick() {
  if (!rst_ni.read()) {
    out_valid_o.write(false);
    return;
  }
  const bool en = !out_valid_o.read() || out_ready_i.read();
  counters.tick(out_valid_o.read(), out_valid_o.read() && !out_ready_i.read());
  if (!en) return;
  const bool in = in_valid_i.read();
  out_valid_o.write(in);
  if (in) {
    const Words& d = in_data_i.read();
    for (size_t p = 0; p < out_.size(); ++p) out_[p] = lstm::numerics::relu(d[p]);
    out_data_o.write(out_);
  }
}

}  // namespace accel
