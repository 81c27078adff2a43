#include "lstm_accel.hpp"

namespace accel {

using lstm::kGates;

lstm_accel::lstm_accel(sc_core::sc_module_name name, const lstm::Model& m, const lstm::ArchConfig& a)
    // Every vector signal starts at the width its RTL port has, so its value
    // (and its trace) has that many elements from the first cycle.
    : sc_module(name), arch_(a),
      row_data("row_data", Words(a.I)),
      lmem_data("lmem_data", Words(a.mvm_lanes)),
      op_data("op_data", Words(a.mvm_lanes)),
      op_code("op_code", Words(a.mvm_lanes)),
      acc_data("acc_data", Words(kGates * a.rows_per_block())),
      cpop_data("cpop_data", Words(a.ewu_lanes)),
      cpush_data("cpush_data", Words(a.ewu_lanes)),
      bias_data("bias_data", Words(kGates * a.ewu_lanes)),
      h_data("h_data", Words(a.ewu_lanes)),
      hvec("hvec", Words(a.H)),
      fmem_data("fmem_data", Words(a.fc_lanes)),
      logits("logits", Words(a.classes)) {
  const int E = a.ewu_lanes;
  spx_ = std::make_unique<spx>("spx", a.I, a.pixels_per_beat, a.spx_buffers);
  spx_->clk_i(clk_i);
  spx_->rst_ni(rst_ni);
  spx_->pix_valid_i(pix_valid_i);
  spx_->pix_ready_o(pix_ready_o);
  spx_->pix_data_i(pix_data_i);
  spx_->row_valid_o(row_valid);
  spx_->row_ready_i(row_pop);
  spx_->row_data_o(row_data);

  ctrl_ = std::make_unique<controller>("controller", a.T, a.blocks(), a.w_beats(), a.u_beats());
  ctrl_->clk_i(clk_i);
  ctrl_->rst_ni(rst_ni);
  ctrl_->row_valid_i(row_valid);
  ctrl_->row_pop_o(row_pop);
  ctrl_->h_valid_i(hvec_valid);
  ctrl_->h_pop_o(hvec_pop);
  ctrl_->beat_valid_o(beat_valid);
  ctrl_->beat_ready_i(beat_ready);
  ctrl_->beat_o(beat);

  wmem_ = std::make_unique<wmem>("wmem", m, a);
  wmem_->clk_i(clk_i);
  wmem_->lstm_en_i(lmem_en);
  wmem_->lstm_addr_i(lmem_addr);
  wmem_->lstm_data_o(lmem_data);
  wmem_->bias_en_i(bias_en);
  wmem_->bias_addr_i(bias_addr);
  wmem_->bias_data_o(bias_data);
  wmem_->fc_en_i(fmem_en);
  wmem_->fc_addr_i(fmem_addr);
  wmem_->fc_row_i(fmem_row);
  wmem_->fc_data_o(fmem_data);
  wmem_->fcb_data_o(fmem_bias);

  kmux_ = std::make_unique<kmux>("kmux", a);
  kmux_->clk_i(clk_i);
  kmux_->rst_ni(rst_ni);
  kmux_->beat_valid_i(beat_valid);
  kmux_->beat_ready_o(beat_ready);
  kmux_->beat_i(beat);
  kmux_->x_i(row_data);
  kmux_->h_i(hvec);
  kmux_->mem_en_o(lmem_en);
  kmux_->mem_addr_o(lmem_addr);
  kmux_->mem_data_i(lmem_data);
  kmux_->op_valid_o(op_valid);
  kmux_->op_ready_i(op_ready);
  kmux_->op_data_o(op_data);
  kmux_->op_code_o(op_code);
  kmux_->op_tag_o(op_tag);

  mvm_ = std::make_unique<mvm>("mvm", a);
  mvm_->clk_i(clk_i);
  mvm_->rst_ni(rst_ni);
  mvm_->op_valid_i(op_valid);
  mvm_->op_ready_o(op_ready);
  mvm_->op_data_i(op_data);
  mvm_->op_code_i(op_code);
  mvm_->op_tag_i(op_tag);
  mvm_->acc_valid_o(acc_valid);
  mvm_->acc_ready_i(acc_ready);
  mvm_->acc_data_o(acc_data);
  mvm_->acc_tag_o(acc_tag);

  ewu_ = std::make_unique<ewu>("ewu", a);
  ewu_->clk_i(clk_i);
  ewu_->rst_ni(rst_ni);
  ewu_->acc_valid_i(acc_valid);
  ewu_->acc_ready_o(acc_ready);
  ewu_->acc_data_i(acc_data);
  ewu_->acc_tag_i(acc_tag);
  ewu_->cpop_valid_i(cpop_valid);
  ewu_->cpop_ready_o(cpop_ready);
  ewu_->cpop_data_i(cpop_data);
  ewu_->cpush_valid_o(cpush_valid);
  ewu_->cpush_ready_i(cpush_ready);
  ewu_->cpush_data_o(cpush_data);
  ewu_->bias_en_o(bias_en);
  ewu_->bias_addr_o(bias_addr);
  ewu_->bias_data_i(bias_data);
  ewu_->h_valid_o(h_valid);
  ewu_->h_ready_i(h_ready);
  ewu_->h_data_o(h_data);
  ewu_->h_row_o(h_row);
  ewu_->h_last_o(h_last);

  fifo_ = std::make_unique<fifo_c>("fifo_c", a.H / E, E);
  fifo_->clk_i(clk_i);
  fifo_->rst_ni(rst_ni);
  fifo_->push_valid_i(cpush_valid);
  fifo_->push_ready_o(cpush_ready);
  fifo_->push_data_i(cpush_data);
  fifo_->pop_valid_o(cpop_valid);
  fifo_->pop_ready_i(cpop_ready);
  fifo_->pop_data_o(cpop_data);

  sph_ = std::make_unique<sph>("sph", a.H, E);
  sph_->clk_i(clk_i);
  sph_->rst_ni(rst_ni);
  sph_->h_valid_i(h_valid);
  sph_->h_ready_o(h_ready);
  sph_->h_data_i(h_data);
  sph_->h_row_i(h_row);
  sph_->h_last_i(h_last);
  sph_->vec_o(hvec);
  sph_->vec_valid_o(hvec_valid);
  sph_->vec_pop_i(hvec_pop);
  sph_->fc_valid_o(hT_valid);
  sph_->fc_ready_i(hT_ready);

  fc_ = std::make_unique<fc>("fc", a);
  fc_->clk_i(clk_i);
  fc_->rst_ni(rst_ni);
  fc_->h_valid_i(hT_valid);
  fc_->h_ready_o(hT_ready);
  fc_->h_i(hvec);
  fc_->mem_en_o(fmem_en);
  fc_->mem_addr_o(fmem_addr);
  fc_->mem_row_o(fmem_row);
  fc_->mem_data_i(fmem_data);
  fc_->mem_bias_i(fmem_bias);
  fc_->logit_valid_o(logit_valid);
  fc_->logit_ready_i(logit_ready);
  fc_->logits_o(logits);

  argmax_ = std::make_unique<argmax>("argmax", a.classes);
  argmax_->clk_i(clk_i);
  argmax_->rst_ni(rst_ni);
  argmax_->logit_valid_i(logit_valid);
  argmax_->logit_ready_o(logit_ready);
  argmax_->logits_i(logits);
  argmax_->res_valid_o(res_valid_o);
  argmax_->res_ready_i(res_ready_i);
  argmax_->res_class_o(res_class_o);
  argmax_->res_logits_o(res_logits_o);
}

std::vector<std::pair<std::string, const Counters*>> lstm_accel::counters() const {
  return {{"spx", &spx_->counters},   {"controller", &ctrl_->counters}, {"kmux", &kmux_->counters},
          {"mvm", &mvm_->counters},   {"ewu", &ewu_->counters},         {"fifo_c", &fifo_->counters},
          {"sph", &sph_->counters},   {"fc", &fc_->counters},           {"argmax", &argmax_->counters}};
}

std::vector<Handshake> lstm_accel::handshakes() const {
  auto hs = [](const char* n, const char* p, const char* c, const sig<bool>& v, const sig<bool>& r) {
    return Handshake{n, p, c, [&v] { return v.read(); }, [&r] { return r.read(); }};
  };
  return {hs("row", "spx", "controller", row_valid, row_pop),
          hs("beat", "controller", "kmux", beat_valid, beat_ready),
          hs("op", "kmux", "mvm", op_valid, op_ready),
          hs("acc", "mvm", "ewu", acc_valid, acc_ready),
          hs("c_prev", "fifo_c", "ewu", cpop_valid, cpop_ready),
          hs("c", "ewu", "fifo_c", cpush_valid, cpush_ready),
          hs("h", "ewu", "sph", h_valid, h_ready),
          hs("h_prev", "sph", "controller", hvec_valid, hvec_pop),
          hs("h_T", "sph", "fc", hT_valid, hT_ready),
          hs("logits", "fc", "argmax", logit_valid, logit_ready)};
}

void lstm_accel::trace(sc_core::sc_trace_file* tf) {
  using sc_core::sc_trace;
  auto b = [&](const sig<bool>& s, const std::string& n) { sc_trace(tf, s, n); };
  auto i = [&](const sig<int>& s, const std::string& n, int w) { sc_trace(tf, s.read(), n, w); };
  auto w = [&](const sig<Words>& s, const std::string& n, int width) { trace_words(tf, s.read(), n, width); };
  auto t = [&](const sig<Beat>& s, const std::string& n) { sc_trace(tf, s.read(), n); };
  // Top ports.
  sc_trace(tf, clk_i, "top.clk_i");
  sc_trace(tf, rst_ni, "top.rst_ni");
  sc_trace(tf, pix_valid_i, "top.pix_valid_i");
  sc_trace(tf, pix_ready_o, "top.pix_ready_o");
  sc_trace(tf, res_valid_o, "top.res_valid_o");
  sc_trace(tf, res_ready_i, "top.res_ready_i");
  sc_trace(tf, res_class_o, "top.res_class_o");
  // Per block: its output ports (each signal is one block's output and
  // another's input; it is listed under the block that drives it).
  b(row_valid, "spx.row_valid_o");
  w(row_data, "spx.row_data_o", 16);
  b(row_pop, "controller.row_pop_o");
  b(beat_valid, "controller.beat_valid_o");
  t(beat, "controller.beat_o");
  b(hvec_pop, "controller.h_pop_o");
  b(beat_ready, "kmux.beat_ready_o");
  b(lmem_en, "kmux.mem_en_o");
  i(lmem_addr, "kmux.mem_addr_o", 16);
  b(op_valid, "kmux.op_valid_o");
  w(op_data, "kmux.op_data_o", 16);
  w(op_code, "kmux.op_code_o", 4);
  t(op_tag, "kmux.op_tag_o");
  w(lmem_data, "wmem.lstm_data_o", 8);
  w(bias_data, "wmem.bias_data_o", 16);
  w(fmem_data, "wmem.fc_data_o", 8);
  i(fmem_bias, "wmem.fcb_data_o", 16);
  b(op_ready, "mvm.op_ready_o");
  b(acc_valid, "mvm.acc_valid_o");
  w(acc_data, "mvm.acc_data_o", 32);
  t(acc_tag, "mvm.acc_tag_o");
  b(acc_ready, "ewu.acc_ready_o");
  b(cpop_ready, "ewu.cpop_ready_o");
  b(cpush_valid, "ewu.cpush_valid_o");
  w(cpush_data, "ewu.cpush_data_o", 16);
  b(bias_en, "ewu.bias_en_o");
  i(bias_addr, "ewu.bias_addr_o", 16);
  b(h_valid, "ewu.h_valid_o");
  w(h_data, "ewu.h_data_o", 16);
  i(h_row, "ewu.h_row_o", 16);
  b(h_last, "ewu.h_last_o");
  b(cpop_valid, "fifo_c.pop_valid_o");
  w(cpop_data, "fifo_c.pop_data_o", 16);
  b(cpush_ready, "fifo_c.push_ready_o");
  b(h_ready, "sph.h_ready_o");
  w(hvec, "sph.vec_o", 16);
  b(hvec_valid, "sph.vec_valid_o");
  b(hT_valid, "sph.fc_valid_o");
  b(hT_ready, "fc.h_ready_o");
  b(fmem_en, "fc.mem_en_o");
  i(fmem_addr, "fc.mem_addr_o", 16);
  i(fmem_row, "fc.mem_row_o", 16);
  b(logit_valid, "fc.logit_valid_o");
  w(logits, "fc.logits_o", 32);
  b(logit_ready, "argmax.logit_ready_o");
}

}  // namespace accel
