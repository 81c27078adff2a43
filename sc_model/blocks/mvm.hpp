// MVM array: L = 4 * R * k * G shift-and-add lanes. Each beat, lane l forms
// mul_log(operand, code) (a shift in sign-magnitude, no multiplier) and an
// adder tree per gate row sums its k*G lanes into that row's accumulator.
// The last W beat of block b parks the W.x sums in the W-partial buffer (so
// W.x of step t+1 runs while h_t is still being computed); the last U beat
// emits W.x + U.h for the block's 4R gate rows (bias and saturation follow
// in the EWU).
#pragma once

#include <systemc>

#include "lstm/arch.hpp"
#include "types.hpp"

namespace accel {

SC_MODULE(mvm) {
  SC_HAS_PROCESS(mvm);

  sc_core::sc_in<bool> clk_i, rst_ni;
  sc_core::sc_in<bool> op_valid_i;
  sc_core::sc_out<bool> op_ready_o;
  sc_core::sc_in<Words> op_data_i;
  sc_core::sc_in<Words> op_code_i;
  sc_core::sc_in<Beat> op_tag_i;
  sc_core::sc_out<bool> acc_valid_o;
  sc_core::sc_in<bool> acc_ready_i;
  sc_core::sc_out<Words> acc_data_o;  // 4R sums, index r*4 + g
  sc_core::sc_out<Beat> acc_tag_o;

  Counters counters;
  bool frozen = false;  // fault injection: the clocked process does nothing
  uint64_t lane_beats = 0;  // beats accepted (each uses all L lanes)

  mvm(sc_core::sc_module_name name, const lstm::ArchConfig& a);

 private:
  void tick();
  void comb();
  const int R_, KG_, B_;
  std::vector<int32_t> acc_;
  std::vector<Words> wpart_;
  Words out_;
};

}  // namespace accel
