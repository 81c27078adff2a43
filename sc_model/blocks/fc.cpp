#include "fc.hpp"

#include "numerics/numerics.hpp"

namespace accel {

fc::fc(sc_core::sc_module_name name, const lstm::arch::ArchConfig& a)
    : sc_module(name),
      classes_(a.classes), c_(a.c), k_(a.k), Gf_(a.fc_groups()), Fb_(a.fc_beats_per_row()),
      h_(a.H), logits_(a.classes) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void fc::tick() {
  if (!rst_ni.read()) {
    busy_ = issuing_ = d_valid_ = false;
    row_i_ = j_i_ = 0;
    h_ready_o.write(true);
    mem_en_o.write(false);
    mem_addr_o.write(0);
    mem_row_o.write(0);
    logit_valid_o.write(false);
    return;
  }
  counters.tick(busy_ && !logit_valid_o.read(), logit_valid_o.read() && !logit_ready_i.read());
  // Accumulate the beat whose ROM word arrived this cycle.
  if (d_valid_) {
    const Words& ent = mem_data_i.read();
    int32_t s = 0;
    for (int gg = 0; gg < Gf_; ++gg)
      for (int e = 0; e < k_; ++e) {
        const int32_t w = ent[gg * k_ + e];
        s += lstm::numerics::int4_value(static_cast<uint8_t>(w & 0xF)) * h_[(j_d_ * Gf_ + gg) * c_ + (w >> 4)];
      }
    acc_ = j_d_ == 0 ? s : acc_ + s;
    if (j_d_ == Fb_ - 1) {
      logits_[row_d_] = static_cast<int32_t>(lstm::numerics::fc_bias(mem_bias_i.read()) + acc_);
      if (row_d_ == classes_ - 1) {
        logits_o.write(logits_);
        logit_valid_o.write(true);
      }
    }
  }
  // The issue stage: the ROM reads the address on the outputs at this edge.
  d_valid_ = issuing_;
  row_d_ = row_i_;
  j_d_ = j_i_;
  if (issuing_) {
    if (++j_i_ == Fb_) {
      j_i_ = 0;
      if (++row_i_ == classes_) {  // done: the address wraps to 0 (in range while en is low)
        row_i_ = 0;
        issuing_ = false;
      }
    }
  }
  if (logit_valid_o.read() && logit_ready_i.read()) {
    logit_valid_o.write(false);
    busy_ = false;
  }
  if (h_valid_i.read() && h_ready_o.read()) {
    h_ = h_i.read();
    busy_ = issuing_ = true;
    row_i_ = j_i_ = 0;
  }
  h_ready_o.write(!busy_);
  mem_en_o.write(issuing_);
  mem_addr_o.write(row_i_ * Fb_ + j_i_);
  mem_row_o.write(row_i_);
}

}  // namespace accel
