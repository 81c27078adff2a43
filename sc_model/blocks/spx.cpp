#include "spx.hpp"

#include "numerics/numerics.hpp"

namespace accel {

spx::spx(sc_core::sc_module_name name, int I, int P, int buffers, bool words_in)
    : sc_module(name), I_(I), P_(P), NB_(buffers), words_in_(words_in), buf_(buffers, Words(I)) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void spx::tick() {
  if (!rst_ni.read()) {
    head_ = full_ = pos_ = 0;
    pix_ready_o.write(true);
    row_valid_o.write(false);
    return;
  }
  const bool pix_fire = pix_valid_i.read() && pix_ready_o.read();
  const bool row_fire = row_valid_o.read() && row_ready_i.read();
  // Stalled: the stream offers a beat S-P-X cannot take (all buffers full).
  counters.tick(full_ > 0 || pos_ > 0, pix_valid_i.read() && !pix_ready_o.read());
  int full = full_;
  if (pix_fire) {
    Words& b = buf_[(head_ + full_) % NB_];
    const Words& px = pix_data_i.read();
    for (int i = 0; i < P_; ++i)
      b[pos_ + i] = words_in_ ? px[i] : lstm::numerics::pixel_to_word(static_cast<uint8_t>(px[i]));
    pos_ += P_;
    if (pos_ == I_) {
      pos_ = 0;
      ++full;
    }
  }
  if (row_fire) {
    head_ = (head_ + 1) % NB_;
    --full;
  }
  full_ = full;
  pix_ready_o.write(full_ < NB_);
  row_valid_o.write(full_ > 0);
  row_data_o.write(buf_[head_]);
}

}  // namespace accel
