// MVM array: L = 4 * R * k * G shift-and-add lanes. Each beat, lane l forms
// mul_log(operand, code) (a shift in sign-magnitude, no multiplier) and an
// adder tree per gate row sums its k*G lanes into that row's accumulator.
// The last W beat of block b parks the W.x sums in the W-partial buffer (so
// W.x of step t+1 runs while h_t is still being computed); the last U beat
// emits W.x + U.h for the block's 4R gate rows (bias and saturation follow
// in the EWU).
#pragma once

#include <systemc>

#include "arch/arch.hpp"
#include "types.hpp"

namespace accel {

SC_MODULE(mvm) {
  SC_HAS_PROCESS(mvm);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(op_valid_i);
  sc_core::sc_out<bool> SC_NAMED(op_ready_o);
  sc_core::sc_in<Words> SC_NAMED(op_data_i);
  sc_core::sc_in<Words> SC_NAMED(op_code_i);
  sc_core::sc_in<Beat> SC_NAMED(op_tag_i);
  sc_core::sc_out<bool> SC_NAMED(acc_valid_o);
  sc_core::sc_in<bool> SC_NAMED(acc_ready_i);
  sc_core::sc_out<Words> SC_NAMED(acc_data_o);  // 4R sums, index r*4 + g
  sc_core::sc_out<Beat> SC_NAMED(acc_tag_o);

  Counters counters;
  uint64_t lane_beats = 0;  // beats accepted (each uses all L lanes)

  mvm(sc_core::sc_module_name name, const lstm::arch::ArchConfig& a);

 private:
  void tick();
  void comb();
  const int R_, KG_, B_;
  std::vector<int32_t> acc_;
  std::vector<Words> wpart_;
  Words out_;
};

}  // namespace accel
