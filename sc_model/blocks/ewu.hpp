// EWU (element-wise unit): E lanes, each updating one hidden row per cycle.
// A block of R rows (4R sums from the MVM array) is held in the input
// register and issued as R/E sub-beats. Pipeline per sub-beat:
//   issue: pop c_{t-1} from FIFO-C (zeros at t = 0), read the bias ROM;
//   B:     a_g = sat16(sum + b_g); i, f, o = hsig, g = ptanh;
//          c_t = sat16(((f*c)>>13) + ((i*g)>>13))     (2 DSP products)
//   C:     push c_t to FIFO-C (not at the last step);
//          h_t = (o * ptanh(c_t)) >> 13              (1 DSP product)
//   D:     h_t out to S-P-H (E words, first row index, last-step flag).
#pragma once

#include <systemc>

#include "arch/arch.hpp"
#include "types.hpp"

namespace accel {

SC_MODULE(ewu) {
  SC_HAS_PROCESS(ewu);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(acc_valid_i);
  sc_core::sc_out<bool> SC_NAMED(acc_ready_o);
  sc_core::sc_in<Words> SC_NAMED(acc_data_i);
  sc_core::sc_in<Beat> SC_NAMED(acc_tag_i);
  // FIFO-C pop (c_{t-1}) and push (c_t).
  sc_core::sc_in<bool> SC_NAMED(cpop_valid_i);
  sc_core::sc_out<bool> SC_NAMED(cpop_ready_o);
  sc_core::sc_in<Words> SC_NAMED(cpop_data_i);
  sc_core::sc_out<bool> SC_NAMED(cpush_valid_o);
  sc_core::sc_in<bool> SC_NAMED(cpush_ready_i);
  sc_core::sc_out<Words> SC_NAMED(cpush_data_o);
  // Bias ROM port.
  sc_core::sc_out<bool> SC_NAMED(bias_en_o);
  sc_core::sc_out<int> SC_NAMED(bias_addr_o);
  sc_core::sc_in<Words> SC_NAMED(bias_data_i);  // 4E words, index r*4 + g
  // h_t out.
  sc_core::sc_out<bool> SC_NAMED(h_valid_o);
  sc_core::sc_in<bool> SC_NAMED(h_ready_i);
  sc_core::sc_out<Words> SC_NAMED(h_data_o);  // E words
  sc_core::sc_out<int> SC_NAMED(h_row_o);     // row of h_data_o[0]
  sc_core::sc_out<bool> SC_NAMED(h_last_o);   // h of the last step (h_T)

  Counters counters;

  ewu(sc_core::sc_module_name name, const lstm::arch::ArchConfig& a);

 private:
  void tick();
  void comb();
  const int R_, E_, S_;  // S = R/E sub-beats per block
  // Input register.
  sc_core::sc_signal<bool> in_v_q{"in_v_q", false};
  sc_core::sc_signal<int> s_q{"s_q", 0};
  sc_core::sc_signal<Beat> in_tag_q{"in_tag_q"};
  Words in_data_;
  // Stage B.
  sc_core::sc_signal<bool> b_v_q{"b_v_q", false};
  Words b_sum_, b_cprev_;
  Beat b_tag_;
  int b_row_ = 0;
  // Stage C.
  sc_core::sc_signal<bool> c_v_q{"c_v_q", false};
  sc_core::sc_signal<bool> c_last_q{"c_last_q", false};
  Words c_c_, c_o_;
  int c_row_ = 0;
  // Combinational enables, shared by comb() and tick().
  struct Enables {
    bool en_d, en_c, en_b, issue, last_sub;
  };
  Enables enables() const;
};

}  // namespace accel
