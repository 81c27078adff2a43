// Arg-max: takes the logits when idle and no result is pending, then
// compares one logit per cycle (strictly greater wins, so a tie keeps the
// lower index), CLASSES - 1 cycles, and offers {class, logits} on the result
// stream (docs/architecture.md, "Arg-max"). All outputs are registers. Same
// ports and timing as sc_model/blocks/argmax.
//
// The best logit so far is kept in a register next to its index, so the
// scan needs one CLASSES-to-1 multiplexer and one comparator.
module argmax #(
  parameter integer CLASSES = 10  // logits per vector
) (
  clk_i,
  rst_ni,
  logit_valid_i,
  logit_ready_o,
  logits_i,
  res_valid_o,
  res_ready_i,
  res_class_o,
  res_logits_o
);
  localparam integer LOGIT_W = 32;                            // logit bits (signed)
  `include "derived/argmax.vh"
  localparam [ARG_IW-1:0] CLASSES_I = CLASSES[ARG_IW-1:0];

  input  wire                       clk_i;          // clock
  input  wire                       rst_ni;         // synchronous reset, active low
  input  wire                       logit_valid_i;  // logits offered by FC
  output reg                        logit_ready_o;  // idle and no result pending
  input  wire [CLASSES*LOGIT_W-1:0] logits_i;       // logit i (signed) at [i*32 +: 32]
  output reg                        res_valid_o;    // result offered
  input  wire                       res_ready_i;    // consumer takes the result
  output reg  [CLASS_W-1:0]         res_class_o;    // index of the first maximum
  output reg  [CLASSES*LOGIT_W-1:0] res_logits_o;   // the scanned logits, as logits_i

  reg                        busy_q;  // scanning
  reg [ARG_IW-1:0]               idx_q;   // next logit to compare
  reg [CLASS_W-1:0]          best_q;  // index of the best logit so far
  reg signed [LOGIT_W-1:0]   bestv_q; // the best logit so far: l[best_q]
  reg [CLASSES*LOGIT_W-1:0]  l_q;     // the logits being scanned

  // l[idx_q] (only used while idx_q < CLASSES).
  reg signed [LOGIT_W-1:0] cur;
  integer n;
  always @* begin
    cur = {LOGIT_W{1'b0}};
    for (n = 0; n < CLASSES; n = n + 1)
      if (idx_q == n[ARG_IW-1:0]) cur = l_q[n*LOGIT_W +: LOGIT_W];
  end

  wire scan = busy_q && idx_q != CLASSES_I;      // compare l[idx] this cycle
  wire better = scan && cur > bestv_q;
  wire [ARG_IW-1:0] idx_d = scan ? idx_q + 1 : idx_q;
  wire done = busy_q && idx_d == CLASSES_I;      // the scan ends on this edge
  wire take = logit_valid_i & logit_ready_o;
  wire res_v = done | (res_valid_o & ~res_ready_i);
  wire busy_d = take | (busy_q & ~done);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      logit_ready_o <= 1'b1;
      res_valid_o <= 1'b0;
      res_class_o <= {CLASS_W{1'b0}};
    end else begin
      if (busy_q) begin
        idx_q <= idx_d;
        if (better) begin
          best_q <= idx_q[CLASS_W-1:0];
          bestv_q <= cur;
        end
        if (done) begin
          res_class_o <= better ? idx_q[CLASS_W-1:0] : best_q;
          res_logits_o <= l_q;
        end
      end
      if (take) begin
        l_q <= logits_i;
        best_q <= {CLASS_W{1'b0}};
        bestv_q <= logits_i[LOGIT_W-1:0];
        idx_q <= 1;
      end
      busy_q <= busy_d;
      res_valid_o <= res_v;
      // A new vector is taken only when the scan and the result slot are free.
      logit_ready_o <= ~busy_d & ~res_v;
    end
  end
endmodule
