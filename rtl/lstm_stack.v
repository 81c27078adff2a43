// lstm_stack: the stacked accelerator top (SPEC Part B, docs/architecture.md
// "Stacked layers: the layer pipeline"). LAYERS lstm_layer datapaths in a
// chain: layer 1 takes the pixel stream (through S-P-X, or the CNN front
// end with CNN_IN > 0), each layer's S-P-H streams h_t (EWU_LANES words per
// beat) into the S-P-X of the layer above, and FC and arg-max follow the
// last layer. Same ports and timing as sc_model/blocks/lstm_accel with a
// stacked config. Layer n's weight ROM images are in ROM_DIR/l<n>
// (lstmsim rtl-gen), the Conv1d ROMs in ROM_DIR.
//
// Per-layer parameters are packed, layer 1 in bits [31:0], layer n in
// [(n-1)*32 +: 32] (lstmsim arch --json, "verilator_params").
module lstm_stack #(
  parameter integer LAYERS = 2,          // LSTM layers, 2..8
  parameter integer I = 28,              // layer 1's input size (pixels per row)
  parameter integer T = 28,              // steps (rows per image)
  parameter integer CLASSES = 10,        // classes
  parameter integer C = 7,               // top-k group size
  parameter integer K = 4,               // kept entries per group
  parameter integer FC_LANES = 4,        // FC multipliers (after the last layer)
  parameter integer PIX_PER_BEAT = 1,    // pixels per input beat
  parameter integer CNN_IN = 0,          // Conv1d input channels; 0: no CNN front end
  parameter integer CONV_LANES = 0,      // Conv1d multipliers (with CNN_IN > 0)
  parameter [LAYERS*32-1:0] LAYER_H = {32'd28, 32'd28},            // hidden size per layer
  parameter [LAYERS*32-1:0] LAYER_LANES = {32'd64, 32'd64},        // MVM lanes per layer
  parameter [LAYERS*32-1:0] LAYER_GROUPS = {32'd1, 32'd1},         // groups per gate row per cycle
  parameter [LAYERS*32-1:0] LAYER_EWU_LANES = {32'd4, 32'd4},      // EWU lanes per layer
  parameter [LAYERS*32-1:0] LAYER_SPX_BUFFERS = {32'd2, 32'd2},    // S-P-X (layer 1 with CNN: MaxPool) row buffers
  parameter integer INPUT_WORDS = 0,    // 1: the input stream carries Q2.13 words (IDX 0x0B), 16 bits each
  parameter ROM_DIR = "rom",             // ROM image directory
  // Derived from the parameters above (generated; never override).
  `include "derived/lstm_stack.vh"
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
  // Field n of a packed per-layer parameter.
  function automatic integer field(input [LAYERS*32-1:0] v, input integer n);
    field = v[n*32 +: 32];
  endfunction
  function automatic integer max_field(input [LAYERS*32-1:0] v);
    integer n;
    max_field = 0;
    for (n = 0; n < LAYERS; n = n + 1)
      if (field(v, n) > max_field) max_field = field(v, n);
  endfunction
  localparam integer MAXE = max_field(LAYER_EWU_LANES);

  // Layer l's stream to layer l+1 (index l; the last layer's stays unused)
  // and each layer's result port (only the last layer's is driven).
  wire [LAYERS-1:0] up_valid, up_ready, res_valid;
  wire [LAYERS*MAXE*16-1:0] up_data;
  wire [LAYERS*CLASS_W-1:0] res_class;
  wire [LAYERS*CLASSES*LOGIT_W-1:0] res_logits;

  genvar l;
  generate
    for (l = 0; l < LAYERS; l = l + 1) begin : g_layer
      localparam integer E = field(LAYER_EWU_LANES, l);
      localparam integer LAST = l == LAYERS - 1 ? 1 : 0;
      if (l == 0) begin : g_first
        lstm_layer #(.I(I), .H(field(LAYER_H, 0)), .T(T), .CLASSES(CLASSES), .C(C), .K(K),
                     .LANES(field(LAYER_LANES, 0)), .GROUPS(field(LAYER_GROUPS, 0)), .EWU_LANES(E),
                     .FC_LANES(FC_LANES), .PIX_PER_BEAT(PIX_PER_BEAT), .SPX_BUFFERS(field(LAYER_SPX_BUFFERS, 0)),
                     .CNN_IN(CNN_IN), .CONV_LANES(CONV_LANES), .WORDS_IN(INPUT_WORDS), .STREAM(1 - LAST),
                     .HAS_FC(LAST), .ROM_LAYER(1), .ROM_DIR(ROM_DIR)) u_lstm_layer (
          .clk_i(clk_i), .rst_ni(rst_ni), .pix_valid_i(pix_valid_i), .pix_ready_o(pix_ready_o),
          .pix_data_i(pix_data_i), .res_valid_o(res_valid[l]), .res_ready_i(LAST != 0 ? res_ready_i : 1'b0),
          .res_class_o(res_class[l*CLASS_W +: CLASS_W]), .res_logits_o(res_logits[l*CLASSES*LOGIT_W +: CLASSES*LOGIT_W]),
          .out_valid_o(up_valid[l]), .out_ready_i(up_ready[l]), .out_data_o(up_data[l*MAXE*16 +: E*16]));
      end else begin : g_above
        // Input: the layer below's h_t, E_below words per beat.
        localparam integer EB = field(LAYER_EWU_LANES, l - 1);
        lstm_layer #(.I(field(LAYER_H, l - 1)), .H(field(LAYER_H, l)), .T(T), .CLASSES(CLASSES), .C(C), .K(K),
                     .LANES(field(LAYER_LANES, l)), .GROUPS(field(LAYER_GROUPS, l)), .EWU_LANES(E),
                     .FC_LANES(FC_LANES), .PIX_PER_BEAT(EB), .SPX_BUFFERS(field(LAYER_SPX_BUFFERS, l)),
                     .WORDS_IN(1), .STREAM(1 - LAST), .HAS_FC(LAST), .ROM_LAYER(l + 1),
                     .ROM_DIR(ROM_DIR)) u_lstm_layer (
          .clk_i(clk_i), .rst_ni(rst_ni), .pix_valid_i(up_valid[l - 1]), .pix_ready_o(up_ready[l - 1]),
          .pix_data_i(up_data[(l - 1)*MAXE*16 +: EB*16]), .res_valid_o(res_valid[l]),
          .res_ready_i(LAST != 0 ? res_ready_i : 1'b0), .res_class_o(res_class[l*CLASS_W +: CLASS_W]),
          .res_logits_o(res_logits[l*CLASSES*LOGIT_W +: CLASSES*LOGIT_W]),
          .out_valid_o(up_valid[l]), .out_ready_i(up_ready[l]), .out_data_o(up_data[l*MAXE*16 +: E*16]));
      end
      // Stream words beyond this layer's E (a wider layer elsewhere).
      if (E < MAXE) begin : g_pad
        assign up_data[l*MAXE*16 + E*16 +: (MAXE - E)*16] = {(MAXE - E)*16{1'b0}};
        wire unused_pad = ^up_data[l*MAXE*16 + E*16 +: (MAXE - E)*16];
      end
    end
  endgenerate

  assign up_ready[LAYERS-1] = 1'b0;  // nothing above the last layer
  assign res_valid_o = res_valid[LAYERS-1];
  assign res_class_o = res_class[(LAYERS-1)*CLASS_W +: CLASS_W];
  assign res_logits_o = res_logits[(LAYERS-1)*CLASSES*LOGIT_W +: CLASSES*LOGIT_W];
  // The layers below the last drive their result ports low; the last
  // layer's stream is open.
  wire unused_stack = ^{res_valid[LAYERS-2:0], res_class[(LAYERS-1)*CLASS_W-1:0],
                        res_logits[(LAYERS-1)*CLASSES*LOGIT_W-1:0], up_valid[LAYERS-1],
                        up_data[(LAYERS-1)*MAXE*16 +: MAXE*16]};
endmodule
