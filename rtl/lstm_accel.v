// lstm_accel: the one-layer accelerator top. Pixel stream in, {class,
// logits} stream out, weight ROMs from ROM images (lstmsim rtl-gen). Its
// datapath is lstm_layer (the blocks and wiring of the netlist table);
// CNN_IN > 0 puts the Conv1d -> ReLU -> MaxPool front end in S-P-X's place
// (see cnn_lstm_accel). Stacked models: lstm_stack.
module lstm_accel #(
  parameter integer I = 28,             // LSTM input size (pixels per row)
  parameter integer H = 28,             // hidden size
  parameter integer T = 28,             // steps (rows per image)
  parameter integer CLASSES = 10,       // classes
  parameter integer C = 7,              // top-k group size
  parameter integer K = 4,              // kept entries per group
  parameter integer LANES = 112,        // MVM lanes
  parameter integer GROUPS = 1,         // groups per gate row per cycle
  parameter integer EWU_LANES = 7,      // EWU lanes
  parameter integer FC_LANES = 4,       // FC multipliers
  parameter integer PIX_PER_BEAT = 1,   // pixels per input beat
  parameter integer SPX_BUFFERS = 2,    // S-P-X (or MaxPool) row buffers
  parameter integer CNN_IN = 0,         // Conv1d input channels (image columns); 0: no CNN front end
  parameter integer CONV_LANES = 0,     // Conv1d multipliers (with CNN_IN > 0)
  parameter integer INPUT_WORDS = 0,    // 1: the input stream carries Q2.13 words (IDX 0x0B), 16 bits each
  parameter ROM_DIR = "rom",            // ROM image directory
  // Derived from the parameters above (generated; never override).
  `include "derived/lstm_accel.vh"
  parameter integer LOGIT_W = 32,
  parameter integer PIX_W = INPUT_WORDS != 0 ? 16 : 8  // bits per input element
) (
  input  wire                          clk_i,         // clock
  input  wire                          rst_ni,        // synchronous reset, active low
  input  wire                          pix_valid_i,   // pixel beat offered
  output wire                          pix_ready_o,   // pixel beat taken
  input  wire [PIX_PER_BEAT*PIX_W-1:0] pix_data_i,    // pixels (INPUT_WORDS: words), element i at [i*PIX_W +: PIX_W]
  output wire                          res_valid_o,   // result offered
  input  wire                          res_ready_i,   // result taken
  output wire [CLASS_W-1:0]            res_class_o,   // arg-max class
  output wire [CLASSES*LOGIT_W-1:0]    res_logits_o   // logits, units of 2^-16
);
  // verilator lint_off PINCONNECTEMPTY
  lstm_layer #(.I(I), .H(H), .T(T), .CLASSES(CLASSES), .C(C), .K(K), .LANES(LANES), .GROUPS(GROUPS),
               .EWU_LANES(EWU_LANES), .FC_LANES(FC_LANES), .PIX_PER_BEAT(PIX_PER_BEAT),
               .SPX_BUFFERS(SPX_BUFFERS), .CNN_IN(CNN_IN), .CONV_LANES(CONV_LANES), .WORDS_IN(INPUT_WORDS),
               .ROM_DIR(ROM_DIR)) u_lstm_layer (
    .clk_i(clk_i), .rst_ni(rst_ni), .pix_valid_i(pix_valid_i), .pix_ready_o(pix_ready_o), .pix_data_i(pix_data_i),
    .res_valid_o(res_valid_o), .res_ready_i(res_ready_i), .res_class_o(res_class_o), .res_logits_o(res_logits_o),
    .out_valid_o(), .out_ready_i(1'b0), .out_data_o());  // one layer: no layer above
  // verilator lint_on PINCONNECTEMPTY
endmodule
