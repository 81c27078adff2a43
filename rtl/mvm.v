// MVM array (docs/architecture.md, "MVM array"): LANES = 4*R*K*GROUPS
// shift-and-add lanes. Lane l forms mul_log(op, code) in sign-magnitude
// (magnitude, shift by n, sign; truncating toward zero, no multiplier),
// a 17-bit signed value in [-32768, 32768]. An adder tree per gate row sums
// its K*GROUPS lanes; the row accumulator takes the sum on a first beat and
// adds it otherwise. On the last beat of a block the W phase parks the sums
// in the W-partial buffer (B x 4R words); the U phase puts acc + wpart[b]
// into the output register with the beat tag. op_ready_o is combinational
// (!acc_valid_o | acc_ready_i); acc_* are registers. Same ports and timing
// as sc_model/blocks/mvm.
module mvm #(
  parameter integer I = 28,       // LSTM input size
  parameter integer H = 28,       // hidden size
  parameter integer T = 28,       // steps per image (Beat step width)
  parameter integer C = 7,        // group size
  parameter integer K = 4,        // kept weights per group
  parameter integer LANES = 112,  // shift-add lanes
  parameter integer GROUPS = 1    // groups of C columns per gate row and beat
) (
  clk_i,
  rst_ni,
  op_valid_i,
  op_ready_o,
  op_data_i,
  op_code_i,
  op_tag_i,
  acc_valid_o,
  acc_ready_i,
  acc_data_o,
  acc_tag_o
);
  `include "derived/mvm.vh"
  localparam integer NR = 4 * R;                        // gate rows, index r*4 + g
  // Beat fields ({last_step, first_step, last, first, beat, block, step, phase}).

  input  wire                  clk_i;        // clock
  input  wire                  rst_ni;       // synchronous reset, active low
  input  wire                  op_valid_i;   // lane operands offered by KMUX
  output wire                  op_ready_o;   // the array takes them: !acc_valid_o | acc_ready_i
  input  wire [LANES*16-1:0]   op_data_i;    // lane operands, Q2.13, lane l at [l*16 +: 16]
  input  wire [LANES*4-1:0]    op_code_i;    // lane log codes {sign, n}, lane l at [l*4 +: 4]
  input  wire [BEAT_W-1:0]     op_tag_i;     // {last_step, first_step, last, first, beat, block, step, phase}
  output reg                   acc_valid_o;  // a block's sums offered to the EWU
  input  wire                  acc_ready_i;  // the EWU takes them
  output reg  [NR*ACC_W-1:0]   acc_data_o;   // W.x + U.h, row r*4 + g at [(r*4 + g)*ACC_W +: ACC_W]
  output reg  [BEAT_W-1:0]     acc_tag_o;    // beat tag of the block's last U beat

  wire en = ~acc_valid_o | acc_ready_i;
  wire fire = op_valid_i & en;
  assign op_ready_o = en;

  wire          tag_u = op_tag_i[0];
  wire [BW-1:0] tag_b = op_tag_i[BEAT_BLOCK_LSB +: BW];
  wire          tag_first = op_tag_i[BEAT_FIRST_BIT];
  wire          tag_last = op_tag_i[BEAT_LAST_BIT];

  // mul_log of one lane: s * (|v| >> n), s = -1 if sign(v) xor code[3]:
  // sign-magnitude, truncating toward zero; 17-bit two's complement in
  // [-32768, 32768].
  function [16:0] mul_log;
    input [15:0] v;     // operand, Q2.13
    input [3:0]  code;  // {sign, n}
    reg   [16:0] mag;   // |v| <= 32768
    reg   [16:0] shm;   // |v| >> n
    begin
      mag = v[15] ? -{v[15], v} : {v[15], v};
      shm = mag >> code[2:0];
      mul_log = (v[15] ^ code[3]) ? -shm : shm;
    end
  endfunction

  // The next accumulator of one gate row: its K*GROUPS lane products
  // summed (adder tree), taken on a first beat, added otherwise.
  function [ACC_W-1:0] acc_next;
    input              first;  // first beat of the block's phase
    input [ACC_W-1:0]  acc;    // the row's accumulator
    input [KG*16-1:0]  v;      // the row's lane operands
    input [KG*4-1:0]   code;   // the row's lane codes
    reg   [ACC_W-1:0]  sum;
    reg   [16:0]       p;
    integer e;
    begin
      sum = {ACC_W{1'b0}};
      for (e = 0; e < KG; e = e + 1) begin
        p = mul_log(v[e*16 +: 16], code[e*4 +: 4]);
        sum = sum + {{(ACC_W-17){p[16]}}, p};
      end
      acc_next = first ? sum : acc + sum;
    end
  endfunction

  // Per gate row gr (index r*4 + g, lanes gr*KG .. gr*KG+KG-1): the row
  // accumulator and the row's W-partial words. The lane arithmetic sits in
  // the clocked process (it is only needed when a beat is taken).
  genvar gr;
  generate
    for (gr = 0; gr < NR; gr = gr + 1) begin : g_row
      localparam integer V0 = gr * KG * 16;  // the row's operands in op_data_i
      localparam integer C0 = gr * KG * 4;   // the row's codes in op_code_i
      reg [ACC_W-1:0] acc_q;                 // row accumulator
      reg [ACC_W-1:0] wpart_q [0:B-1];       // W.x of every block

      always @(posedge clk_i) begin
        if (rst_ni && fire) begin
          acc_q <= acc_next(tag_first, acc_q, op_data_i[V0 +: KG*16], op_code_i[C0 +: KG*4]);
          if (tag_last && !tag_u)
            wpart_q[tag_b] <= acc_next(tag_first, acc_q, op_data_i[V0 +: KG*16], op_code_i[C0 +: KG*4]);
          if (tag_last && tag_u)
            acc_data_o[gr*ACC_W +: ACC_W] <= acc_next(tag_first, acc_q, op_data_i[V0 +: KG*16], op_code_i[C0 +: KG*4])
                                             + wpart_q[tag_b];
        end
      end
    end
  endgenerate

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      acc_valid_o <= 1'b0;
    end else begin
      if (fire && tag_last && tag_u) acc_tag_o <= op_tag_i;
      if (en) acc_valid_o <= fire & tag_last & tag_u;
    end
  end
endmodule
