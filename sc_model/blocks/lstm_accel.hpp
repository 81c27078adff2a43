// lstm_accel: the top. Pixel stream in, result stream out, weight ROMs
// initialised from a model directory; blocks wired as in docs/architecture.md.
// With a CNN front end in the config (cnn_lstm_accel), Conv1d -> ReLU ->
// MaxPool take S-P-X's place: MaxPool offers the pooled rows to the
// controller with S-P-X's row protocol; the LSTM blocks are the same.
#pragma once

#include <map>
#include <memory>
#include <systemc>

#include "argmax.hpp"
#include "controller.hpp"
#include "conv1d.hpp"
#include "ewu.hpp"
#include "fc.hpp"
#include "fifo_c.hpp"
#include "kmux.hpp"
#include "lstm/arch.hpp"
#include "lstm/model.hpp"
#include "maxpool.hpp"
#include "mvm.hpp"
#include "relu.hpp"
#include "sph.hpp"
#include "spx.hpp"
#include "wmem.hpp"
#include "../sim/stream_io.hpp"

namespace accel {

SC_MODULE(lstm_accel) {
  SC_HAS_PROCESS(lstm_accel);

  sc_core::sc_in<bool> clk_i, rst_ni;
  sc_core::sc_in<bool> pix_valid_i;
  sc_core::sc_out<bool> pix_ready_o;
  sc_core::sc_in<Words> pix_data_i;  // pixels_per_beat pixels
  sc_core::sc_out<bool> res_valid_o;
  sc_core::sc_in<bool> res_ready_i;
  sc_core::sc_out<int> res_class_o;
  sc_core::sc_out<Words> res_logits_o;

  lstm_accel(sc_core::sc_module_name name, const lstm::Model& m, const lstm::ArchConfig& a);
  bool has_cnn() const { return arch_.has_cnn(); }
  uint64_t conv_lane_beats() const { return conv_ ? conv_->lane_beats : 0; }

  // Traces every block's ports, grouped by block name ("kmux.op_valid").
  void trace(sc_core::sc_trace_file* tf);
  // Block name -> its counters, in pipeline order.
  std::vector<std::pair<std::string, const Counters*>> counters() const;
  uint64_t mvm_lane_beats() const { return mvm_->lane_beats; }
  // The internal valid/ready interfaces, producer to consumer, in pipeline
  // order (for the watchdog).
  std::vector<Handshake> handshakes() const;
  // Fault injection for tests: the named block's clocked process stops.
  // Returns false for an unknown name.
  bool freeze(const std::string& block);
  // Replaces the weight ROM contents (wmem::load); between inferences only.
  void load_weights(const lstm::Model& m);

 private:
  template <typename T>
  using sig = sc_core::sc_signal<T>;
  const lstm::ArchConfig arch_;
  std::unique_ptr<spx> spx_;          // without a CNN front end
  std::unique_ptr<conv1d> conv_;      // with one
  std::unique_ptr<relu> relu_;
  std::unique_ptr<maxpool> pool_;
  std::unique_ptr<controller> ctrl_;
  std::unique_ptr<wmem> wmem_;
  std::unique_ptr<kmux> kmux_;
  std::unique_ptr<mvm> mvm_;
  std::unique_ptr<ewu> ewu_;
  std::unique_ptr<fifo_c> fifo_;
  std::unique_ptr<sph> sph_;
  std::unique_ptr<fc> fc_;
  std::unique_ptr<argmax> argmax_;

  // Conv1d -> ReLU -> MaxPool (CNN front end)
  sig<bool> cv_valid{"cv_valid", false}, cv_ready{"cv_ready", false};
  sig<Words> cv_data;
  sig<bool> rl_valid{"rl_valid", false}, rl_ready{"rl_ready", false};
  sig<Words> rl_data;
  // S-P-X (or MaxPool) -> controller / KMUX
  sig<bool> row_valid{"row_valid", false}, row_pop{"row_pop", false};
  sig<Words> row_data;
  // controller -> KMUX
  sig<bool> beat_valid{"beat_valid", false}, beat_ready{"beat_ready", false};
  sig<Beat> beat{"beat"};
  // KMUX <-> wmem
  sig<bool> lmem_en{"lmem_en", false};
  sig<int> lmem_addr{"lmem_addr", 0};
  sig<Words> lmem_data;
  // KMUX -> MVM
  sig<bool> op_valid{"op_valid", false}, op_ready{"op_ready", false};
  sig<Words> op_data, op_code;
  sig<Beat> op_tag{"op_tag"};
  // MVM -> EWU
  sig<bool> acc_valid{"acc_valid", false}, acc_ready{"acc_ready", false};
  sig<Words> acc_data;
  sig<Beat> acc_tag{"acc_tag"};
  // EWU <-> FIFO-C, bias ROM
  sig<bool> cpop_valid{"cpop_valid", false}, cpop_ready{"cpop_ready", false};
  sig<Words> cpop_data;
  sig<bool> cpush_valid{"cpush_valid", false}, cpush_ready{"cpush_ready", false};
  sig<Words> cpush_data;
  sig<bool> bias_en{"bias_en", false};
  sig<int> bias_addr{"bias_addr", 0};
  sig<Words> bias_data;
  // EWU -> S-P-H
  sig<bool> h_valid{"h_valid", false}, h_ready{"h_ready", false};
  sig<Words> h_data;
  sig<int> h_row{"h_row", 0};
  sig<bool> h_last{"h_last", false};
  // S-P-H -> controller / KMUX / FC
  sig<Words> hvec;
  sig<bool> hvec_valid{"hvec_valid", false}, hvec_pop{"hvec_pop", false};
  sig<bool> hT_valid{"hT_valid", false}, hT_ready{"hT_ready", false};
  // FC <-> wmem, FC -> arg-max
  sig<bool> fmem_en{"fmem_en", false};
  sig<int> fmem_addr{"fmem_addr", 0}, fmem_row{"fmem_row", 0};
  sig<Words> fmem_data;
  sig<int> fmem_bias{"fmem_bias", 0};
  sig<bool> logit_valid{"logit_valid", false}, logit_ready{"logit_ready", false};
  sig<Words> logits;
};

// The CNN-LSTM top: the same pipeline with the Conv1d/ReLU/MaxPool front
// end; the config must have one (cnn_in > 0).
class cnn_lstm_accel : public lstm_accel {
 public:
  cnn_lstm_accel(sc_core::sc_module_name name, const lstm::Model& m, const lstm::ArchConfig& a);
};

}  // namespace accel
