// cnn_lstm_accel: the CNN-LSTM top (sc_model/blocks/lstm_accel, class
// cnn_lstm_accel). Pixel stream in (images of CNN_IN columns and 2T rows),
// {class, logits} stream out. The pipeline is lstm_accel's with the
// Conv1d -> ReLU -> MaxPool front end in S-P-X's place (docs/
// architecture.md, "CNN front end"); this module only fixes the front end
// to be present, so the LSTM core's wiring exists once, in lstm_accel.
// ROMs: ROM_DIR (or +rom_dir=DIR in a Verilated simulation) holds the
// LSTM ROM images and conv_rom.mem, convb_rom.mem (lstmsim rtl-gen).
// Defaults: sc_model/configs/cnn_default.json.
module cnn_lstm_accel #(
  parameter integer I = 28,             // LSTM input size (Conv1d output channels)
  parameter integer H = 28,             // hidden size
  parameter integer T = 14,             // LSTM steps (pooled); image rows 2T
  parameter integer CLASSES = 10,       // classes
  parameter integer C = 7,              // top-k group size
  parameter integer K = 4,              // kept entries per group
  parameter integer LANES = 112,        // MVM lanes
  parameter integer GROUPS = 1,         // groups per gate row per cycle
  parameter integer EWU_LANES = 7,      // EWU lanes
  parameter integer FC_LANES = 4,       // FC multipliers
  parameter integer PIX_PER_BEAT = 1,   // pixels per input beat, divides CNN_IN
  parameter integer SPX_BUFFERS = 2,    // MaxPool row buffers
  parameter integer CNN_IN = 28,        // Conv1d input channels (image columns), > 0
  parameter integer CONV_LANES = 84,    // Conv1d multipliers
  parameter integer INPUT_WORDS = 0,    // 1: the input stream carries Q2.13 words (IDX 0x0B), 16 bits each
  parameter ROM_DIR = "rom",            // ROM image directory
  // Derived from the parameters above (generated; never override).
  `include "derived/cnn_lstm_accel.vh"
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
  lstm_accel #(.I(I), .H(H), .T(T), .CLASSES(CLASSES), .C(C), .K(K), .LANES(LANES), .GROUPS(GROUPS),
               .EWU_LANES(EWU_LANES), .FC_LANES(FC_LANES), .PIX_PER_BEAT(PIX_PER_BEAT),
               .SPX_BUFFERS(SPX_BUFFERS), .CNN_IN(CNN_IN), .CONV_LANES(CONV_LANES), .INPUT_WORDS(INPUT_WORDS),
               .ROM_DIR(ROM_DIR)) u_lstm_accel (
    .clk_i(clk_i), .rst_ni(rst_ni), .pix_valid_i(pix_valid_i), .pix_ready_o(pix_ready_o), .pix_data_i(pix_data_i),
    .res_valid_o(res_valid_o), .res_ready_i(res_ready_i), .res_class_o(res_class_o), .res_logits_o(res_logits_o));
endmodule
