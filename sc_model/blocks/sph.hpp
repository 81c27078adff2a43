// S-P-H: collects h_t from the EWU, E elements per beat, into one of two
// H-word banks. A complete bank is offered to the controller/KMUX as
// h_{t-1} of the next step, or, when it holds the last step's h_T, to the
// FC layer. A bank is written again only after it was released.
// stream (a stacked layer with a layer above, SPEC Part B): each complete
// bank is also streamed out, E words per beat, as the next layer's input
// row; the bank is released once streamed and popped (h_T: once streamed),
// and there is no FC path.
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(sph) {
  SC_HAS_PROCESS(sph);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(h_valid_i);
  sc_core::sc_out<bool> SC_NAMED(h_ready_o);
  sc_core::sc_in<Words> SC_NAMED(h_data_i);  // E words
  sc_core::sc_in<int> SC_NAMED(h_row_i);
  sc_core::sc_in<bool> SC_NAMED(h_last_i);
  sc_core::sc_out<Words> SC_NAMED(vec_o);      // head bank, H words
  sc_core::sc_out<bool> SC_NAMED(vec_valid_o); // head bank complete, an intermediate h
  sc_core::sc_in<bool> SC_NAMED(vec_pop_i);    // controller releases it
  sc_core::sc_out<bool> SC_NAMED(fc_valid_o);  // head bank complete, h_T
  sc_core::sc_in<bool> SC_NAMED(fc_ready_i);
  sc_core::sc_out<bool> SC_NAMED(out_valid_o);  // stream: a beat of the head bank
  sc_core::sc_in<bool> SC_NAMED(out_ready_i);
  sc_core::sc_out<Words> SC_NAMED(out_data_o);  // E words
  sc_core::sc_out<bool> SC_NAMED(rel_o);          // a bank was released on the last edge (controller credit)

  Counters counters;

  sph(sc_core::sc_module_name name, int H, int E, bool stream = false);

 private:
  void tick();
  const int H_, E_;
  const bool stream_;
  Words bank_[2];
  bool final_[2] = {false, false};
  int wb_ = 0, hb_ = 0, full_ = 0;
  int sent_ = 0;         // stream: beats of the head bank sent
  bool popped_ = false;  // stream: the controller released the head bank
};

}  // namespace accel
