// S-P-X: serial-to-parallel of the input. Pixel beats (P pixels each) fill
// a row buffer; a full row (I words, x = p << 5) is offered to the
// controller/KMUX. `buffers` row buffers let the next rows stream in while
// the current row is in use. words_in: the beats carry Q2.13 words (P per
// beat), taken as they are: a stacked layer's input, the layer below's h_t
// streamed by its S-P-H (SPEC Part B).
#pragma once

#include <systemc>

#include "types.hpp"

namespace accel {

SC_MODULE(spx) {
  SC_HAS_PROCESS(spx);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  // Pixel stream in.
  sc_core::sc_in<bool> SC_NAMED(pix_valid_i);
  sc_core::sc_out<bool> SC_NAMED(pix_ready_o);
  sc_core::sc_in<Words> SC_NAMED(pix_data_i);  // P pixels, 0..255 (words_in: P Q2.13 words)
  // Row out (the head buffer).
  sc_core::sc_out<bool> SC_NAMED(row_valid_o);
  sc_core::sc_in<bool> SC_NAMED(row_ready_i);
  sc_core::sc_out<Words> SC_NAMED(row_data_o);  // I words, Q2.13

  Counters counters;

  spx(sc_core::sc_module_name name, int I, int P, int buffers, bool words_in = false);

 private:
  void tick();
  const int I_, P_, NB_;
  const bool words_in_;
  std::vector<Words> buf_;
  int head_ = 0, full_ = 0, pos_ = 0;
};

}  // namespace accel
