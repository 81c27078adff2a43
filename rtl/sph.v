// S-P-H (docs/architecture.md, "S-P-H"): collects h_t from the EWU,
// EWU_LANES = E words per beat, into one of two banks of H words. The beat
// ending at row H completes the write bank (and records the last-step
// flag); a complete bank is offered as vec_valid_o (h_{t-1} for the
// controller/KMUX, released by a one-cycle vec_pop_i) or, when it holds
// h_T, as fc_valid_o to FC. vec_o is the head bank. All outputs are
// registers. Rows arrive as multiples of E (the EWU's sub-beats). Same
// ports and timing as sc_model/blocks/sph.
//
// STREAM = 1 (a stacked layer with a layer above, SPEC Part B): the head
// bank is also streamed out, E words per beat (out_*), as the next
// layer's input row; it is released once streamed and popped (h_T: once
// streamed), and fc_valid_o stays low. STREAM = 0: out_valid_o stays low.
module sph #(
  parameter integer H = 28,        // hidden size
  parameter integer EWU_LANES = 7,  // words per EWU beat
  parameter integer STREAM = 0      // 1: stream each bank to the next layer
) (
  clk_i,
  rst_ni,
  h_valid_i,
  h_ready_o,
  h_data_i,
  h_row_i,
  h_last_i,
  vec_o,
  vec_valid_o,
  vec_pop_i,
  fc_valid_o,
  fc_ready_i,
  out_valid_o,
  out_ready_i,
  out_data_o,
  rel_o
);
  localparam integer E = EWU_LANES;
  `include "derived/sph.vh"
  localparam integer LAST_ROW_I = H - E;
  localparam [RW-1:0] LAST_ROW = LAST_ROW_I[RW-1:0];

  input  wire              clk_i;        // clock
  input  wire              rst_ni;       // synchronous reset, active low
  input  wire              h_valid_i;    // h_t of E rows offered by the EWU
  output reg               h_ready_o;    // taken: fewer than 2 complete banks
  input  wire [E*16-1:0]   h_data_i;     // h_t, word r at [r*16 +: 16] is row h_row_i + r
  input  wire [RW-1:0]     h_row_i;      // row of word 0 (a multiple of E)
  input  wire              h_last_i;     // h of the last step (h_T)
  output reg  [H*16-1:0]   vec_o;        // head bank, row i at [i*16 +: 16]
  output reg               vec_valid_o;  // head bank complete, an intermediate h
  input  wire              vec_pop_i;    // the controller releases it
  output reg               fc_valid_o;   // head bank complete, h_T
  input  wire              fc_ready_i;   // FC takes it
  // Stream to the next layer (STREAM = 1).
  output reg               out_valid_o;  // a beat of the head bank offered
  input  wire              out_ready_i;  // the next layer's S-P-X takes it
  output reg  [E*16-1:0]   out_data_o;   // head bank rows sent*E .. sent*E + E - 1
  // Bank credit to the controller.
  output reg               rel_o;        // a bank was released on the last edge

  reg [H*16-1:0] bank0_q, bank1_q;  // the two banks
  reg [1:0]      final_q;           // bank holds h_T
  reg            wb_q;              // write bank
  reg            hb_q;              // head bank
  reg [1:0]      full_q;            // complete banks, 0..2
  reg [SPH_SW-1:0] sent_q;          // STREAM: beats of the head bank sent
  reg            popped_q;          // STREAM: the controller released the head bank

  localparam [SPH_SW-1:0] BEATS = EWU_BEATS[SPH_SW-1:0];
  localparam [SPH_SW-1:0] ONE = 1;
  wire in = h_valid_i & h_ready_o;
  wire pop = vec_valid_o & vec_pop_i;
  wire send = out_valid_o & out_ready_i;
  wire done = in & (h_row_i == LAST_ROW);
  // The head bank is never the write bank when it can be released, so
  // final_q[hb_q] is not the flag this edge writes.
  wire [SPH_SW-1:0] sent_n = send ? sent_q + ONE : sent_q;
  wire popped_n = popped_q | pop;
  wire out = STREAM != 0 ? (sent_n == BEATS) & (popped_n | final_q[hb_q])
                         : pop | (fc_valid_o & fc_ready_i);
  wire [SPH_SW-1:0] sent_d = out ? {SPH_SW{1'b0}} : sent_n;
  wire popped_d = ~out & popped_n;

  // Next bank contents: the beat lands at rows h_row_i .. h_row_i + E - 1.
  wire [H*16-1:0] bank0_d, bank1_d;
  genvar gq;
  generate
    for (gq = 0; gq < EWU_BEATS; gq = gq + 1) begin : g_slot
      localparam integer ROW_I = gq * E;
      localparam [RW-1:0] ROW = ROW_I[RW-1:0];
      wire hit = in & (h_row_i == ROW);
      assign bank0_d[gq*E*16 +: E*16] = (hit & ~wb_q) ? h_data_i : bank0_q[gq*E*16 +: E*16];
      assign bank1_d[gq*E*16 +: E*16] = (hit & wb_q) ? h_data_i : bank1_q[gq*E*16 +: E*16];
    end
  endgenerate

  reg [1:0] final_d;
  always @* begin
    final_d = final_q;
    if (done) final_d[wb_q] = h_last_i;
  end
  wire       hb_d = hb_q ^ out;
  wire [1:0] full_d = full_q + {1'b0, done} - {1'b0, out};

  // Next out_data_o: beat sent_d of the next head bank (0 when all sent).
  wire [H*16-1:0] head_d = hb_d ? bank1_d : bank0_d;
  reg [E*16-1:0] out_d;
  integer q;
  always @* begin
    out_d = {E*16{1'b0}};
    for (q = 0; q < EWU_BEATS; q = q + 1)
      if (sent_d == q[SPH_SW-1:0]) out_d = head_d[q*E*16 +: E*16];
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      wb_q <= 1'b0;
      hb_q <= 1'b0;
      full_q <= 2'd0;
      final_q <= 2'b00;
      sent_q <= {SPH_SW{1'b0}};
      popped_q <= 1'b0;
      h_ready_o <= 1'b1;
      vec_valid_o <= 1'b0;
      fc_valid_o <= 1'b0;
      out_valid_o <= 1'b0;
      rel_o <= 1'b0;
    end else begin
      bank0_q <= bank0_d;
      bank1_q <= bank1_d;
      final_q <= final_d;
      wb_q <= wb_q ^ done;
      hb_q <= hb_d;
      full_q <= full_d;
      sent_q <= sent_d;
      popped_q <= popped_d;
      rel_o <= out;
      h_ready_o <= full_d != 2'd2;
      vec_valid_o <= (full_d != 2'd0) & ~final_d[hb_d] & ~popped_d;
      fc_valid_o <= STREAM == 0 && (full_d != 2'd0) && final_d[hb_d];
      out_valid_o <= STREAM != 0 && (full_d != 2'd0) && sent_d != BEATS;
      out_data_o <= out_d;
      vec_o <= head_d;
    end
  end
endmodule
