// ReLU: max(0, v) on each of the CH_PER_BEAT words of a Conv1d beat, in one
// pipeline register (docs/architecture.md, "ReLU"). Same ports and timing as
// sc_model/blocks/relu. in_ready_o = !out_valid_o || out_ready_i
// (combinational): the register takes a new beat when it is empty or being
// read. out_valid_o, out_data_o are registers; out_data_o is not reset.
module relu #(
  parameter integer CH_PER_BEAT = 1  // words per beat (Conv1d's channels per beat)
) (
  clk_i,
  rst_ni,
  in_valid_i,
  in_ready_o,
  in_data_i,
  out_valid_o,
  out_ready_i,
  out_data_o
);
  localparam integer PC = CH_PER_BEAT;

  input  wire             clk_i;        // clock
  input  wire             rst_ni;       // synchronous reset, active low
  input  wire             in_valid_i;   // Conv1d beat offered
  output wire             in_ready_o;   // the register is empty or being read
  input  wire [PC*16-1:0] in_data_i;    // word i (Q2.13, signed) at [i*16 +: 16]
  output reg              out_valid_o;  // beat offered to MaxPool
  input  wire             out_ready_i;  // MaxPool takes it
  output reg  [PC*16-1:0] out_data_o;   // word i = max(0, in word i) at [i*16 +: 16]

  assign in_ready_o = !out_valid_o || out_ready_i;

  // A negative word (sign bit set) becomes 0.
  reg [PC*16-1:0] out_d;
  integer p;
  always @* begin
    for (p = 0; p < PC; p = p + 1)
      out_d[p*16 +: 16] = in_data_i[p*16 + 15] ? 16'd0 : in_data_i[p*16 +: 16];
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      out_valid_o <= 1'b0;
    end else if (in_ready_o) begin
      out_valid_o <= in_valid_i;
      if (in_valid_i) out_data_o <= out_d;
    end
  end
endmodule
