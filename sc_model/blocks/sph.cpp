#include "sph.hpp"

namespace accel {

sph::sph(sc_core::sc_module_name name, int H, int E) : sc_module(name), H_(H), E_(E) {
  bank_[0] = bank_[1] = Words(H);
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void sph::tick() {
  if (!rst_ni.read()) {
    wb_ = hb_ = full_ = 0;
    final_[0] = final_[1] = false;
    h_ready_o.write(true);
    vec_valid_o.write(false);
    fc_valid_o.write(false);
    return;
  }
  const bool in = h_valid_i.read() && h_ready_o.read();
  const bool out = (vec_valid_o.read() && vec_pop_i.read()) || (fc_valid_o.read() && fc_ready_i.read());
  counters.tick(in || full_ > 0, fc_valid_o.read() && !fc_ready_i.read());
  int full = full_;
  if (in) {
    const Words& d = h_data_i.read();
    const int row = h_row_i.read();
    for (int r = 0; r < E_; ++r) bank_[wb_][row + r] = d[r];
    if (row + E_ == H_) {
      final_[wb_] = h_last_i.read();
      wb_ ^= 1;
      ++full;
    }
  }
  if (out) {
    hb_ ^= 1;
    --full;
  }
  full_ = full;
  h_ready_o.write(full_ < 2);
  vec_valid_o.write(full_ > 0 && !final_[hb_]);
  fc_valid_o.write(full_ > 0 && final_[hb_]);
  vec_o.write(bank_[hb_]);
}

}  // namespace accel
