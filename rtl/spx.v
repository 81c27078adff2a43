// S-P-SPX_X: serial to parallel for x (docs/architecture.md, "S-P-SPX_X").
// SPX_BUFFERS row buffers of I words; a pixel beat (PIX_PER_BEAT pixels)
// is written at the fill position of buffer (head + full) mod SPX_BUFFERS
// and converted x = p << 5; after I / PIX_PER_BEAT beats the buffer counts
// as full. All outputs are registers: pix_ready_o = full < SPX_BUFFERS,
// row_valid_o = full > 0, row_data_o = buffer[head] (every cycle, valid or
// not, including a beat written into the head buffer on the same edge).
// row_ready_i (the controller's pop) frees the head buffer. Same ports and
// timing as sc_model/blocks/spx.
//
// The buffers keep the 8-bit pixels; the 16-bit words {3'b0, p, 5'b0} are
// formed on the output wires, so the storage is SPX_BUFFERS * I * 8 bits.
// Buffers are not reset (as in the model).
//
// WORDS_IN = 1: the beats carry Q2.13 words (16 bits each), stored and
// offered as they are: a stacked layer's input, the layer below's h_t
// streamed by its S-P-H (SPEC Part B).
module spx #(
  parameter integer I = 28,            // words per row
  parameter integer PIX_PER_BEAT = 1,  // pixels (or words) per input beat, divides I
  parameter integer SPX_BUFFERS = 2,   // row buffers, >= 2
  parameter integer WORDS_IN = 0       // 1: input beats carry Q2.13 words
) (
  clk_i,
  rst_ni,
  pix_valid_i,
  pix_ready_o,
  pix_data_i,
  row_valid_o,
  row_ready_i,
  row_data_o
);
  localparam integer P = PIX_PER_BEAT;
  localparam integer NB = SPX_BUFFERS;
  `include "derived/spx.vh"
  localparam integer XL = SPX_X - 1;
  localparam integer NL = NB - 1;
  localparam [SPX_XW-1:0] X_LAST = XL[SPX_XW-1:0];
  localparam [NB_W-1:0] NB_LAST = NL[NB_W-1:0];
  localparam [NB_FW-1:0] NB_C = NB[NB_FW-1:0];
  localparam integer PW = WORDS_IN != 0 ? 16 : 8;     // bits per stored element
  localparam integer BEAT_B = P * PW;                  // bits per beat
  localparam integer ROW_B = I * PW;                   // bits per buffer

  input  wire              clk_i;        // clock
  input  wire              rst_ni;       // synchronous reset, active low
  input  wire              pix_valid_i;  // pixel beat offered
  output reg               pix_ready_o;  // a buffer has room (full < SPX_BUFFERS)
  input  wire [BEAT_B-1:0] pix_data_i;   // P pixels 0..255 (WORDS_IN: words), element i at [i*PW +: PW]
  output reg               row_valid_o;  // the head buffer holds a full row
  input  wire              row_ready_i;  // pop: the head row is released
  output wire [I*16-1:0]   row_data_o;   // head buffer, word i (x = p << 5, or the word) at [i*16 +: 16]

  reg [NB*ROW_B-1:0] buf_q;  // buffer n at [n*ROW_B +: ROW_B], element i at [i*PW +: PW]
  reg [ROW_B-1:0] row_q;     // elements of row_data_o
  reg [NB_W-1:0] head_q;       // head buffer
  reg [NB_W-1:0] tail_q;       // buffer being filled: (head + full) mod NB
  reg [NB_FW-1:0] full_q;       // full buffers
  reg [SPX_XW-1:0] pos_q;        // next beat within the filled buffer

  wire pix_fire = pix_valid_i & pix_ready_o;
  wire row_fire = row_valid_o & row_ready_i;
  wire row_done = pix_fire && pos_q == X_LAST;  // the beat completes a buffer

  wire [NB_W-1:0] head_inc = head_q == NB_LAST ? {NB_W{1'b0}} : head_q + 1;
  wire [NB_W-1:0] tail_inc = tail_q == NB_LAST ? {NB_W{1'b0}} : tail_q + 1;
  wire [SPX_XW-1:0] pos_inc = pos_q == X_LAST ? {SPX_XW{1'b0}} : pos_q + 1;
  wire [NB_W-1:0] head_d = row_fire ? head_inc : head_q;
  wire [NB_W-1:0] tail_d = row_done ? tail_inc : tail_q;
  wire [SPX_XW-1:0] pos_d = pix_fire ? pos_inc : pos_q;
  wire [NB_FW-1:0] full_d = row_done == row_fire ? full_q : row_done ? full_q + 1 : full_q - 1;

  // Next row_data_o: buffer head_d after this edge's write.
  reg [ROW_B-1:0] row_d;
  integer n, x;
  always @* begin
    row_d = {ROW_B{1'b0}};
    for (n = 0; n < NB; n = n + 1)
      if (head_d == n[NB_W-1:0]) row_d = buf_q[n*ROW_B +: ROW_B];
    if (pix_fire && tail_q == head_d)
      for (x = 0; x < SPX_X; x = x + 1)
        if (pos_q == x[SPX_XW-1:0]) row_d[x*BEAT_B +: BEAT_B] = pix_data_i;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      head_q <= {NB_W{1'b0}};
      tail_q <= {NB_W{1'b0}};
      full_q <= {NB_FW{1'b0}};
      pos_q <= {SPX_XW{1'b0}};
      pix_ready_o <= 1'b1;
      row_valid_o <= 1'b0;
    end else begin
      if (pix_fire)
        for (n = 0; n < NB; n = n + 1)
          for (x = 0; x < SPX_X; x = x + 1)
            if (tail_q == n[NB_W-1:0] && pos_q == x[SPX_XW-1:0])
              buf_q[n*ROW_B + x*BEAT_B +: BEAT_B] <= pix_data_i;
      head_q <= head_d;
      tail_q <= tail_d;
      full_q <= full_d;
      pos_q <= pos_d;
      pix_ready_o <= full_d < NB_C;
      row_valid_o <= full_d != {NB_FW{1'b0}};
      row_q <= row_d;
    end
  end

  genvar gi;
  generate
    for (gi = 0; gi < I; gi = gi + 1) begin : g_word
      if (WORDS_IN != 0) begin : g_w
        assign row_data_o[gi*16 +: 16] = row_q[gi*PW +: PW];
      end else begin : g_p
        assign row_data_o[gi*16 +: 16] = {3'b000, row_q[gi*PW +: PW], 5'b00000};
      end
    end
  endgenerate
endmodule
