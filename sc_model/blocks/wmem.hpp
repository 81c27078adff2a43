// Weight memories: ROMs initialised from the model directory, banked so that
// every MVM lane gets its (idx, code) entry each cycle. Synchronous read:
// data appears the cycle after en, and holds while en is low (BRAM output
// register semantics).
//
// LSTM ROM word at address a (W words first, then U words):
//   a <  B*Wc: W phase, block b = a / Wc, beat j = a % Wc
//   a >= B*Wc: U phase, same with Uc
// lane ((r*4 + g)*G + gg)*k + e of the word = entry (j*G + gg)*k + e of row
// b*R + r of matrix W_g (or U_g), as (idx << 4) | code.
// Bias ROM word q: b_g[q*E + r] at index r*4 + g (r < E).
// FC ROM word at (row*Fb + j): entries (j*Gf + gg)*k + e of W_fc row `row`.
#pragma once

#include <systemc>

#include "arch/arch.hpp"
#include "formats/model.hpp"
#include "types.hpp"

namespace accel {

SC_MODULE(wmem) {
  SC_HAS_PROCESS(wmem);

  sc_core::sc_in<bool> SC_NAMED(clk_i);
  sc_core::sc_in<bool> SC_NAMED(lstm_en_i);
  sc_core::sc_in<int> SC_NAMED(lstm_addr_i);
  sc_core::sc_out<Words> SC_NAMED(lstm_data_o);
  sc_core::sc_in<bool> SC_NAMED(bias_en_i);
  sc_core::sc_in<int> SC_NAMED(bias_addr_i);
  sc_core::sc_out<Words> SC_NAMED(bias_data_o);
  sc_core::sc_in<bool> SC_NAMED(fc_en_i);
  sc_core::sc_in<int> SC_NAMED(fc_addr_i);
  sc_core::sc_in<int> SC_NAMED(fc_row_i);
  sc_core::sc_out<Words> SC_NAMED(fc_data_o);
  sc_core::sc_out<int> SC_NAMED(fcb_data_o);

  wmem(sc_core::sc_module_name name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a);


  // Rebuilds every ROM image from `m` (same dimensions as the config; throws
  // lstm::formats::InputError otherwise). For the host interface's weight commit:
  // call between inferences, the new contents are read from the next edge.
  void load(const lstm::formats::Model& m);

 private:
  void tick();
  const lstm::arch::ArchConfig arch_;
  std::vector<Words> lstm_, bias_, fc_;
  std::vector<int> fcb_;
};

}  // namespace accel
