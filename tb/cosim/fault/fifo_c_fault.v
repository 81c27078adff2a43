// Test-only fault for the cosimulation self-test (tb/cosim, variant
// fifo_c fault): fifo_c with bit 0 of pop_data_o inverted whenever the
// FIFO is full (not empty and not ready), the same registered timing
// as the entry it corrupts.
module fifo_c_fault #(
  parameter integer DEPTH = 4,
  parameter integer WIDTH = 7,
  parameter integer WORD_W = 16
) (
  input  wire                    clk_i,
  input  wire                    rst_ni,
  input  wire                    push_valid_i,
  output wire                    push_ready_o,
  input  wire [WIDTH*WORD_W-1:0] push_data_i,
  output wire                    pop_valid_o,
  input  wire                    pop_ready_i,
  output wire [WIDTH*WORD_W-1:0] pop_data_o
);
  wire [WIDTH*WORD_W-1:0] data;
  fifo_c #(.DEPTH(DEPTH), .WIDTH(WIDTH), .WORD_W(WORD_W)) u_fifo (
    .clk_i, .rst_ni, .push_valid_i, .push_ready_o, .push_data_i, .pop_valid_o, .pop_ready_i, .pop_data_o(data)
  );
  assign pop_data_o = {data[WIDTH*WORD_W-1:1], data[0] ^ (pop_valid_o & ~push_ready_o)};
endmodule
