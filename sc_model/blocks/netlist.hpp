// netlist: the top's blocks and inter-block connections, written once. The
// SystemC tops (lstm_accel, cnn_lstm_accel) build, bind, trace, count and
// watch their blocks from these tables; the sim layer writes the GTKWave
// save file and freezes blocks by them; a unit test checks the hand-written
// RTL tops (rtl/lstm_accel.v, rtl/cnn_lstm_accel.v) against them.
// A new block is one row in blocks() and its rows in nets() (netlist.cpp).
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
  bool reset;  // has rst_ni
  Built (*make)(const char* name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a);
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
};

// In pipeline order (the order of the counters and the GTKWave groups).
const std::vector<Block>& blocks();
// Producer to consumer; the valid nets in handshake order (the watchdog's).
const std::vector<Net>& nets();

// The rows of one top.
std::vector<const Block*> blocks(bool cnn);
std::vector<const Net*> nets(bool cnn);
// Every pin of a net, producer first.
std::vector<Pin> pins(const Net& n);

// One valid/ready pair: the producer drives valid, the consumer ready.
struct Channel {
  const Net* valid;
  const Net* ready;
};
std::vector<Channel> channels(bool cnn);

// The VCD variables of one traced pin "block.port" (vectors by element,
// beats by field), as "name" or "name[msb:0]".
std::vector<std::string> vcd_names(const Net& n, const std::string& pin, const lstm::arch::ArchConfig& a);

}  // namespace accel::netlist
