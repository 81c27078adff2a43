// FIFO-C: holds c_{t-1} of every hidden row, EWU_LANES words per entry,
// popped and pushed back in row order (docs/architecture.md, "FIFO-C").
// Outputs are registers; a word pushed into an empty FIFO is visible on
// pop_data_o the cycle after the push. Same ports and timing as
// sc_model/blocks/fifo_c.
module fifo_c #(
  parameter integer DEPTH = 4,   // entries: H / EWU_LANES
  parameter integer WIDTH = 7,   // words per entry: EWU_LANES
  parameter integer WORD_W = 16  // bits per word (Q2.13)
) (
  input  wire                      clk_i,         // clock
  input  wire                      rst_ni,        // synchronous reset, active low
  input  wire                      push_valid_i,  // c_t entry offered
  output reg                       push_ready_o,  // not full
  input  wire [WIDTH*WORD_W-1:0]   push_data_i,   // c_t entry, word i at [i*WORD_W +: WORD_W]
  output reg                       pop_valid_o,   // not empty
  input  wire                      pop_ready_i,   // consumer takes the head entry
  output reg  [WIDTH*WORD_W-1:0]   pop_data_o     // head entry
);
  localparam integer AW = DEPTH > 1 ? $clog2(DEPTH) : 1;  // index bits
  localparam integer CW = AW + 1;                          // count 0..DEPTH
  localparam [CW-1:0] DEPTH_C = DEPTH[CW-1:0];

  reg [WIDTH*WORD_W-1:0] mem_q [0:DEPTH-1];
  reg [AW-1:0] head_q;
  reg [CW-1:0] count_q;

  wire push = push_valid_i & push_ready_o;
  wire pop = pop_valid_o & pop_ready_i;

  // Ring-buffer indices without a divider: (head + n) mod DEPTH for n <= DEPTH.
  wire [CW-1:0] wsum = {1'b0, head_q} + count_q;
  wire [CW-1:0] hsum = {1'b0, head_q} + {{AW{1'b0}}, 1'b1};
  /* verilator lint_off UNUSEDSIGNAL */  // the top bit of a wrapped index is 0
  wire [CW-1:0] wsub = wsum - DEPTH_C;
  wire [CW-1:0] hsub = hsum - DEPTH_C;
  /* verilator lint_on UNUSEDSIGNAL */
  wire [AW-1:0] waddr = wsum >= DEPTH_C ? wsub[AW-1:0] : wsum[AW-1:0];
  wire [AW-1:0] head_inc = hsum >= DEPTH_C ? hsub[AW-1:0] : hsum[AW-1:0];
  wire [AW-1:0] head_d = pop ? head_inc : head_q;
  wire [CW-1:0] count_d = count_q + {{AW{1'b0}}, push} - {{AW{1'b0}}, pop};

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      head_q <= {AW{1'b0}};
      count_q <= {CW{1'b0}};
      push_ready_o <= 1'b1;
      pop_valid_o <= 1'b0;
    end else begin
      if (push) mem_q[waddr] <= push_data_i;
      head_q <= head_d;
      count_q <= count_d;
      push_ready_o <= count_d < DEPTH_C;
      pop_valid_o <= count_d != 0;
      pop_data_o <= (push && waddr == head_d) ? push_data_i : mem_q[head_d];
    end
  end
endmodule
