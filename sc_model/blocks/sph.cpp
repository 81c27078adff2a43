#include "sph.hpp"

namespace accel {

sph::sph(sc_core::sc_module_name name, int H, int E, bool stream)
    : sc_module(name), H_(H), E_(E), stream_(stream) {
  bank_[0] = bank_[1] = Words(H);
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void sph::tick() {
  if (!rst_ni.read()) {
    wb_ = hb_ = full_ = sent_ = 0;
    popped_ = final_[0] = final_[1] = false;
    h_ready_o.write(true);
    vec_valid_o.write(false);
    fc_valid_o.write(false);
    out_valid_o.write(false);
    rel_o.write(false);
    return;
  }
  const bool in = h_valid_i.read() && h_ready_o.read();
  const bool pop = vec_valid_o.read() && vec_pop_i.read();
  const bool fc = fc_valid_o.read() && fc_ready_i.read();
  const bool send = out_valid_o.read() && out_ready_i.read();
  counters.tick(in || full_ > 0, (fc_valid_o.read() && !fc_ready_i.read()) || (out_valid_o.read() && !out_ready_i.read()));
  const int beats = H_ / E_;
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
  // The head bank is never the write bank when it can be released (full_ > 0
  // then means wb_ != hb_), so final_[hb_] is not the flag `in` just wrote.
  bool out = pop || fc;
  if (stream_) {
    sent_ += send;
    popped_ = popped_ || pop;
    out = sent_ == beats && (popped_ || final_[hb_]);
  }
  if (out) {
    hb_ ^= 1;
    --full;
    sent_ = 0;
    popped_ = false;
  }
  full_ = full;
  rel_o.write(out);
  h_ready_o.write(full_ < 2);
  vec_valid_o.write(full_ > 0 && !final_[hb_] && !popped_);
  fc_valid_o.write(!stream_ && full_ > 0 && final_[hb_]);
  out_valid_o.write(stream_ && full_ > 0 && sent_ < beats);
  Words o(E_);
  for (int r = 0; r < E_ && sent_ < beats; ++r) o[r] = bank_[hb_][sent_ * E_ + r];
  out_data_o.write(o);
  vec_o.write(bank_[hb_]);
}

}  // namespace accel
