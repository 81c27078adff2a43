// Controller: walks the schedule of one image, W(0) U(0) W(1) U(1) ...
// W(T-1) U(T-1), each phase over blocks b = 0..B-1 and beats j, and offers
// one beat per cycle to KMUX. A W(t) beat needs row x_t in S-P-X; a U(t)
// beat (t > 0) needs h_{t-1} complete in S-P-H. The row and the h vector are
// released with the last beat that uses them. A U phase starts only when
// S-P-H will have a bank for the vector it produces: a credit count of the
// vectors started and not yet released by S-P-H (h_rel_i), at most 2 (for
// t > 0 the bank order already implies it; at t = 0 it keeps a layer whose
// S-P-H is still streaming or waiting for FC from stalling its EWU).
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(controller) {
  SC_HAS_PROCESS(controller);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(row_valid_i);   // S-P-X holds x_t
  sc_core::sc_out<bool> SC_NAMED(row_pop_o);    // release x_t (S-P-X row_ready)
  sc_core::sc_in<bool> SC_NAMED(h_valid_i);     // S-P-H holds h_{t-1}
  sc_core::sc_out<bool> SC_NAMED(h_pop_o);      // release h_{t-1}
  sc_core::sc_in<bool> SC_NAMED(h_rel_i);       // S-P-H released a bank (one pulse per h vector)
  sc_core::sc_out<bool> SC_NAMED(beat_valid_o);
  sc_core::sc_in<bool> SC_NAMED(beat_ready_i);
  sc_core::sc_out<Beat> SC_NAMED(beat_o);

  Counters counters;

  controller(sc_core::sc_module_name name, int T, int blocks, int w_beats, int u_beats);

 private:
  void tick();
  void comb();
  const int T_, B_, Wc_, Uc_;
  // State (registers).
  sc_core::sc_signal<int> t_q{"t_q", 0}, phase_q{"phase_q", 0}, b_q{"b_q", 0}, j_q{"j_q", 0};
  sc_core::sc_signal<int> cred_q{"cred_q", 0};  // h vectors started, not yet released (0..2)
};

}  // namespace accel
