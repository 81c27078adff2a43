// lstm_layer: one LSTM layer's datapath, the blocks and wiring of the
// netlist table (sc_model/blocks/netlist.cpp, docs/architecture.md): the
// front end (S-P-X, or with CNN_IN > 0 Conv1d -> ReLU -> MaxPool), the
// controller, weight memories, KMUX, MVM, EWU, FIFO-C, S-P-H and, with
// HAS_FC, FC and arg-max. CNN_IN > 0: I and T are the LSTM's (Conv1d output
// channels, pooled steps) and an image has CNN_IN columns and 2T rows.
//
// One layer is the top lstm_accel (and, with the CNN, cnn_lstm_accel). A
// stack (lstm_stack, SPEC Part B) chains layers: a layer below the last has
// STREAM = 1 (its S-P-H streams h_t on out_*) and HAS_FC = 0; a layer above
// the first has WORDS_IN = 1 (its input beats are Q2.13 words, the stream
// of the layer below), and so has the first of a design whose input is
// Q2.13 words (INPUT_WORDS of the tops).
module lstm_layer #(
  parameter integer I = 28,             // LSTM input size (pixels per row, or the layer below's H)
  parameter integer H = 28,             // hidden size
  parameter integer T = 28,             // steps (rows per image)
  parameter integer CLASSES = 10,       // classes
  parameter integer C = 7,              // top-k group size
  parameter integer K = 4,              // kept entries per group
  parameter integer LANES = 112,        // MVM lanes
  parameter integer GROUPS = 1,         // groups per gate row per cycle
  parameter integer EWU_LANES = 7,      // EWU lanes
  parameter integer FC_LANES = 4,       // FC multipliers
  parameter integer PIX_PER_BEAT = 1,   // pixels (WORDS_IN: words) per input beat
  parameter integer SPX_BUFFERS = 2,    // S-P-X (or MaxPool) row buffers
  parameter integer CNN_IN = 0,         // Conv1d input channels (image columns); 0: no CNN front end
  parameter integer CONV_LANES = 0,     // Conv1d multipliers (with CNN_IN > 0)
  parameter integer WORDS_IN = 0,       // 1: input beats carry Q2.13 words (a layer above the first, or INPUT_WORDS)
  parameter integer STREAM = 0,         // 1: S-P-H streams h_t to the layer above (out_*)
  parameter integer HAS_FC = 1,         // 1: FC and arg-max follow this layer (the last)
  parameter integer ROM_LAYER = 0,      // stacked layer n (1..8): ROM images in ROM_DIR/l<n>; 0: in ROM_DIR
  parameter ROM_DIR = "rom",            // ROM image directory (this layer's)
  // Derived from the parameters above (generated; never override).
  `include "derived/lstm_layer.vh"
  parameter integer LOGIT_W = 32,
  parameter integer PIX_W = WORDS_IN != 0 ? 16 : 8  // bits per input element
) (
  input  wire                          clk_i,         // clock
  input  wire                          rst_ni,        // synchronous reset, active low
  input  wire                          pix_valid_i,   // pixel beat offered
  output wire                          pix_ready_o,   // pixel beat taken
  input  wire [PIX_PER_BEAT*PIX_W-1:0] pix_data_i,   // pixels (or words), element i at [i*PIX_W +: PIX_W]
  // Result stream (HAS_FC; otherwise res_valid_o stays low).
  output wire                          res_valid_o,   // result offered
  input  wire                          res_ready_i,   // result taken
  output wire [CLASS_W-1:0]            res_class_o,   // arg-max class
  output wire [CLASSES*LOGIT_W-1:0]    res_logits_o,  // logits, units of 2^-16
  // h_t to the layer above (STREAM; otherwise out_valid_o stays low).
  output wire                          out_valid_o,   // a beat of h_t offered
  input  wire                          out_ready_i,   // taken by the layer above's S-P-X
  output wire [EWU_LANES*16-1:0]       out_data_o     // E words of h_t, row order
);
  localparam integer E = EWU_LANES;

  // S-P-X (or MaxPool) -> controller / KMUX
  wire row_valid, row_pop;
  wire [I*16-1:0] row_data;
  // controller -> KMUX
  wire beat_valid, beat_ready;
  wire [BEAT_W-1:0] beat;
  // KMUX <-> wmem
  wire lmem_en;
  wire [LA_W-1:0] lmem_addr;
  wire [LANES*ENT_W-1:0] lmem_data;
  // KMUX -> MVM
  wire op_valid, op_ready;
  wire [LANES*16-1:0] op_data;
  wire [LANES*4-1:0] op_code;
  wire [BEAT_W-1:0] op_tag;
  // MVM -> EWU
  wire acc_valid, acc_ready;
  wire [4*R*ACC_W-1:0] acc_data;
  wire [BEAT_W-1:0] acc_tag;
  // EWU <-> FIFO-C, bias ROM
  wire cpop_valid, cpop_ready, cpush_valid, cpush_ready;
  wire [E*16-1:0] cpop_data, cpush_data;
  wire bias_en;
  wire [BA_W-1:0] bias_addr;
  wire [4*E*16-1:0] bias_data;
  // EWU -> S-P-H
  wire h_valid, h_ready, h_last;
  wire [E*16-1:0] h_data;
  wire [RW-1:0] h_row;
  // S-P-H -> controller / KMUX / FC
  wire [H*16-1:0] hvec;
  wire hvec_valid, hvec_pop, hT_valid, hT_ready;
  wire hrel;  // S-P-H -> controller: bank released (credit)
  // FC <-> wmem, FC -> arg-max
  wire fmem_en;
  wire [FA_W-1:0] fmem_addr;
  wire [CLASS_W-1:0] fmem_row;
  wire [FC_LANES*ENT_W-1:0] fmem_data;
  wire [15:0] fmem_bias;

  generate
    if (CNN_IN > 0) begin : g_cnn
      // Conv1d -> ReLU -> MaxPool
      wire cv_valid, cv_ready, rl_valid, rl_ready;
      wire [CH_PER_BEAT*16-1:0] cv_data, rl_data;

      conv1d #(.CNN_IN(CNN_IN), .I(I), .T(T), .CONV_LANES(CONV_LANES), .PIX_PER_BEAT(PIX_PER_BEAT),
               .WORDS_IN(WORDS_IN), .ROM_DIR(ROM_DIR)) u_conv1d (
        .clk_i(clk_i), .rst_ni(rst_ni), .pix_valid_i(pix_valid_i), .pix_ready_o(pix_ready_o), .pix_data_i(pix_data_i),
        .out_valid_o(cv_valid), .out_ready_i(cv_ready), .out_data_o(cv_data));

      relu #(.CH_PER_BEAT(CH_PER_BEAT)) u_relu (
        .clk_i(clk_i), .rst_ni(rst_ni), .in_valid_i(cv_valid), .in_ready_o(cv_ready), .in_data_i(cv_data),
        .out_valid_o(rl_valid), .out_ready_i(rl_ready), .out_data_o(rl_data));

      maxpool #(.I(I), .CH_PER_BEAT(CH_PER_BEAT), .SPX_BUFFERS(SPX_BUFFERS)) u_maxpool (
        .clk_i(clk_i), .rst_ni(rst_ni), .in_valid_i(rl_valid), .in_ready_o(rl_ready), .in_data_i(rl_data),
        .row_valid_o(row_valid), .row_ready_i(row_pop), .row_data_o(row_data));
    end else begin : g_spx
      spx #(.I(I), .PIX_PER_BEAT(PIX_PER_BEAT), .SPX_BUFFERS(SPX_BUFFERS), .WORDS_IN(WORDS_IN)) u_spx (
        .clk_i(clk_i), .rst_ni(rst_ni), .pix_valid_i(pix_valid_i), .pix_ready_o(pix_ready_o), .pix_data_i(pix_data_i),
        .row_valid_o(row_valid), .row_ready_i(row_pop), .row_data_o(row_data));
    end
  endgenerate

  controller #(.I(I), .H(H), .T(T), .C(C), .K(K), .LANES(LANES), .GROUPS(GROUPS)) u_controller (
    .clk_i(clk_i), .rst_ni(rst_ni), .row_valid_i(row_valid), .row_pop_o(row_pop), .h_valid_i(hvec_valid), .h_pop_o(hvec_pop),
    .h_rel_i(hrel),
    .beat_valid_o(beat_valid), .beat_ready_i(beat_ready), .beat_o(beat));

  wmem #(.I(I), .H(H), .CLASSES(CLASSES), .C(C), .K(K), .LANES(LANES), .GROUPS(GROUPS), .EWU_LANES(EWU_LANES),
         .FC_LANES(FC_LANES), .HAS_FC(HAS_FC), .ROM_LAYER(ROM_LAYER),
         .ROM_DIR(ROM_DIR)) u_wmem (
    .clk_i(clk_i), .lstm_en_i(lmem_en), .lstm_addr_i(lmem_addr), .lstm_data_o(lmem_data),
    .bias_en_i(bias_en), .bias_addr_i(bias_addr), .bias_data_o(bias_data),
    .fc_en_i(fmem_en), .fc_addr_i(fmem_addr), .fc_row_i(fmem_row), .fc_data_o(fmem_data), .fcb_data_o(fmem_bias));

  kmux #(.I(I), .H(H), .T(T), .C(C), .K(K), .LANES(LANES), .GROUPS(GROUPS)) u_kmux (
    .clk_i(clk_i), .rst_ni(rst_ni), .beat_valid_i(beat_valid), .beat_ready_o(beat_ready), .beat_i(beat), .x_i(row_data),
    .h_i(hvec), .mem_en_o(lmem_en), .mem_addr_o(lmem_addr), .mem_data_i(lmem_data), .op_valid_o(op_valid),
    .op_ready_i(op_ready), .op_data_o(op_data), .op_code_o(op_code), .op_tag_o(op_tag));

  mvm #(.I(I), .H(H), .T(T), .C(C), .K(K), .LANES(LANES), .GROUPS(GROUPS)) u_mvm (
    .clk_i(clk_i), .rst_ni(rst_ni), .op_valid_i(op_valid), .op_ready_o(op_ready), .op_data_i(op_data), .op_code_i(op_code),
    .op_tag_i(op_tag), .acc_valid_o(acc_valid), .acc_ready_i(acc_ready), .acc_data_o(acc_data),
    .acc_tag_o(acc_tag));

  ewu #(.I(I), .H(H), .T(T), .C(C), .K(K), .LANES(LANES), .GROUPS(GROUPS), .EWU_LANES(EWU_LANES)) u_ewu (
    .clk_i(clk_i), .rst_ni(rst_ni), .acc_valid_i(acc_valid), .acc_ready_o(acc_ready), .acc_data_i(acc_data), .acc_tag_i(acc_tag),
    .cpop_valid_i(cpop_valid), .cpop_ready_o(cpop_ready), .cpop_data_i(cpop_data),
    .cpush_valid_o(cpush_valid), .cpush_ready_i(cpush_ready), .cpush_data_o(cpush_data),
    .bias_en_o(bias_en), .bias_addr_o(bias_addr), .bias_data_i(bias_data),
    .h_valid_o(h_valid), .h_ready_i(h_ready), .h_data_o(h_data), .h_row_o(h_row), .h_last_o(h_last));

  fifo_c #(.DEPTH(EWU_BEATS), .WIDTH(EWU_LANES)) u_fifo_c (
    .clk_i(clk_i), .rst_ni(rst_ni), .push_valid_i(cpush_valid), .push_ready_o(cpush_ready), .push_data_i(cpush_data),
    .pop_valid_o(cpop_valid), .pop_ready_i(cpop_ready), .pop_data_o(cpop_data));

  sph #(.H(H), .EWU_LANES(EWU_LANES), .STREAM(STREAM)) u_sph (
    .clk_i(clk_i), .rst_ni(rst_ni), .h_valid_i(h_valid), .h_ready_o(h_ready), .h_data_i(h_data), .h_row_i(h_row),
    .h_last_i(h_last), .vec_o(hvec), .vec_valid_o(hvec_valid), .vec_pop_i(hvec_pop), .fc_valid_o(hT_valid),
    .fc_ready_i(hT_ready), .out_valid_o(out_valid_o), .out_ready_i(out_ready_i), .out_data_o(out_data_o),
    .rel_o(hrel));

  generate
    if (HAS_FC != 0) begin : g_fc
      wire logit_valid, logit_ready;
      wire [CLASSES*LOGIT_W-1:0] logits;

      fc #(.H(H), .C(C), .K(K), .CLASSES(CLASSES), .FC_LANES(FC_LANES)) u_fc (
        .clk_i(clk_i), .rst_ni(rst_ni), .h_valid_i(hT_valid), .h_ready_o(hT_ready), .h_i(hvec), .mem_en_o(fmem_en),
        .mem_addr_o(fmem_addr), .mem_row_o(fmem_row), .mem_data_i(fmem_data), .mem_bias_i(fmem_bias),
        .logit_valid_o(logit_valid), .logit_ready_i(logit_ready), .logits_o(logits));

      argmax #(.CLASSES(CLASSES)) u_argmax (
        .clk_i(clk_i), .rst_ni(rst_ni), .logit_valid_i(logit_valid), .logit_ready_o(logit_ready), .logits_i(logits),
        .res_valid_o(res_valid_o), .res_ready_i(res_ready_i), .res_class_o(res_class_o), .res_logits_o(res_logits_o));
    end else begin : g_no_fc
      // A layer below the last: its h_T leaves on the stream; S-P-H never
      // offers it to FC (STREAM = 1).
      assign hT_ready = 1'b0;
      assign fmem_en = 1'b0;
      assign fmem_addr = {FA_W{1'b0}};
      assign fmem_row = {CLASS_W{1'b0}};
      assign res_valid_o = 1'b0;
      assign res_class_o = {CLASS_W{1'b0}};
      assign res_logits_o = {CLASSES*LOGIT_W{1'b0}};
      wire unused_fc = ^{res_ready_i, hT_valid, fmem_data, fmem_bias};
    end
  endgenerate
endmodule
