// KMUX: for every lane, selects the operand named by the ROM entry's
// in-group idx (a C-to-1 multiplexer per lane) from x_t (W phase) or
// h_{t-1} (U phase; zeros at t = 0) (docs/architecture.md, "KMUX").
// Two stages with a shared stall chain (en2 = !op_valid | op_ready,
// en1 = !v1 | en2, beat_ready_o = en1):
//   1. with the beat entering (and the LSTM ROM read on the same edge,
//      mem_en_o = beat_valid_i & en1), latch the beat tag and the GROUPS*C
//      operands of groups j*GROUPS .. j*GROUPS+GROUPS-1;
//   2. per lane, operand = group[idx], code = entry & 0xF; lane
//      ((r*4 + g)*GROUPS + gg)*K + e reads group slot gg.
// beat_ready_o, mem_en_o and mem_addr_o are combinational; op_* are
// registers. Same ports and timing as sc_model/blocks/kmux.
module kmux #(
  parameter integer I = 28,       // input size
  parameter integer H = 28,       // hidden size
  parameter integer T = 28,       // steps per image (Beat step width)
  parameter integer C = 7,        // group size
  parameter integer K = 4,        // kept weights per group
  parameter integer LANES = 112,  // MVM lanes
  parameter integer GROUPS = 1    // groups per gate row and beat
) (
  clk_i,
  rst_ni,
  beat_valid_i,
  beat_ready_o,
  beat_i,
  x_i,
  h_i,
  mem_en_o,
  mem_addr_o,
  mem_data_i,
  op_valid_o,
  op_ready_i,
  op_data_o,
  op_code_o,
  op_tag_o
);
  `include "derived/kmux.vh"
  localparam integer BWC = B * WC;
  // Beat fields ({last_step, first_step, last, first, beat, block, step, phase}).

  input  wire                  clk_i;         // clock
  input  wire                  rst_ni;        // synchronous reset, active low
  input  wire                  beat_valid_i;  // beat offered by the controller
  output wire                  beat_ready_o;  // stage 1 takes the beat (en1)
  input  wire [BEAT_W-1:0]     beat_i;        // {last_step, first_step, last, first, beat, block, step, phase}
  input  wire [I*16-1:0]       x_i;           // x_t from S-P-X, word i at [i*16 +: 16]
  input  wire [H*16-1:0]       h_i;           // h_{t-1} from S-P-H, word i at [i*16 +: 16]
  output wire                  mem_en_o;      // LSTM ROM read enable
  output wire [LA_W-1:0]     mem_addr_o;    // LSTM ROM address: b*WC + j (W), B*WC + b*UC + j (U)
  input  wire [LANES*ENT_W-1:0] mem_data_i;   // ROM word (a cycle after mem_en_o), lane i {idx, code} at [i*ENT_W +: ENT_W]
  output reg                   op_valid_o;    // lane operands valid (stage 2)
  input  wire                  op_ready_i;    // the MVM array takes them
  output reg  [LANES*16-1:0]   op_data_o;     // lane operands, Q2.13, lane i at [i*16 +: 16]
  output reg  [LANES*4-1:0]    op_code_o;     // lane log codes, lane i at [i*4 +: 4]
  output reg  [BEAT_W-1:0]     op_tag_o;      // the operands' beat

  reg              v1_q;     // stage 1 holds a beat
  reg [BEAT_W-1:0] tag1_q;   // stage 1 beat
  reg [GC*16-1:0]  grp1_q;   // stage 1 operands, slot gg*C + i at [(gg*C + i)*16 +: 16]

  wire en2 = ~op_valid_o | op_ready_i;
  wire en1 = ~v1_q | en2;
  assign beat_ready_o = en1;
  assign mem_en_o = beat_valid_i & en1;

  wire          in_u = beat_i[0];
  wire [BW-1:0] in_b = beat_i[BEAT_BLOCK_LSB +: BW];
  wire [JW-1:0] in_j = beat_i[BEAT_BEAT_LSB +: JW];
  wire          in_first_step = beat_i[BEAT_FS_BIT];

  // ROM address: W b*WC + j, U B*WC + b*UC + j (const_mul: adders, no DSP).
  `include "const_mul.vh"
  /* verilator lint_off UNUSEDSIGNAL */  // the 32-bit sums' bits above LA_W
  wire [31:0] b32 = {{(32 - BW){1'b0}}, in_b};
  wire [31:0] j32 = {{(32 - JW){1'b0}}, in_j};
  wire [31:0] w_addr = const_mul(b32, WC) + j32;
  wire [31:0] u_addr = BWC + const_mul(b32, UC) + j32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign mem_addr_o = in_u ? u_addr[LA_W-1:0] : w_addr[LA_W-1:0];

  // Stage 1: with the beat, groups j*GROUPS .. j*GROUPS+GROUPS-1 of x_t (W)
  // or h_{t-1} (U; zeros at t = 0). Stage 2: valid and tag here, the lane
  // operands and codes below.
  // Groups of x and h indexed by the beat: binary selects (mux trees).
  wire [GC*16-1:0] xs [0:(1 << JW) - 1];
  wire [GC*16-1:0] hs [0:(1 << JW) - 1];
  genvar gb;
  generate
    for (gb = 0; gb < (1 << JW); gb = gb + 1) begin : g_beat
      if (gb < WC) begin : g_x
        assign xs[gb] = x_i[gb*GC*16 +: GC*16];
      end else begin : g_xz
        assign xs[gb] = {GC*16{1'b0}};
      end
      if (gb < UC) begin : g_h
        assign hs[gb] = h_i[gb*GC*16 +: GC*16];
      end else begin : g_hz
        assign hs[gb] = {GC*16{1'b0}};
      end
    end
  endgenerate
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      v1_q <= 1'b0;
      op_valid_o <= 1'b0;
    end else begin
      if (en2) begin
        op_valid_o <= v1_q;
        if (v1_q) op_tag_o <= tag1_q;
      end
      if (en1) begin
        v1_q <= beat_valid_i;
        if (beat_valid_i) begin
          tag1_q <= beat_i;
          grp1_q <= (!in_u) ? xs[in_j] : (!in_first_step) ? hs[in_j] : {GC*16{1'b0}};
        end
      end
    end
  end

  // Stage 2, per lane: operand = slot idx of group (lane / K) % GROUPS,
  // code = entry & 0xF; loaded when stage 2 advances with a beat.
  genvar gl, gc;
  generate
    for (gl = 0; gl < LANES; gl = gl + 1) begin : g_lane
      localparam integer GG = (gl / K) % GROUPS;  // group slot of this lane
      wire [15:0] slot [0:C-1];
      for (gc = 0; gc < C; gc = gc + 1) begin : g_slot
        assign slot[gc] = grp1_q[(GG*C + gc)*16 +: 16];
      end
      wire [IDX_W-1:0] idx = mem_data_i[gl*ENT_W + 4 +: IDX_W];
      always @(posedge clk_i) begin
        if (rst_ni && en2 && v1_q) begin
          op_data_o[gl*16 +: 16] <= slot[idx];
          op_code_o[gl*4 +: 4] <= mem_data_i[gl*ENT_W +: 4];
        end
      end
    end
  endgenerate
endmodule
