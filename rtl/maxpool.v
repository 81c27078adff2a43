// MaxPool: width 2, stride 2 over the Conv1d/ReLU steps (docs/
// architecture.md, "MaxPool"). Same ports and timing as sc_model/blocks/
// maxpool. The beats of an even step (CH_PER_BEAT words each, channels
// ascending) are kept in the register row `even`; each beat of the
// following odd step writes max(even, odd) (signed) into the row buffer
// being filled, buffer (head + full) mod SPX_BUFFERS. After the odd step's
// last beat that buffer counts as full. A full pooled row (I words, the
// LSTM's x) is offered to the controller with S-P-X's row protocol, so the
// LSTM behind it is unchanged; row_ready_i (the pop) frees the head buffer.
//
// in_ready_o = (next beat belongs to an even step) || full < SPX_BUFFERS,
// row_valid_o = full > 0: registers. row_data_o = buffer[shown_q]: a
// multiplexer of registers selected by a register, so it changes only at
// the clock edge, as the model's registered port (including a beat written
// into the head buffer on the same edge, and while row_valid_o is low).
// shown_q follows head_q except in reset, where the model's port keeps its
// value (head_q resets, shown_q does not): log2(SPX_BUFFERS) flops instead
// of an I-word output register. The row buffers and `even` are not reset
// (as in the model).
module maxpool #(
  parameter integer I = 28,            // words per pooled row (Conv1d output channels)
  parameter integer CH_PER_BEAT = 1,   // words per input beat, divides I
  parameter integer SPX_BUFFERS = 2    // row buffers, >= 2
) (
  clk_i,
  rst_ni,
  in_valid_i,
  in_ready_o,
  in_data_i,
  row_valid_o,
  row_ready_i,
  row_data_o
);
  localparam integer PC = CH_PER_BEAT;
  localparam integer NB = SPX_BUFFERS;
  `include "derived/maxpool.vh"
  localparam integer GL = POOL_G - 1;
  localparam integer NL = NB - 1;
  localparam [POOL_GW-1:0] G_LAST = GL[POOL_GW-1:0];
  localparam [NB_W-1:0] NB_LAST = NL[NB_W-1:0];
  localparam [NB_FW-1:0] NB_C = NB[NB_FW-1:0];
  localparam integer BEAT_B = PC * 16;                 // bits per beat
  localparam integer ROW_B = I * 16;                   // bits per row

  input  wire              clk_i;        // clock
  input  wire              rst_ni;       // synchronous reset, active low
  input  wire              in_valid_i;   // ReLU beat offered
  output reg               in_ready_o;   // even step, or a buffer is free
  input  wire [PC*16-1:0]  in_data_i;    // channel g*PC + i (Q2.13, signed) at [i*16 +: 16]
  output reg               row_valid_o;  // the head buffer holds a pooled row
  input  wire              row_ready_i;  // pop: the head row is released
  output wire [I*16-1:0]   row_data_o;   // head buffer, word i at [i*16 +: 16]

  reg [ROW_B-1:0]    even_q;  // the even step's words, channel c at [c*16 +: 16]
  reg [NB*ROW_B-1:0] buf_q;   // buffer n at [n*ROW_B +: ROW_B]
  reg                par_q;   // the next beat belongs to an odd step
  reg [POOL_GW-1:0]       grp_q;   // channel group of the next beat
  reg [NB_W-1:0]       head_q;  // head buffer
  reg [NB_W-1:0]       tail_q;  // buffer being filled: (head + full) mod NB
  reg [NB_FW-1:0]       full_q;  // full buffers
  reg [NB_W-1:0]       shown_q; // buffer on row_data_o: head_q, held during reset

  wire in_fire = in_valid_i & in_ready_o;
  wire row_fire = row_valid_o & row_ready_i;
  wire step_end = in_fire && grp_q == G_LAST;
  wire row_done = step_end && par_q;  // the beat completes a pooled row

  wire [NB_W-1:0] head_inc = head_q == NB_LAST ? {NB_W{1'b0}} : head_q + 1'b1;
  wire [NB_W-1:0] head_d = row_fire ? head_inc : head_q;
  wire [NB_W-1:0] tail_inc = tail_q == NB_LAST ? {NB_W{1'b0}} : tail_q + 1'b1;
  wire [NB_FW-1:0] full_d = row_done == row_fire ? full_q : row_done ? full_q + 1'b1 : full_q - 1'b1;
  wire par_d = step_end ? !par_q : par_q;

  // max(even, odd) of the beat's words.
  reg [BEAT_B-1:0] evn, mx;
  integer ge, p;
  always @* begin
    evn = {BEAT_B{1'b0}};
    for (ge = 0; ge < POOL_G; ge = ge + 1)
      if (grp_q == ge[POOL_GW-1:0]) evn = even_q[ge*BEAT_B +: BEAT_B];
    for (p = 0; p < PC; p = p + 1)
      mx[p*16 +: 16] = $signed(evn[p*16 +: 16]) > $signed(in_data_i[p*16 +: 16]) ? evn[p*16 +: 16]
                                                                               : in_data_i[p*16 +: 16];
  end

  integer g, n;
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      par_q <= 1'b0;
      grp_q <= {POOL_GW{1'b0}};
      head_q <= {NB_W{1'b0}};
      tail_q <= {NB_W{1'b0}};
      full_q <= {NB_FW{1'b0}};
      in_ready_o <= 1'b1;
      row_valid_o <= 1'b0;
    end else begin
      if (in_fire) begin
        for (g = 0; g < POOL_G; g = g + 1)
          if (grp_q == g[POOL_GW-1:0]) begin
            if (!par_q) even_q[g*BEAT_B +: BEAT_B] <= in_data_i;
            else
              for (n = 0; n < NB; n = n + 1)
                if (tail_q == n[NB_W-1:0]) buf_q[n*ROW_B + g*BEAT_B +: BEAT_B] <= mx;
          end
        grp_q <= grp_q == G_LAST ? {POOL_GW{1'b0}} : grp_q + 1'b1;
      end
      par_q <= par_d;
      head_q <= head_d;
      shown_q <= head_d;
      if (row_done) tail_q <= tail_inc;
      full_q <= full_d;
      in_ready_o <= !par_d || full_d < NB_C;
      row_valid_o <= full_d != {NB_FW{1'b0}};
    end
  end

  // The head buffer.
  reg [ROW_B-1:0] row;
  integer b;
  always @* begin
    row = {ROW_B{1'b0}};
    for (b = 0; b < NB; b = b + 1)
      if (shown_q == b[NB_W-1:0]) row = buf_q[b*ROW_B +: ROW_B];
  end
  assign row_data_o = row;
endmodule
