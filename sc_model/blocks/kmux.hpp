// KMUX: for every lane, selects the operand named by the entry's in-group
// idx (a c-to-1 multiplexer per lane) from x_t (W phase) or h_{t-1} (U
// phase; zeros at t = 0). Two pipeline stages:
//   stage 1 (with the weight ROM read): latch the beat and the G groups of
//            c operands it addresses;
//   stage 2: per lane, operand = group[idx], code = entry & 0xF.
// A stage advances when the next one is free or advancing (valid/ready).
#pragma once

#include <systemc>

#include "arch/arch.hpp"
#include "types.hpp"

namespace accel {

SC_MODULE(kmux) {
  SC_HAS_PROCESS(kmux);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(beat_valid_i);
  sc_core::sc_out<bool> SC_NAMED(beat_ready_o);
  sc_core::sc_in<Beat> SC_NAMED(beat_i);
  sc_core::sc_in<Words> SC_NAMED(x_i);  // x_t (I words), from S-P-X
  sc_core::sc_in<Words> SC_NAMED(h_i);  // h_{t-1} (H words), from S-P-H
  // LSTM weight ROM port.
  sc_core::sc_out<bool> SC_NAMED(mem_en_o);
  sc_core::sc_out<int> SC_NAMED(mem_addr_o);
  sc_core::sc_in<Words> SC_NAMED(mem_data_i);  // L entries (idx << 4 | code)
  // Lane operands to the MVM array.
  sc_core::sc_out<bool> SC_NAMED(op_valid_o);
  sc_core::sc_in<bool> SC_NAMED(op_ready_i);
  sc_core::sc_out<Words> SC_NAMED(op_data_o);  // L operands, Q2.13
  sc_core::sc_out<Words> SC_NAMED(op_code_o);  // L log codes
  sc_core::sc_out<Beat> SC_NAMED(op_tag_o);

  Counters counters;

  kmux(sc_core::sc_module_name name, const lstm::arch::ArchConfig& a);

 private:
  void tick();
  void comb();
  const int c_, k_, G_, L_, Wc_, Uc_, B_;
  sc_core::sc_signal<bool> v1_q{"v1_q", false};
  Beat tag1_;
  Words grp1_;
  Words ops2_, codes2_;
  std::vector<int> slot_;  // per lane: offset of its group slot in grp1_
};

}  // namespace accel
