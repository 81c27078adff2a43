// lstm_accel: the top. Pixel stream in, result stream out, weight ROMs
// initialised from a model directory; blocks and wiring from the netlist
// table (netlist.cpp), as in docs/architecture.md.
// With a CNN front end in the config (cnn_lstm_accel), Conv1d -> ReLU ->
// MaxPool take S-P-X's place: MaxPool offers the pooled rows to the
// controller with S-P-X's row protocol; the LSTM blocks are the same.
#pragma once

#include <map>
#include <memory>
#include <systemc>

#include "arch/arch.hpp"
#include "formats/model.hpp"
#include "netlist.hpp"
#include "../sim/stream_io.hpp"

namespace accel {

SC_MODULE(lstm_accel) {
  SC_HAS_PROCESS(lstm_accel);

  sc_core::sc_in<bool> SC_NAMED(clk_i), SC_NAMED(rst_ni);
  sc_core::sc_in<bool> SC_NAMED(pix_valid_i);
  sc_core::sc_out<bool> SC_NAMED(pix_ready_o);
  sc_core::sc_in<Words> SC_NAMED(pix_data_i);  // pixels_per_beat pixels
  sc_core::sc_out<bool> SC_NAMED(res_valid_o);
  sc_core::sc_in<bool> SC_NAMED(res_ready_i);
  sc_core::sc_out<int> SC_NAMED(res_class_o);
  sc_core::sc_out<Words> SC_NAMED(res_logits_o);

  // Builds the blocks and signals of sc_model/blocks/netlist.cpp and binds them.
  lstm_accel(sc_core::sc_module_name name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a);
  bool has_cnn() const { return arch_.has_cnn(); }
  uint64_t conv_lane_beats() const;
  uint64_t mvm_lane_beats() const;

  // Traces every block's ports, grouped by block name ("kmux.op_valid_o").
  void trace(sc_core::sc_trace_file* tf);
  // Block name -> its counters, in pipeline order.
  std::vector<std::pair<std::string, const Counters*>> counters() const;
  // The valid/ready interfaces, producer to consumer, in pipeline order (for
  // the watchdog); the top's own ports appear as block "top".
  std::vector<Handshake> handshakes() const;
  // The named block of this top, or nullptr.
  sc_core::sc_module* block(const std::string& name) const;
  // Replaces the weight ROM contents (wmem::load); between inferences only.
  void load_weights(const lstm::formats::Model& m);

 private:
  // A net's value: its signal, or for the top's own ports the port's.
  template <typename T>
  const sc_core::sc_signal_in_if<T>& value(const netlist::Net& n) const;
  const lstm::arch::ArchConfig arch_;
  std::map<std::string, netlist::Built> blocks_;
  std::map<std::string, std::unique_ptr<sc_core::sc_interface>> signals_;  // by net name
};

// Layer l's (0-based) weights as a one-layer model (its input: h_t of the
// layer below; the CNN front end stays with layer 1). The model itself for
// one layer.
lstm::formats::Model layer_model(const lstm::formats::Model& m, int l);

// The CNN-LSTM top: the same pipeline with the Conv1d/ReLU/MaxPool front
// end; the config must have one (cnn_in > 0).
class cnn_lstm_accel : public lstm_accel {
 public:
  cnn_lstm_accel(sc_core::sc_module_name name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a);
};

}  // namespace accel
