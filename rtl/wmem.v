// Weight memories: synchronous-read ROMs (data the cycle after en, held
// while en is low), banked so every MVM lane gets its entry each cycle.
// Contents: the ROM images `lstmsim rtl-gen` writes from the model
// directory's .mem files (docs/architecture.md, "Weight memories"). A
// simulation built by Verilator may choose the directory at run time
// with the plusarg +rom_dir=DIR (a stacked layer n: DIR/l<n>). HAS_FC = 0 (a stacked layer below the
// last): the FC ROM is never loaded nor read (synthesis removes it).
module wmem #(
  parameter integer I = 28,          // LSTM input size
  parameter integer H = 28,          // hidden size
  parameter integer CLASSES = 10,    // FC rows
  parameter integer C = 7,           // group size
  parameter integer K = 4,           // kept entries per group
  parameter integer LANES = 112,     // MVM lanes
  parameter integer GROUPS = 1,      // groups per gate row per cycle
  parameter integer EWU_LANES = 7,   // EWU lanes
  parameter integer FC_LANES = 4,    // FC multipliers
  parameter integer HAS_FC = 1,      // 1: the FC ROM (the last layer's wmem)
  parameter integer ROM_LAYER = 0,   // 0: ROM images in the directory; n = 1..9: in its subdirectory l<n> (a stack)
  // Derived from the parameters above (generated; never override).
  `include "derived/wmem.vh"
  parameter ROM_DIR = "rom"          // directory of the ROM images
) (
  input  wire                       clk_i,        // clock
  input  wire                       lstm_en_i,    // LSTM ROM read enable
  input  wire [LA_W-1:0]            lstm_addr_i,  // LSTM ROM address (W words, then U words)
  output reg  [LANES*ENT_W-1:0]        lstm_data_o,  // one entry per lane
  input  wire                       bias_en_i,    // bias ROM read enable
  input  wire [BA_W-1:0]            bias_addr_i,  // bias word: rows addr*EWU_LANES ..
  output reg  [4*EWU_LANES*16-1:0]  bias_data_o,  // b_g[row] at index r*4 + g
  input  wire                       fc_en_i,      // FC ROM read enable
  input  wire [FA_W-1:0]            fc_addr_i,    // FC ROM address: row * FB + beat
  input  wire [CLASS_W-1:0]            fc_row_i,     // FC row (selects the bias)
  output reg  [FC_LANES*ENT_W-1:0]     fc_data_o,    // FC entries of the beat
  output reg  [15:0]                fcb_data_o    // b_fc[row]
);
  (* rom_style = "block" *) reg [LANES*ENT_W-1:0] lstm_rom [0:LSTM_DEPTH-1];
  reg [4*EWU_LANES*16-1:0] bias_rom [0:EWU_BEATS-1];
  (* rom_style = "block" *) reg [FC_LANES*ENT_W-1:0] fc_rom [0:FC_DEPTH-1];  // read only with HAS_FC
  reg [15:0] fcb_rom [0:CLASSES-1];

  // A stacked layer's ROM images are in the subdirectory l<n>.
  localparam [8*3-1:0] SUB = {"/l", 8'h30 + ROM_LAYER[7:0]};
`ifdef VERILATOR
  reg [8*1024-1:0] dir;
  initial begin
    /* verilator lint_off WIDTH */  // a string parameter into a wide register
    if (!$value$plusargs("rom_dir=%s", dir)) dir = ROM_DIR;
    /* verilator lint_on WIDTH */
    if (ROM_LAYER != 0) dir = {dir[8*1021-1:0], SUB};
    $readmemh({dir, "/lstm_rom.mem"}, lstm_rom);
    $readmemh({dir, "/bias_rom.mem"}, bias_rom);
    if (HAS_FC != 0) begin
      $readmemh({dir, "/fc_rom.mem"}, fc_rom);
      $readmemh({dir, "/fcb_rom.mem"}, fcb_rom);
    end
  end
`else
  // Synthesis: constant file names only.
  generate
    if (ROM_LAYER != 0) begin : g_sub
      initial begin
        $readmemh({ROM_DIR, SUB, "/lstm_rom.mem"}, lstm_rom);
        $readmemh({ROM_DIR, SUB, "/bias_rom.mem"}, bias_rom);
      end
      if (HAS_FC != 0) begin : g_fc
        initial begin
          $readmemh({ROM_DIR, SUB, "/fc_rom.mem"}, fc_rom);
          $readmemh({ROM_DIR, SUB, "/fcb_rom.mem"}, fcb_rom);
        end
      end
    end else begin : g_dir
      initial begin
        $readmemh({ROM_DIR, "/lstm_rom.mem"}, lstm_rom);
        $readmemh({ROM_DIR, "/bias_rom.mem"}, bias_rom);
        $readmemh({ROM_DIR, "/fc_rom.mem"}, fc_rom);
        $readmemh({ROM_DIR, "/fcb_rom.mem"}, fcb_rom);
      end
    end
  endgenerate
`endif

  always @(posedge clk_i) begin
    if (lstm_en_i) lstm_data_o <= lstm_rom[lstm_addr_i];
    if (bias_en_i) bias_data_o <= bias_rom[bias_addr_i];
    if (HAS_FC != 0 && fc_en_i) begin
      fc_data_o <= fc_rom[fc_addr_i];
      fcb_data_o <= fcb_rom[fc_row_i];
    end
  end
endmodule
