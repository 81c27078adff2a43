// netlist: the top's blocks and inter-block connections, written once. The
// SystemC tops (lstm_accel, cnn_lstm_accel) build, bind, trace, count and
// watch their blocks from these tables; the sim layer writes the GTKWave
// save file and freezes blocks by them; a unit test checks the hand-written
// RTL tops (rtl/lstm_accel.v, rtl/cnn_lstm_accel.v) against them.
// A new block is one row in blocks() and its rows in nets() (netlist.cpp).
//
// Stacked layers (SPEC Part B): the per-layer blocks (S-P-X .. S-P-H and the
// weight ROMs) and the nets among them are instantiated once per layer; with
// more than one layer their names get the prefix "l<n>_" (l1_kmux,
// l2_row_valid). The front end (pixel stream, or Conv1d/ReLU/MaxPool) feeds
// layer 1, FC and arg-max read the last layer, and the `up` nets carry each
// layer's S-P-H stream into the S-P-X of the layer above.
//
// Conventions the tables rely on: every block has clk_i (and rst_ni when
// `reset`), its ports are named (SC_NAMED) as in its RTL module, and its
// clocked process is named `tick`.
#pragma once

#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "arch/arch.hpp"
#include "formats/model.hpp"
#include "types.hpp"

namespace accel::netlist {

// Which top has a block or net: both, the plain LSTM (S-P-X front end) or
// the CNN-LSTM (Conv1d -> ReLU -> MaxPool front end).
enum class Front { any, spx, cnn };
inline bool in_top(Front f, bool cnn) { return f == Front::any || (f == Front::cnn) == cnn; }

// The block "top" stands for the top's own ports.
constexpr const char* kTop = "top";

struct Built {
  std::unique_ptr<sc_core::sc_module> module;
  const Counters* counters = nullptr;  // none for the weight ROM
};

struct Block {
  const char* name;  // instance name (RTL: u_<name>)
  Front front;
  bool reset;      // has rst_ni
  bool per_layer;  // one per LSTM layer
  // m and a: the layer's single-layer views (lstm_accel.cpp) for a per-layer block.
  Built (*make)(const char* name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a);
  int layer = -1;  // an instance of a per-layer block: its layer (0-based)
};

enum class Kind { valid, ready, data };
// SystemC payload: bit = bool, word = int, words = Words, beat = Beat.
enum class Type { bit, word, words, beat };

struct Pin {
  const char* block;
  const char* port;
};

struct Net {
  const char* name;  // signal in the SystemC top = wire in rtl/lstm_accel.v (top port name at the top)
  Front front;
  Kind kind;
  Type type;
  int bits;                                   // per element, in the VCD
  int (*elems)(const lstm::arch::ArchConfig& a);    // words only: element count
  Pin from;
  std::vector<Pin> to;
  const char* channel = "";  // valid/ready: the handshake's name in watchdog messages
  bool hold = false;         // valid: may stay high for a whole phase by design (not a stall)
  bool up = false;           // layer l's S-P-H <-> layer l+1's S-P-X (stacked only)
  int layer = -1;            // an instance of a per-layer or `up` net: its (producer's) layer
};

// In pipeline order (the order of the counters and the GTKWave groups).
const std::vector<Block>& blocks();
// Producer to consumer; the valid nets in handshake order (the watchdog's).
const std::vector<Net>& nets();

// The instances and nets of the top for config `a` (front end, layers), in
// pipeline order; names are interned, the rows stay valid for the process.
std::vector<Block> blocks(const lstm::arch::ArchConfig& a);
std::vector<Net> nets(const lstm::arch::ArchConfig& a);
// Every pin of a net, producer first.
std::vector<Pin> pins(const Net& n);
// The instance-name prefix of layer l (0-based) of L: "l<l+1>_", or "" for one layer.
std::string layer_prefix(int l, int L);
// A words net's element count (per-layer nets: in their layer's view).
int elems(const Net& n, const lstm::arch::ArchConfig& a);
// Bits per element: Net::bits, but 16 on the input stream of a design whose
// input is Q2.13 words (ArchConfig::input_words).
int bits(const Net& n, const lstm::arch::ArchConfig& a);

// One valid/ready pair: the producer drives valid, the consumer ready.
struct Channel {
  Net valid;
  Net ready;
};
std::vector<Channel> channels(const lstm::arch::ArchConfig& a);

// The VCD variables of one traced pin "block.port" (vectors by element,
// beats by field), as "name" or "name[msb:0]".
std::vector<std::string> vcd_names(const Net& n, const std::string& pin, const lstm::arch::ArchConfig& a);

}  // namespace accel::netlist
