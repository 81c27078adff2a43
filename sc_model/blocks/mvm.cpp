#include "mvm.hpp"

#include "numerics/numerics.hpp"

namespace accel {

mvm::mvm(sc_core::sc_module_name name, const lstm::arch::ArchConfig& a)
    : sc_module(name),
      R_(a.rows_per_block()), KG_(a.k * a.mvm_groups), B_(a.blocks()),
      acc_(lstm::formats::kGates * a.rows_per_block(), 0),
      wpart_(a.blocks(), Words(lstm::formats::kGates * a.rows_per_block())),
      out_(lstm::formats::kGates * a.rows_per_block()) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
  SC_METHOD(comb);
  sensitive << acc_valid_o << acc_ready_i;
}

void mvm::comb() { op_ready_o.write(!acc_valid_o.read() || acc_ready_i.read()); }

void mvm::tick() {
  if (!rst_ni.read()) {
    acc_valid_o.write(false);
    return;
  }
  const bool out_v = acc_valid_o.read();
  const bool en = !out_v || acc_ready_i.read();
  const bool fire = op_valid_i.read() && en;
  counters.tick(fire, out_v && !acc_ready_i.read());
  bool new_out = false;
  if (fire) {
    ++lane_beats;
    const Words& op = op_data_i.read();
    const Words& code = op_code_i.read();
    const Beat& tag = op_tag_i.read();
    const int rows = lstm::formats::kGates * R_;
    for (int gr = 0; gr < rows; ++gr) {
      int32_t s = 0;
      for (int l = gr * KG_; l < (gr + 1) * KG_; ++l) s += lstm::numerics::mul_log(op[l], static_cast<uint8_t>(code[l]));
      acc_[gr] = tag.first ? s : acc_[gr] + s;
    }
    if (tag.last) {
      Words& wp = wpart_[tag.block];
      if (tag.phase == kPhaseW) {
        for (int gr = 0; gr < rows; ++gr) wp[gr] = acc_[gr];
      } else {
        for (int gr = 0; gr < rows; ++gr) out_[gr] = acc_[gr] + wp[gr];
        acc_data_o.write(out_);
        acc_tag_o.write(tag);
        new_out = true;
      }
    }
  }
  if (en) acc_valid_o.write(new_out);
}

}  // namespace accel
