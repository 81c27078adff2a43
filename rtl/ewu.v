// EWU, the element-wise unit (docs/architecture.md, "EWU"): EWU_LANES = E
// lanes, each updating one hidden row per cycle. The input register holds
// one block (4R sums + tag), issued as S = R/E sub-beats of E rows:
//   issue: pop c_{t-1} from FIFO-C (zeros at the first step), read the bias
//          ROM word block*S + s (data the cycle after);
//   B:     holds the sums and c_{t-1};
//   -> C:  a_g = sat16(sum + b_g); i, f, o = hsig, g = ptanh;
//          c_t = sat16(((f*c)>>13) + ((i*g)>>13))   (2 multipliers per lane)
//   -> D:  push c_t to FIFO-C (not at the last step);
//          h_t = (o*ptanh(c_t))>>13                 (1 multiplier per lane)
// Enables: en_d = !h_valid | h_ready, en_c = !c_v | (en_d & (!push |
// cpush_ready)), en_b = !b_v | en_c, issue = in_v & en_b & (first_step |
// cpop_valid). acc_ready_o, cpop_ready_o, cpush_valid_o, bias_en_o and
// bias_addr_o are combinational; the other outputs are registers. Same ports
// and timing as sc_model/blocks/ewu.
module ewu #(
  parameter integer I = 28,         // LSTM input size
  parameter integer H = 28,         // hidden size
  parameter integer T = 28,         // steps per image (Beat step width)
  parameter integer C = 7,          // group size
  parameter integer K = 4,          // kept weights per group
  parameter integer LANES = 112,    // MVM lanes
  parameter integer GROUPS = 1,     // groups per gate row and beat
  parameter integer EWU_LANES = 7   // hidden rows updated per cycle
) (
  clk_i,
  rst_ni,
  acc_valid_i,
  acc_ready_o,
  acc_data_i,
  acc_tag_i,
  cpop_valid_i,
  cpop_ready_o,
  cpop_data_i,
  cpush_valid_o,
  cpush_ready_i,
  cpush_data_o,
  bias_en_o,
  bias_addr_o,
  bias_data_i,
  h_valid_o,
  h_ready_i,
  h_data_o,
  h_row_o,
  h_last_o
);
  localparam integer E = EWU_LANES;
  `include "derived/ewu.vh"
  localparam integer SUB_W = 4 * E * ACC_W;             // sums of one sub-beat
  // Beat fields ({last_step, first_step, last, first, beat, block, step, phase}).
  localparam integer S_LAST_I = S - 1;
  localparam [SW-1:0] S_LAST = S_LAST_I[SW-1:0];

  input  wire                  clk_i;          // clock
  input  wire                  rst_ni;         // synchronous reset, active low
  input  wire                  acc_valid_i;    // a block's sums offered by the MVM array
  output wire                  acc_ready_o;    // the input register takes them
  input  wire [4*R*ACC_W-1:0]  acc_data_i;     // sums, row r*4 + g at [(r*4 + g)*ACC_W +: ACC_W]
  input  wire [BEAT_W-1:0]     acc_tag_i;      // {last_step, first_step, last, first, beat, block, step, phase}
  input  wire                  cpop_valid_i;   // FIFO-C has c_{t-1}
  output wire                  cpop_ready_o;   // pop it (issue of a sub-beat, not at the first step)
  input  wire [E*16-1:0]       cpop_data_i;    // c_{t-1} of E rows, word r at [r*16 +: 16]
  output wire                  cpush_valid_o;  // c_t offered to FIFO-C
  input  wire                  cpush_ready_i;  // FIFO-C takes it
  output reg  [E*16-1:0]       cpush_data_o;   // c_t of E rows, word r at [r*16 +: 16]
  output wire                  bias_en_o;      // bias ROM read enable (the issue)
  output wire [BA_W-1:0]       bias_addr_o;    // bias ROM word block*S + s
  input  wire [4*E*16-1:0]     bias_data_i;    // bias word (a cycle after bias_en_o), b_g of row r at [(r*4 + g)*16 +: 16]
  output reg                   h_valid_o;      // h_t of E rows offered to S-P-H
  input  wire                  h_ready_i;      // S-P-H takes it
  output reg  [E*16-1:0]       h_data_o;       // h_t, word r at [r*16 +: 16]
  output reg  [RW-1:0]         h_row_o;        // hidden row of word 0
  output reg                   h_last_o;       // h of the last step (h_T)

  // ---- Arithmetic (SPEC Part A) ----

  // sat16 of a two's complement (ACC_W+1)-bit value.
  function [15:0] sat16;
    input [ACC_W:0] x;
    begin
      if (!x[ACC_W] && |x[ACC_W-1:15]) sat16 = 16'h7fff;
      else if (x[ACC_W] && !(&x[ACC_W-1:15])) sat16 = 16'h8000;
      else sat16 = x[15:0];
    end
  endfunction

  // hsig(a) = clamp((a >> 2) + 4096, 0, 8192), 0..8192 in 14 bits.
  /* verilator lint_off UNUSEDSIGNAL */  // a >> 2 drops the two low bits of a
  function [13:0] hsig;
    input [15:0] a;
    reg [16:0] v;
    begin
      v = {{3{a[15]}}, a[15:2]} + 17'd4096;
      if (v[16]) hsig = 14'd0;
      else if (v > 17'd8192) hsig = 14'd8192;
      else hsig = v[13:0];
    end
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // Piecewise-linear tanh, breakpoints at +-4096 and +-20480.
  function [15:0] ptanh;
    input [15:0] a;
    reg signed [15:0] sa;
    reg [15:0] q;  // a >> 2 (arithmetic)
    begin
      sa = a;
      q = {{2{a[15]}}, a[15:2]};
      if (sa < -16'sd20480) ptanh = 16'he000;  // -8192
      else if (sa < -16'sd4096) ptanh = q - 16'd3072;
      else if (sa < 16'sd4096) ptanh = a;
      else if (sa < 16'sd20480) ptanh = q + 16'd3072;
      else ptanh = 16'd8192;
    end
  endfunction

  // ---- Control ----

  reg               in_v_q;          // input register holds a block
  reg  [SW-1:0]     s_q;             // next sub-beat
  reg  [BW-1:0]     in_block_q;      // tag fields of the held block
  reg               in_first_step_q;
  reg               in_last_step_q;
  reg  [4*R*ACC_W-1:0] in_data_q;    // the held block's sums
  reg               b_v_q;           // stage B holds a sub-beat
  reg  [SUB_W-1:0]  b_sum_q;         // its sums, row r*4 + g
  reg  [E*16-1:0]   b_cprev_q;       // its c_{t-1}
  reg               b_last_q;        // its last-step flag
  reg  [RW-1:0]     b_row_q;         // its first row
  reg               c_v_q;           // stage C holds a sub-beat
  reg               c_last_q;        // its last-step flag (no push)
  reg  [E*16-1:0]   c_c_q;           // c_t
  reg  [E*14-1:0]   c_o_q;           // o = hsig(a_o), 0..8192
  reg  [RW-1:0]     c_row_q;         // first row

  wire en_d = ~h_valid_o | h_ready_i;
  wire push = c_v_q & ~c_last_q;
  wire en_c = ~c_v_q | (en_d & (~push | cpush_ready_i));
  wire en_b = ~b_v_q | en_c;
  wire issue = in_v_q & en_b & (in_first_step_q | cpop_valid_i);
  wire last_sub = s_q == S_LAST;

  assign acc_ready_o = ~in_v_q | (issue & last_sub);
  assign cpop_ready_o = issue & ~in_first_step_q;
  assign bias_en_o = issue;
  assign cpush_valid_o = c_v_q & ~c_last_q & en_d;

  // bias_addr_o = block*S + s; b_row = block*R + s*E (const_mul: adders, no DSP).
  `include "const_mul.vh"
  /* verilator lint_off UNUSEDSIGNAL */  // the 32-bit sums' bits above BA_W and RW
  wire [31:0] block32 = {{(32 - BW){1'b0}}, in_block_q};
  wire [31:0] s32 = {{(32 - SW){1'b0}}, s_q};
  wire [31:0] bias_addr = const_mul(block32, S) + s32;
  wire [31:0] row32 = const_mul(block32, R) + const_mul(s32, E);
  /* verilator lint_on UNUSEDSIGNAL */
  assign bias_addr_o = bias_addr[BA_W-1:0];
  wire [RW-1:0] row_d = row32[RW-1:0];

  // Sums of sub-beat s_q.
  reg [SUB_W-1:0] sub_d;
  integer k;
  always @* begin
    sub_d = in_data_q[SUB_W-1:0];
    for (k = 1; k < S; k = k + 1)
      if (s_q == k[SW-1:0]) sub_d = in_data_q[k*SUB_W +: SUB_W];
  end

  // ---- Datapath per lane: stage B -> C (cell) and C -> D (h) ----

  wire [E*16-1:0] c_d;  // c_t
  wire [E*14-1:0] o_d;  // hsig(a_o)
  wire [E*16-1:0] h_d;  // h_t
  genvar gr;
  generate
    for (gr = 0; gr < E; gr = gr + 1) begin : g_lane
      // Pre-activations a_g = sat16(sum + b_g), g = i, f, g, o.
      wire [ACC_W-1:0] s_i = b_sum_q[(gr*4 + 0)*ACC_W +: ACC_W];
      wire [ACC_W-1:0] s_f = b_sum_q[(gr*4 + 1)*ACC_W +: ACC_W];
      wire [ACC_W-1:0] s_g = b_sum_q[(gr*4 + 2)*ACC_W +: ACC_W];
      wire [ACC_W-1:0] s_o = b_sum_q[(gr*4 + 3)*ACC_W +: ACC_W];
      wire [15:0] b_i = bias_data_i[(gr*4 + 0)*16 +: 16];
      wire [15:0] b_f = bias_data_i[(gr*4 + 1)*16 +: 16];
      wire [15:0] b_g = bias_data_i[(gr*4 + 2)*16 +: 16];
      wire [15:0] b_o = bias_data_i[(gr*4 + 3)*16 +: 16];
      wire [ACC_W:0] x_i = {s_i[ACC_W-1], s_i} + {{(ACC_W-15){b_i[15]}}, b_i};
      wire [ACC_W:0] x_f = {s_f[ACC_W-1], s_f} + {{(ACC_W-15){b_f[15]}}, b_f};
      wire [ACC_W:0] x_g = {s_g[ACC_W-1], s_g} + {{(ACC_W-15){b_g[15]}}, b_g};
      wire [ACC_W:0] x_o = {s_o[ACC_W-1], s_o} + {{(ACC_W-15){b_o[15]}}, b_o};
      wire [13:0] ig = hsig(sat16(x_i));
      wire [13:0] fg = hsig(sat16(x_f));
      wire [15:0] gg = ptanh(sat16(x_g));
      assign o_d[gr*14 +: 14] = hsig(sat16(x_o));
      wire [15:0] cp = b_cprev_q[gr*16 +: 16];

      // c_t = sat16(((f*c) >> 13) + ((i*g) >> 13)): f*c in [-2^28, 2^28),
      // i*g in [-2^26, 2^26]; bits below 13 are shifted out and the top
      // bits are sign copies.
      /* verilator lint_off UNUSEDSIGNAL */
      wire signed [30:0] fc_p = $signed({1'b0, fg}) * $signed(cp);
      wire signed [30:0] ig_p = $signed({1'b0, ig}) * $signed(gg);
      /* verilator lint_on UNUSEDSIGNAL */
      wire [16:0] csum = {fc_p[28], fc_p[28:13]} + {{2{ig_p[27]}}, ig_p[27:13]};
      assign c_d[gr*16 +: 16] = (csum[16] != csum[15]) ? {csum[16], {15{~csum[16]}}} : csum[15:0];

      // h_t = (o * ptanh(c_t)) >> 13, in [-8192, 8192].
      wire [15:0] pc = ptanh(c_c_q[gr*16 +: 16]);
      /* verilator lint_off UNUSEDSIGNAL */  // shifted-out and sign-copy bits
      wire signed [30:0] h_p = $signed({1'b0, c_o_q[gr*14 +: 14]}) * $signed(pc);
      /* verilator lint_on UNUSEDSIGNAL */
      assign h_d[gr*16 +: 16] = {h_p[27], h_p[27:13]};
    end
  endgenerate

  // ---- Registers ----

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      in_v_q <= 1'b0;
      s_q <= {SW{1'b0}};
      b_v_q <= 1'b0;
      c_v_q <= 1'b0;
      h_valid_o <= 1'b0;
    end else begin
      // D <- C.
      if (en_d) begin
        h_valid_o <= c_v_q & en_c;
        if (c_v_q && en_c) begin
          h_data_o <= h_d;
          h_row_o <= c_row_q;
          h_last_o <= c_last_q;
        end
      end
      // C <- B.
      if (en_c) begin
        c_v_q <= b_v_q;
        if (b_v_q) begin
          c_c_q <= c_d;
          c_o_q <= o_d;
          cpush_data_o <= c_d;
          c_row_q <= b_row_q;
          c_last_q <= b_last_q;
        end
      end
      // B <- issue of sub-beat s.
      if (en_b) begin
        b_v_q <= issue;
        if (issue) begin
          b_sum_q <= sub_d;
          b_cprev_q <= in_first_step_q ? {E*16{1'b0}} : cpop_data_i;
          b_last_q <= in_last_step_q;
          b_row_q <= row_d;
        end
      end
      // Input register and sub-beat counter.
      if (issue) s_q <= last_sub ? {SW{1'b0}} : s_q + {{(SW-1){1'b0}}, 1'b1};
      if (acc_valid_i && acc_ready_o) begin
        in_v_q <= 1'b1;
        in_data_q <= acc_data_i;
        in_block_q <= acc_tag_i[BEAT_BLOCK_LSB +: BW];
        in_first_step_q <= acc_tag_i[BEAT_FS_BIT];
        in_last_step_q <= acc_tag_i[BEAT_LS_BIT];
      end else if (issue && last_sub) begin
        in_v_q <= 1'b0;
      end
    end
  end

  // Tag fields the EWU does not use (step, phase, beat, first, last).
  wire unused_tag = ^{acc_tag_i[BEAT_BLOCK_LSB-1:0], acc_tag_i[BEAT_FS_BIT-1:BEAT_BLOCK_LSB+BW]};
endmodule
