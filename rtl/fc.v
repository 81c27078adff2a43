// FC, the fully connected layer on h_T (docs/architecture.md, "FC"). Takes
// h_T from S-P-H when idle, then reads the FC ROM at row*FC_FB + j for rows
// 0..CLASSES-1 and beats j = 0..FC_FB-1, one word per cycle (issue). The cycle
// after a read (accumulate), FC_LANES multipliers form q * h[col] with the
// 4-bit two's complement q of every {idx, q} entry and col = (j*FC_GF + gg)*C
// + idx (word gg*C + idx of h_q, rotated by j beats), and the row accumulator
// takes (j = 0) or adds their sum; after the last beat of a row, logit =
// (b << 3) + acc. After the last row all logits go out together; the next
// h_T is taken once they left. All outputs are registers. Same ports and
// timing as sc_model/blocks/fc.
module fc #(
  parameter integer H = 28,         // hidden size (h_T words)
  parameter integer C = 7,          // group size
  parameter integer K = 4,          // kept weights per group
  parameter integer CLASSES = 10,   // FC rows (logits)
  parameter integer FC_LANES = 4    // multipliers: entries per ROM word
) (
  clk_i,
  rst_ni,
  h_valid_i,
  h_ready_o,
  h_i,
  mem_en_o,
  mem_addr_o,
  mem_row_o,
  mem_data_i,
  mem_bias_i,
  logit_valid_o,
  logit_ready_i,
  logits_o
);
  `include "derived/fc.vh"
  localparam integer LOGIT_W = 32;
  // |q * h| <= 2^18: (H/C)*K of them per row, exact.
  localparam integer FB_LAST_I = FC_FB - 1;
  localparam integer ROW_LAST_I = CLASSES - 1;
  localparam [FC_JW-1:0] FB_LAST = FB_LAST_I[FC_JW-1:0];
  localparam [CLASS_W-1:0] ROW_LAST = ROW_LAST_I[CLASS_W-1:0];

  input  wire                       clk_i;          // clock
  input  wire                       rst_ni;         // synchronous reset, active low
  input  wire                       h_valid_i;      // h_T offered by S-P-H
  output reg                        h_ready_o;      // FC idle: takes h_T
  input  wire [H*16-1:0]            h_i;            // h_T, word i at [i*16 +: 16]
  output reg                        mem_en_o;       // FC ROM read enable
  output reg  [FA_W-1:0]            mem_addr_o;     // FC ROM address row*FC_FB + j (0 when idle)
  output reg  [CLASS_W-1:0]            mem_row_o;      // row of the address (selects the bias)
  input  wire [FC_LANES*ENT_W-1:0]  mem_data_i;     // ROM word (a cycle after mem_en_o), entry n {idx, q} at [n*ENT_W +: ENT_W]
  input  wire [15:0]                mem_bias_i;     // b_fc[row], Q2.13
  output reg                        logit_valid_o;  // logits offered to arg-max
  input  wire                       logit_ready_i;  // arg-max takes them
  output reg  [CLASSES*LOGIT_W-1:0] logits_o;       // logit j at [j*32 +: 32], units of 2^-16

  // mem_en_o, mem_row_o and !h_ready_o are the issue stage's "issuing",
  // "row" and "busy" registers.
  reg [FC_JW-1:0]              j_i_q;     // issue: next beat
  reg                       d_valid_q; // accumulate: a ROM word arrives
  reg [CLASS_W-1:0]            row_d_q;   // its row
  reg [FC_JW-1:0]              j_d_q;     // its beat
  reg [FC_ACC_W-1:0]          acc_q;     // row accumulator
  reg [H*16-1:0]            h_q;       // h_T
  reg [CLASSES*LOGIT_W-1:0] logits_q;  // logits of the rows done

  // h_q rotates by one beat's groups (FC_GF*C words) with every ROM word
  // accumulated, so the groups of the beat being accumulated are always at
  // words 0..FC_GF*C-1 and h_q is back in place after each row. A lane
  // picks among its group's C words only: no select over the beats before
  // the multiplier (docs/rtl.md, "FC's rotating h").
  localparam integer ROT_W = FC_GF * C * 16;  // bits a beat consumes
  wire [H*16-1:0] h_next;  // h_q rotated by one beat
  generate
    if (FC_FB > 1) begin : g_rot
      assign h_next = {h_q[ROT_W-1:0], h_q[H*16-1:ROT_W]};
    end else begin : g_norot
      assign h_next = h_q;
    end
  endgenerate

  // Lanes: q * h[(j*FC_GF + gg)*C + idx] = q * h_q[gg*C + idx], lane n = gg*K + e.
  wire [FC_LANES*20-1:0] prod;  // lane n at [n*20 +: 20], two's complement
  genvar gn, gx;
  generate
    for (gn = 0; gn < FC_LANES; gn = gn + 1) begin : g_lane
      localparam integer GG = gn / K;
      wire [3:0]       q = mem_data_i[gn*ENT_W +: 4];
      wire [IDX_W-1:0] idx = mem_data_i[gn*ENT_W + 4 +: IDX_W];
      wire [15:0] cand [0:(1 << IDX_W) - 1];  // the group's words, padded with zeros
      for (gx = 0; gx < (1 << IDX_W); gx = gx + 1) begin : g_x
        if (gx < C) begin : g_in
          assign cand[gx] = h_q[(GG*C + gx)*16 +: 16];
        end else begin : g_zero
          assign cand[gx] = 16'd0;
        end
      end
      wire [15:0] hv = cand[idx];
      wire signed [19:0] p = $signed(q) * $signed(hv);
      assign prod[gn*20 +: 20] = p;
    end
  endgenerate

  reg [FC_ACC_W-1:0] bsum;  // sum of the beat's products
  reg [19:0]       pn;
  integer n;
  always @* begin
    bsum = {FC_ACC_W{1'b0}};
    for (n = 0; n < FC_LANES; n = n + 1) begin
      pn = prod[n*20 +: 20];
      bsum = bsum + {{(FC_ACC_W-20){pn[19]}}, pn};
    end
  end
  wire [FC_ACC_W-1:0]  acc_d = (j_d_q == {FC_JW{1'b0}}) ? bsum : acc_q + bsum;
  wire [LOGIT_W-1:0] logit = {{(LOGIT_W-19){mem_bias_i[15]}}, mem_bias_i, 3'b000}
                           + {{(LOGIT_W-FC_ACC_W){acc_d[FC_ACC_W-1]}}, acc_d};
  // The logits with this row's written in.
  reg [CLASSES*LOGIT_W-1:0] logits_d;
  integer cl;
  always @* begin
    logits_d = logits_q;
    for (cl = 0; cl < CLASSES; cl = cl + 1)
      if (row_d_q == cl[CLASS_W-1:0]) logits_d[cl*LOGIT_W +: LOGIT_W] = logit;
  end

  // Issue stage next state.
  wire take = h_valid_i & h_ready_o;
  wire release_ = logit_valid_o & logit_ready_i;
  wire beat_last = j_i_q == FB_LAST;
  wire row_last = mem_row_o == ROW_LAST;
  wire busy_d = take | (~h_ready_o & ~release_);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      d_valid_q <= 1'b0;
      j_i_q <= {FC_JW{1'b0}};
      h_ready_o <= 1'b1;
      mem_en_o <= 1'b0;
      mem_addr_o <= {FA_W{1'b0}};
      mem_row_o <= {CLASS_W{1'b0}};
      logit_valid_o <= 1'b0;
    end else begin
      // Accumulate the beat whose ROM word arrived this cycle.
      if (d_valid_q) begin
        acc_q <= acc_d;
        h_q <= h_next;
        if (j_d_q == FB_LAST) begin
          logits_q <= logits_d;
          if (row_d_q == ROW_LAST) begin
            logits_o <= logits_d;
            logit_valid_o <= 1'b1;
          end
        end
      end
      // Issue: the ROM reads the address on the outputs at this edge.
      d_valid_q <= mem_en_o;
      row_d_q <= mem_row_o;
      j_d_q <= j_i_q;
      if (release_) logit_valid_o <= 1'b0;
      h_ready_o <= ~busy_d;
      if (take) begin
        h_q <= h_i;
        j_i_q <= {FC_JW{1'b0}};
        mem_en_o <= 1'b1;
        mem_addr_o <= {FA_W{1'b0}};
        mem_row_o <= {CLASS_W{1'b0}};
      end else if (mem_en_o) begin
        j_i_q <= beat_last ? {FC_JW{1'b0}} : j_i_q + {{(FC_JW-1){1'b0}}, 1'b1};
        if (beat_last) begin
          mem_row_o <= row_last ? {CLASS_W{1'b0}} : mem_row_o + {{(CLASS_W-1){1'b0}}, 1'b1};
          if (row_last) mem_en_o <= 1'b0;
        end
        mem_addr_o <= (beat_last && row_last) ? {FA_W{1'b0}} : mem_addr_o + {{(FA_W-1){1'b0}}, 1'b1};
      end
    end
  end
endmodule
