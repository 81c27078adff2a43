// S-P-H (docs/architecture.md, "S-P-H"): collects h_t from the EWU,
// EWU_LANES = E words per beat, into one of two banks of H words. The beat
// ending at row H completes the write bank (and records the last-step
// flag); a complete bank is offered as vec_valid_o (h_{t-1} for the
// controller/KMUX, released by a one-cycle vec_pop_i) or, when it holds
// h_T, as fc_valid_o to FC. vec_o is the head bank. All outputs are
// registers. Rows arrive as multiples of E (the EWU's sub-beats). Same
// ports and timing as sc_model/blocks/sph.
module sph #(
  parameter integer H = 28,        // hidden size
  parameter integer EWU_LANES = 7  // words per EWU beat
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
  fc_ready_i
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

  reg [H*16-1:0] bank0_q, bank1_q;  // the two banks
  reg [1:0]      final_q;           // bank holds h_T
  reg            wb_q;              // write bank
  reg            hb_q;              // head bank
  reg [1:0]      full_q;            // complete banks, 0..2

  wire in = h_valid_i & h_ready_o;
  wire out = (vec_valid_o & vec_pop_i) | (fc_valid_o & fc_ready_i);
  wire done = in & (h_row_i == LAST_ROW);

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

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      wb_q <= 1'b0;
      hb_q <= 1'b0;
      full_q <= 2'd0;
      final_q <= 2'b00;
      h_ready_o <= 1'b1;
      vec_valid_o <= 1'b0;
      fc_valid_o <= 1'b0;
    end else begin
      bank0_q <= bank0_d;
      bank1_q <= bank1_d;
      final_q <= final_d;
      wb_q <= wb_q ^ done;
      hb_q <= hb_d;
      full_q <= full_d;
      h_ready_o <= full_d != 2'd2;
      vec_valid_o <= (full_d != 2'd0) & ~final_d[hb_d];
      fc_valid_o <= (full_d != 2'd0) & final_d[hb_d];
      vec_o <= hb_d ? bank1_d : bank0_d;
    end
  end
endmodule
