#include "maxpool.hpp"

#include "numerics/numerics.hpp"

namespace accel {

maxpool::maxpool(sc_core::sc_module_name name, int I, int Pc, int buffers)
    : sc_module(name), I_(I), Pc_(Pc), G_(I / Pc), NB_(buffers), even_(I), buf_(buffers, Words(I)) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void maxpool::tick() {
  if (!rst_ni.read()) {
    par_ = grp_ = head_ = full_ = 0;
    in_ready_o.write(true);
    row_valid_o.write(false);
    return;
  }
  const bool in_fire = in_valid_i.read() && in_ready_o.read();
  const bool row_fire = row_valid_o.read() && row_ready_i.read();
  counters.tick(full_ > 0 || par_ > 0 || grp_ > 0, in_valid_i.read() && !in_ready_o.read());
  int full = full_;
  if (in_fire) {
    const Words& d = in_data_i.read();
    if (par_ == 0) {
      for (int p = 0; p < Pc_; ++p) even_[grp_ * Pc_ + p] = d[p];
    } else {
      Words& b = buf_[(head_ + full_) % NB_];
      for (int p = 0; p < Pc_; ++p) b[grp_ * Pc_ + p] = lstm::numerics::max_pool2(even_[grp_ * Pc_ + p], d[p]);
    }
    if (++grp_ == G_) {
      grp_ = 0;
      if (par_ == 1) ++full;
      par_ ^= 1;
    }
  }
  if (row_fire) {
    head_ = (head_ + 1) % NB_;
    --full;
  }
  full_ = full;
  in_ready_o.write(par_ == 0 || full_ < NB_);
  row_valid_o.write(full_ > 0);
  row_data_o.write(buf_[head_]);
}

}  // namespace accel
