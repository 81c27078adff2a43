// Conv1d: the CNN front end's convolution, kernel 3, padding 1 (docs/
// architecture.md, "Conv1d"). Same ports and timing as sc_model/blocks/conv1d.
//
// Pixel beats (PIX_PER_BEAT pixels; WORDS_IN = 1: Q2.13 words, used as x
// unchanged) fill a line buffer of 4 image rows: the 3-row window of the step being computed plus the row streaming in. Output
// step t of an image needs rows t-1, t, t+1 (zero outside the image); it
// starts once row min(t+1, CONV_STEPS-1) is complete. Each beat, the CONV_LANES
// multipliers take CONV_LC taps of CONV_PC output channels; a channel takes CONV_J beats.
// Pipeline, one stall signal for all stages (en = !out_valid_o || out_ready_i):
//   edge 1 (issue): weight/bias ROM read (synchronous), the lanes' taps latched;
//   edge 2: products w * x (16x16 signed, registered: the DSP multipliers);
//   edge 3: channel sums accumulated; on a channel's last beat out_data_o
//           takes sat16((acc >>> 13) + b) for its CONV_PC channels.
// Registers: pix_ready_o = (rows held) < 4, out_valid_o, out_data_o.
//
// Lane l of beat j multiplies weight word g*CONV_J + j, lane l (conv_rom.mem)
// by tap q = j*CONV_LC + l % CONV_LC of channel p = l / CONV_LC: kernel position
// kk = q / CNN_IN (row t + kk - 1), input column ci = q % CNN_IN. The
// window {row t+1, row t, row t-1} is one vector with tap q at [q*PW +: PW],
// so each lane selects among CONV_J fixed taps (no selection when CONV_J = 1).
//
// Row bookkeeping in modular counters: wrow_q = rows_in mod 4 (the row being
// written), srow_q = (global step) mod 4 (row t of the next issue), used_q =
// rows written and not yet released (0..4). Released: row t-1 after step t
// (t >= 1), and row CONV_STEPS-1 after step CONV_STEPS-1 too. So rows_in - (global step of
// the next issue) = used_q - (t_q >= 1), which decides issue_ok.
//
// The ROMs are loaded from ROM_DIR (or the plusarg +rom_dir=DIR in a
// Verilated simulation): conv_rom.mem (CONV_G*CONV_J words of CONV_LANES Q2.13
// weights) and convb_rom.mem (CONV_G words of CONV_PC biases), as `lstmsim rtl-gen`
// writes them. Line buffer, stage data, accumulators and out_data_o are
// not reset (as in the model).
module conv1d #(
  parameter integer CNN_IN = 28,       // input channels (image columns)
  parameter integer I = 28,            // output channels (the LSTM's I)
  parameter integer T = 14,            // pooled steps; image rows CONV_STEPS = 2T
  parameter integer CONV_LANES = 84,   // multipliers; divides or is a multiple of 3*CNN_IN
  parameter integer PIX_PER_BEAT = 1,  // pixels per input beat, divides CNN_IN
  parameter integer WORDS_IN = 0,      // 1: input beats carry Q2.13 words (the design's INPUT_WORDS)
  parameter ROM_DIR = "rom"            // directory of conv_rom.mem, convb_rom.mem
) (
  clk_i,
  rst_ni,
  pix_valid_i,
  pix_ready_o,
  pix_data_i,
  out_valid_o,
  out_ready_i,
  out_data_o
);
  localparam integer P = PIX_PER_BEAT;
  localparam integer L = CONV_LANES;
  localparam integer CI = CNN_IN;
  `include "derived/conv1d.vh"
  localparam integer PW = WORDS_IN != 0 ? 16 : 8;      // bits per input element
  localparam integer ROW_B = CI * PW;                   // input bits per image row
  localparam integer BEAT_B = P * PW;                   // input bits per beat
  localparam integer XL = CONV_X - 1;
  localparam integer JL = CONV_J - 1;
  localparam integer GL = CONV_G - 1;
  localparam integer TL = CONV_STEPS - 1;
  localparam integer DL = CONV_DEPTH - 1;
  localparam [CONV_XW-1:0] X_LAST = XL[CONV_XW-1:0];
  localparam [CONV_JW-1:0] J_LAST = JL[CONV_JW-1:0];
  localparam [CONV_GW-1:0] G_LAST = GL[CONV_GW-1:0];
  localparam [CONV_TW-1:0] T_LAST = TL[CONV_TW-1:0];
  localparam [CONV_DW-1:0] D_LAST = DL[CONV_DW-1:0];

  input  wire              clk_i;        // clock
  input  wire              rst_ni;       // synchronous reset, active low
  input  wire              pix_valid_i;  // pixel beat offered
  output reg               pix_ready_o;  // the line buffer has a free row (rows held < 4)
  input  wire [BEAT_B-1:0] pix_data_i;   // P pixels 0..255 (WORDS_IN: words), element i at [i*PW +: PW]
  output reg               out_valid_o;  // CONV_PC pre-activations of one step offered
  input  wire              out_ready_i;  // ReLU takes them
  output reg  [CONV_PC*16-1:0]  out_data_o;   // channel g*CONV_PC + i (Q2.13, signed) at [i*16 +: 16]

  reg [L*16-1:0] rom_w [0:CONV_DEPTH-1];  // weight word g*CONV_J + j, lane l at [l*16 +: 16]
  reg [CONV_PC*16-1:0] rom_b [0:CONV_G-1];     // bias word g, channel g*CONV_PC + i at [i*16 +: 16]

`ifdef VERILATOR
  reg [8*1024-1:0] dir;
  initial begin
    /* verilator lint_off WIDTH */  // a string parameter into a wide register
    if (!$value$plusargs("rom_dir=%s", dir)) dir = ROM_DIR;
    /* verilator lint_on WIDTH */
    $readmemh({dir, "/conv_rom.mem"}, rom_w);
    $readmemh({dir, "/convb_rom.mem"}, rom_b);
  end
`else
  initial begin
    $readmemh({ROM_DIR, "/conv_rom.mem"}, rom_w);
    $readmemh({ROM_DIR, "/convb_rom.mem"}, rom_b);
  end
`endif

  // Line buffer and row bookkeeping.
  reg [4*ROW_B-1:0] lb_q;  // row slot n at [n*ROW_B +: ROW_B], element c at [c*PW +: PW]
  reg [1:0]    wrow_q;     // slot of the row being written (rows_in mod 4)
  reg [CONV_XW-1:0] pos_q;      // next beat within that row
  reg [2:0]    used_q;     // complete rows not yet released, 0..4
  reg [1:0]    srow_q;     // slot of row t of the next issue
  reg [CONV_TW-1:0] t_q;        // step of the next issue
  reg [CONV_GW-1:0] g_q;        // channel group of the next issue
  reg [CONV_JW-1:0] j_q;        // beat of the next issue
  reg [CONV_DW-1:0] waddr_q;    // weight ROM word of the next issue: g*CONV_J + j
  reg          issue_ok_q; // the next issue's rows are complete
  // Stage 1: taps, ROM words, flags.
  reg              v1_q, first1_q, last1_q;
  reg [L*16-1:0]   x1_q;   // lane l's x (p << 5, or the word) at [l*16 +: 16]
  reg [L*16-1:0]   w1_q;   // lane l's weight
  reg [CONV_PC*16-1:0]  b1_q;   // the group's biases
  // Stage 2: products.
  reg              v2_q, first2_q, last2_q;
  reg [L*32-1:0]   prod2_q;  // lane l's product (signed) at [l*32 +: 32]
  reg [CONV_PC*16-1:0]  b2_q;
  // Stage 3: accumulators.
  reg [CONV_PC*CONV_AW-1:0]  acc_q;  // channel i's sum (signed) at [i*CONV_AW +: CONV_AW]

  wire en = !out_valid_o || out_ready_i;
  wire pix_fire = pix_valid_i && pix_ready_o;
  wire issue = issue_ok_q && en;
  wire j_end = j_q == J_LAST;
  wire g_end = j_end && g_q == G_LAST;
  wire step_done = issue && g_end;               // the issue ends step t
  wire row_done = pix_fire && pos_q == X_LAST;   // the beat completes a row
  wire t_first = t_q == {CONV_TW{1'b0}};
  wire t_end = t_q == T_LAST;
  // Rows released when step t is done: row t-1 (t >= 1) and row CONV_STEPS-1 (t = CONV_STEPS-1).
  wire [2:0] freed = step_done ? {2'b00, !t_first} + {2'b00, t_end} : 3'd0;
  wire [CONV_TW-1:0] t_d = step_done ? (t_end ? {CONV_TW{1'b0}} : t_q + 1'b1) : t_q;
  wire [2:0] used_d = used_q + {2'b00, row_done} - freed;
  // rows_in - (global step of the next issue) > (t < CONV_STEPS-1 ? 1 : 0).
  wire [2:0] ahead_d = used_d - {2'b00, t_d != {CONV_TW{1'b0}}};
  wire issue_ok_d = t_d == T_LAST ? ahead_d >= 3'd1 : ahead_d >= 3'd2;

  // The window of the next issue: {row t+1, row t, row t-1}, rows outside
  // the image zero; tap q = kk*CI + ci at [q*PW +: PW].
  // Each row is a 4:1 multiplexer over the slots, written as a loop of
  // constant part-selects: `lb_q[slot*ROW_B +: ROW_B]` makes yosys build a
  // shifter over all 4*ROW_B bits when ROW_B is not a power of two (28
  // columns: some 4,000 LUTs more, docs/rtl.md).
  wire [1:0] slot_m = srow_q - 2'd1;
  wire [1:0] slot_p = srow_q + 2'd1;
  reg [ROW_B-1:0] row_m, row_0, row_p;  // rows t-1, t, t+1 as stored
  integer rs;
  always @* begin
    row_m = {ROW_B{1'b0}};
    row_0 = {ROW_B{1'b0}};
    row_p = {ROW_B{1'b0}};
    for (rs = 0; rs < 4; rs = rs + 1) begin
      if (slot_m == rs[1:0]) row_m = lb_q[rs*ROW_B +: ROW_B];
      if (srow_q == rs[1:0]) row_0 = lb_q[rs*ROW_B +: ROW_B];
      if (slot_p == rs[1:0]) row_p = lb_q[rs*ROW_B +: ROW_B];
    end
  end
  wire [3*ROW_B-1:0] win = {t_end ? {ROW_B{1'b0}} : row_p, row_0, t_first ? {ROW_B{1'b0}} : row_m};

  // Each lane's tap for beat j_q.
  reg [L*16-1:0] x1_d;
  reg [15:0] tap;
  integer l, jj;
  always @* begin
    x1_d = {L*16{1'b0}};
    tap = 16'd0;
    for (l = 0; l < L; l = l + 1)
      for (jj = 0; jj < CONV_J; jj = jj + 1)
        if (j_q == jj[CONV_JW-1:0]) begin
          tap = 16'd0;
          tap[PW-1:0] = win[(jj * CONV_LC + l % CONV_LC)*PW +: PW];
          x1_d[l*16 +: 16] = WORDS_IN != 0 ? tap : {tap[10:0], 5'b00000};  // a word, or p << 5
        end
  end

  // Stage 3: channel sums, accumulators, and the output values.
  reg [CONV_PC*CONV_AW-1:0] acc_d;
  reg [CONV_PC*16-1:0] out_d;
  reg signed [CONV_AW-1:0] sum, acc_n, shifted;
  integer p, k;
  always @* begin
    acc_d = acc_q;
    out_d = out_data_o;
    for (p = 0; p < CONV_PC; p = p + 1) begin
      sum = {CONV_AW{1'b0}};
      for (k = 0; k < CONV_LC; k = k + 1)
        sum = sum + $signed({{(CONV_AW-32){prod2_q[(p*CONV_LC + k)*32 + 31]}}, prod2_q[(p*CONV_LC + k)*32 +: 32]});
      acc_n = $signed(first2_q ? {CONV_AW{1'b0}} : acc_q[p*CONV_AW +: CONV_AW]) + sum;
      acc_d[p*CONV_AW +: CONV_AW] = acc_n;
      // All operands signed: >>> is arithmetic.
      shifted = (acc_n >>> 13) + $signed({{(CONV_AW-16){b2_q[p*16 + 15]}}, b2_q[p*16 +: 16]});
      if (shifted > 32767) out_d[p*16 +: 16] = 16'h7fff;
      else if (shifted < -32768) out_d[p*16 +: 16] = 16'h8000;
      else out_d[p*16 +: 16] = shifted[15:0];
    end
  end

  integer m, n, x;
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      wrow_q <= 2'd0;
      pos_q <= {CONV_XW{1'b0}};
      used_q <= 3'd0;
      srow_q <= 2'd0;
      t_q <= {CONV_TW{1'b0}};
      g_q <= {CONV_GW{1'b0}};
      j_q <= {CONV_JW{1'b0}};
      waddr_q <= {CONV_DW{1'b0}};
      issue_ok_q <= 1'b0;
      v1_q <= 1'b0;
      v2_q <= 1'b0;
      pix_ready_o <= 1'b1;
      out_valid_o <= 1'b0;
    end else begin
      if (en) begin
        // Edge 3.
        if (v2_q) begin
          acc_q <= acc_d;
          if (last2_q) out_data_o <= out_d;
        end
        out_valid_o <= v2_q && last2_q;
        // Edge 2.
        v2_q <= v1_q;
        if (v1_q) begin
          for (m = 0; m < L; m = m + 1)
            prod2_q[m*32 +: 32] <= $signed(w1_q[m*16 +: 16]) * $signed(x1_q[m*16 +: 16]);
          b2_q <= b1_q;
          first2_q <= first1_q;
          last2_q <= last1_q;
        end
        // Edge 1: issue one beat.
        v1_q <= issue;
        if (issue) begin
          w1_q <= rom_w[waddr_q];
          b1_q <= rom_b[g_q];
          x1_q <= x1_d;
          first1_q <= j_q == {CONV_JW{1'b0}};
          last1_q <= j_end;
          j_q <= j_end ? {CONV_JW{1'b0}} : j_q + 1'b1;
          if (j_end) g_q <= g_q == G_LAST ? {CONV_GW{1'b0}} : g_q + 1'b1;
          waddr_q <= waddr_q == D_LAST ? {CONV_DW{1'b0}} : waddr_q + 1'b1;
        end
      end
      if (step_done) srow_q <= srow_q + 2'd1;
      t_q <= t_d;
      if (pix_fire)
        for (n = 0; n < 4; n = n + 1)
          for (x = 0; x < CONV_X; x = x + 1)
            if (wrow_q == n[1:0] && pos_q == x[CONV_XW-1:0])
              lb_q[n*ROW_B + x*BEAT_B +: BEAT_B] <= pix_data_i;
      if (pix_fire) pos_q <= pos_q == X_LAST ? {CONV_XW{1'b0}} : pos_q + 1'b1;
      if (row_done) wrow_q <= wrow_q + 2'd1;
      used_q <= used_d;
      pix_ready_o <= used_d < 3'd4;
      issue_ok_q <= issue_ok_d;
    end
  end
endmodule
