// Controller: walks the schedule of one image, W(0) U(0) W(1) U(1) ...
// W(T-1) U(T-1), each phase over blocks b = 0..B-1 and beats j, and offers
// one beat per cycle to KMUX (docs/architecture.md, "Controller").
// State registers t, phase, b, j; the beat, its valid and the two pops are
// combinational: beat_valid_o = row_valid_i for a W beat, t == 0 or
// h_valid_i for a U beat; row_pop_o with the last W beat of the last block,
// h_pop_o with the last U beat of the last block for t > 0. A U phase's
// first beat also needs a bank credit: cred_q counts the h vectors started
// and not yet released by S-P-H (h_rel_i pulses), at most 2. Same ports and
// timing as sc_model/blocks/controller.
module controller #(
  parameter integer I = 28,       // input size
  parameter integer H = 28,       // hidden size
  parameter integer T = 28,       // steps per image
  parameter integer C = 7,        // group size
  parameter integer K = 4,        // kept weights per group
  parameter integer LANES = 112,  // MVM lanes
  parameter integer GROUPS = 1    // groups per gate row and beat
) (
  clk_i,
  rst_ni,
  row_valid_i,
  row_pop_o,
  h_valid_i,
  h_pop_o,
  h_rel_i,
  beat_valid_o,
  beat_ready_i,
  beat_o
);
  `include "derived/controller.vh"
  localparam integer TL = T - 1;
  localparam integer BL = B - 1;
  localparam integer WL = WC - 1;
  localparam integer UL = UC - 1;
  localparam [TW-1:0] T_LAST = TL[TW-1:0];
  localparam [BW-1:0] B_LAST = BL[BW-1:0];
  localparam [JW-1:0] WC_LAST = WL[JW-1:0];
  localparam [JW-1:0] UC_LAST = UL[JW-1:0];

  input  wire              clk_i;         // clock
  input  wire              rst_ni;        // synchronous reset, active low
  input  wire              row_valid_i;   // S-P-X holds x_t
  output wire              row_pop_o;     // release x_t (S-P-X row_ready_i)
  input  wire              h_valid_i;     // S-P-H holds h_{t-1}
  output wire              h_pop_o;       // release h_{t-1} (S-P-H vec_pop)
  input  wire              h_rel_i;       // S-P-H released a bank (one pulse per h vector)
  output wire              beat_valid_o;  // a beat is offered
  input  wire              beat_ready_i;  // KMUX takes the beat
  output wire [BEAT_W-1:0] beat_o;        // {last_step, first_step, last, first, beat, block, step, phase}

  reg [TW-1:0] t_q;  // step
  reg          ph_q; // phase: 0 = W, 1 = U
  reg [BW-1:0] b_q;  // block
  reg [JW-1:0] j_q;  // beat within the block's phase
  reg [1:0]    cred_q;  // h vectors started (first U beat) and not yet released, 0..2

  wire first_step = t_q == {TW{1'b0}};
  wire last_step = t_q == T_LAST;
  wire last_b = b_q == B_LAST;
  wire last_j = j_q == (ph_q ? UC_LAST : WC_LAST);
  wire fire = beat_valid_o & beat_ready_i;
  wire end_of_phase = last_b & last_j;
  wire rel = h_rel_i & (cred_q != 2'd0);
  wire start_u = ph_q & (b_q == {BW{1'b0}}) & (j_q == {JW{1'b0}});
  wire [1:0] cred_left = cred_q - {1'b0, rel};  // this edge's release counts

  // Valid depends only on state and on the producers' valids, never on ready.
  assign beat_valid_o = ph_q ? (first_step | h_valid_i) & (~start_u | (cred_left != 2'd2)) : row_valid_i;
  assign beat_o = {last_step, first_step, last_j, j_q == {JW{1'b0}}, j_q, b_q, t_q, ph_q};
  assign row_pop_o = fire & ~ph_q & end_of_phase;
  assign h_pop_o = fire & ph_q & ~first_step & end_of_phase;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      t_q <= {TW{1'b0}};
      ph_q <= 1'b0;
      b_q <= {BW{1'b0}};
      j_q <= {JW{1'b0}};
      cred_q <= 2'd0;
    end else begin
      cred_q <= cred_left + {1'b0, fire & start_u};
      if (fire) begin
        // Advance j, then b, then the phase (W -> U same t, U -> W next t).
        j_q <= last_j ? {JW{1'b0}} : j_q + 1;
        if (last_j) begin
          b_q <= last_b ? {BW{1'b0}} : b_q + 1;
          if (last_b) begin
            ph_q <= ~ph_q;
            if (ph_q) t_q <= last_step ? {TW{1'b0}} : t_q + 1;
          end
        end
      end
    end
  end
endmodule
