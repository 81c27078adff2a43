// FC: the fully connected layer on h_T. Takes h_T from S-P-H, then for each
// class row reads Fb = (H/c)/Gf ROM words of Gf*k (idx, q) entries, selects
// h[col] per lane (KMUX style), multiplies by the 4-bit q (fc_lanes
// multipliers) and accumulates; logit = (b << 3) + sum. Pipeline: issue
// (ROM read) -> accumulate; after the last row the logits go out together.
#pragma once

#include <systemc>

#include "arch/arch.hpp"
#include "types.hpp"

namespace accel {

SC_MODULE(fc) {
  SC_HAS_PROCESS(fc);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(h_valid_i);
  sc_core::sc_out<bool> SC_NAMED(h_ready_o);
  sc_core::sc_in<Words> SC_NAMED(h_i);  // h_T, H words
  // FC ROM port.
  sc_core::sc_out<bool> SC_NAMED(mem_en_o);
  sc_core::sc_out<int> SC_NAMED(mem_addr_o);
  sc_core::sc_out<int> SC_NAMED(mem_row_o);
  sc_core::sc_in<Words> SC_NAMED(mem_data_i);  // Gf*k entries
  sc_core::sc_in<int> SC_NAMED(mem_bias_i);    // b_fc[row]
  // Logits out.
  sc_core::sc_out<bool> SC_NAMED(logit_valid_o);
  sc_core::sc_in<bool> SC_NAMED(logit_ready_i);
  sc_core::sc_out<Words> SC_NAMED(logits_o);  // classes words, units of 2^-16

  Counters counters;

  fc(sc_core::sc_module_name name, const lstm::arch::ArchConfig& a);

 private:
  void tick();
  const int classes_, c_, k_, Gf_, Fb_;
  bool busy_ = false, issuing_ = false, d_valid_ = false;
  int row_i_ = 0, j_i_ = 0, row_d_ = 0, j_d_ = 0;
  int32_t acc_ = 0;
  Words h_, logits_;
};

}  // namespace accel
