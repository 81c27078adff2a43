// Conv1d: the CNN front end's convolution (docs/architecture.md, "Conv1d").
// Pixel beats (P pixels; with the config's input_words, P Q2.13 words,
// used as x unchanged) fill a line buffer of 4 image rows: the 3-row
// window of the step being computed plus the row streaming in. Output step
// t of an image needs rows t-1, t, t+1 (zero outside the image); it starts
// once row min(t+1, T_in-1) is complete. Each beat, the conv_lanes
// multipliers take Lc taps of Pc output channels; a channel takes J beats.
// Pipeline, one stall signal for all stages (en = !out_valid || out_ready):
//   edge 1 (issue): weight ROM read (synchronous), the lanes' taps latched;
//   edge 2: products w * x (the DSP multipliers, registered);
//   edge 3: channel sums accumulated; on a channel's last beat the output
//           register takes sat16((acc >> 13) + b) for its Pc channels.
// The weight and bias ROMs are inside the block (no other block reads them).
#pragma once

#include <systemc>

#include "arch/arch.hpp"
#include "formats/model.hpp"
#include "types.hpp"

namespace accel {

SC_MODULE(conv1d) {
  SC_HAS_PROCESS(conv1d);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  // Pixel stream in.
  sc_core::sc_in<bool> SC_NAMED(pix_valid_i);
  sc_core::sc_out<bool> SC_NAMED(pix_ready_o);
  sc_core::sc_in<Words> SC_NAMED(pix_data_i);  // P pixels, 0..255 (input_words: P Q2.13 words)
  // Pre-activations out: Pc channels of one step, steps in order, channels
  // ascending.
  sc_core::sc_out<bool> SC_NAMED(out_valid_o);
  sc_core::sc_in<bool> SC_NAMED(out_ready_i);
  sc_core::sc_out<Words> SC_NAMED(out_data_o);  // Pc words, Q2.13

  Counters counters;
  uint64_t lane_beats = 0;  // beats issued (all conv_lanes multipliers each)

  conv1d(sc_core::sc_module_name name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a);
  // Replaces the ROM contents (between inferences only).
  void load(const lstm::formats::Model& m);

  static constexpr int kLineRows = 4;

 private:
  void tick();
  const lstm::arch::ArchConfig arch_;
  const int CI_, TI_, P_, L_, Pc_, Lc_, J_, G_;
  std::vector<Words> rom_w_, rom_b_;
  std::vector<std::vector<int32_t>> lb_;  // line buffer: kLineRows rows of CI inputs x (Q2.13)
  uint64_t rows_in_ = 0, rows_free_ = 0;  // complete rows written / released (global)
  int pos_ = 0;                           // pixels of the row being filled
  uint64_t n_ = 0;                        // image of the next issue
  int t_ = 0, g_ = 0, j_ = 0;             // step, channel group, beat of the next issue
  bool issue_ok_ = false;                 // the next issue's rows are complete
  // Stage 1: taps and flags; the ROM word read at the same edge.
  bool v1_ = false, first1_ = false, last1_ = false;
  Words x1_, w1_, b1_;
  // Stage 2: products.
  bool v2_ = false, first2_ = false, last2_ = false;
  std::vector<int64_t> prod2_;
  Words b2_;
  std::vector<int64_t> acc_;
  Words out_;
};

}  // namespace accel
