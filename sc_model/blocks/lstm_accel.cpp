#include "lstm_accel.hpp"

#include "lstm/error.hpp"

namespace accel {

using lstm::kGates;

lstm_accel::lstm_accel(sc_core::sc_module_name name, const lstm::Model& m, const lstm::ArchConfig& a)
    // Every vector signal starts at the width its RTL port has, so its value
    // (and its trace) has that many elements from the first cycle.
    : sc_module(name), arch_(a),
      cv_data("cv_data", Words(a.has_cnn() ? a.conv_ch_per_beat() : 1)),
      rl_data("rl_data", Words(a.has_cnn() ? a.conv_ch_per_beat() : 1)),
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
  lstm::check_arch_matches_model(a, m, std::string(static_cast<const char*>(name)));
  if (a.has_cnn()) {
    conv_ = std::make_unique<conv1d>("conv1d", m, a);
    conv_->clk_i(clk_i);
    conv_->rst_ni(rst_ni);
    conv_->pix_valid_i(pix_valid_i);
    conv_->pix_ready_o(pix_ready_o);
    conv_->pix_data_i(pix_data_i);
    conv_->out_valid_o(cv_valid);
    conv_->out_ready_i(cv_ready);
    conv_->out_data_o(cv_data);

    relu_ = std::make_unique<relu>("relu", a.conv_ch_per_beat());
    relu_->clk_i(clk_i);
    relu_->rst_ni(rst_ni);
    relu_->in_valid_i(cv_valid);
    relu_->in_ready_o(cv_ready);
    relu_->in_data_i(cv_data);
    relu_->out_valid_o(rl_valid);
    relu_->out_ready_i(rl_ready);
    relu_->out_data_o(rl_data);

    pool_ = std::make_unique<maxpool>("maxpool", a.I, a.conv_ch_per_beat(), a.spx_buffers);
    pool_->clk_i(clk_i);
    pool_->rst_ni(rst_ni);
    pool_->in_valid_i(rl_valid);
    pool_->in_ready_o(rl_ready);
    pool_->in_data_i(rl_data);
    pool_->row_valid_o(row_valid);
    pool_->row_ready_i(row_pop);
    pool_->row_data_o(row_data);
  } else {
    spx_ = std::make_unique<spx>("spx", a.I, a.pixels_per_beat, a.spx_buffers);
    spx_->clk_i(clk_i);
    spx_->rst_ni(rst_ni);
    spx_->pix_valid_i(pix_valid_i);
    spx_->pix_ready_o(pix_ready_o);
    spx_->pix_data_i(pix_data_i);
    spx_->row_valid_o(row_valid);
    spx_->row_ready_i(row_pop);
    spx_->row_data_o(row_data);
  }

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

cnn_lstm_accel::cnn_lstm_accel(sc_core::sc_module_name name, const lstm::Model& m, const lstm::ArchConfig& a)
    : lstm_accel(name, m, a) {
  if (!a.has_cnn()) throw lstm::InputError(std::string(name) + ": the config has no CNN front end (cnn_in = 0)");
}

std::vector<std::pair<std::string, const Counters*>> lstm_accel::counters() const {
  std::vector<std::pair<std::string, const Counters*>> c;
  if (conv_) c = {{"conv1d", &conv_->counters}, {"relu", &relu_->counters}, {"maxpool", &pool_->counters}};
  else c = {{"spx", &spx_->counters}};
  const std::vector<std::pair<std::string, const Counters*>> rest = {
      {"controller", &ctrl_->counters}, {"kmux", &kmux_->counters}, {"mvm", &mvm_->counters},
      {"ewu", &ewu_->counters},         {"fifo_c", &fifo_->counters}, {"sph", &sph_->counters},
      {"fc", &fc_->counters},           {"argmax", &argmax_->counters}};
  c.insert(c.end(), rest.begin(), rest.end());
  return c;
}

std::vector<Handshake> lstm_accel::handshakes() const {
  auto hs = [](const char* n, const char* p, const char* c, const sig<bool>& v, const sig<bool>& r) {
    return Handshake{n, p, c, [&v] { return v.read(); }, [&r] { return r.read(); }};
  };
  // row and h_prev are held for a whole phase by design: not stalls.
  auto hold = [&](const char* n, const char* p, const char* c, const sig<bool>& v, const sig<bool>& r) {
    Handshake h = hs(n, p, c, v, r);
    h.hold = true;
    return h;
  };
  std::vector<Handshake> front;
  if (conv_)
    front = {hs("conv", "conv1d", "relu", cv_valid, cv_ready), hs("relu", "relu", "maxpool", rl_valid, rl_ready),
             hold("row", "maxpool", "controller", row_valid, row_pop)};
  else
    front = {hold("row", "spx", "controller", row_valid, row_pop)};
  std::vector<Handshake> rest = {
          hs("beat", "controller", "kmux", beat_valid, beat_ready),
          hs("op", "kmux", "mvm", op_valid, op_ready),
          hs("acc", "mvm", "ewu", acc_valid, acc_ready),
          hs("c_prev", "fifo_c", "ewu", cpop_valid, cpop_ready),
          hs("c", "ewu", "fifo_c", cpush_valid, cpush_ready),
          hs("h", "ewu", "sph", h_valid, h_ready),
          hold("h_prev", "sph", "controller", hvec_valid, hvec_pop),
          hs("h_T", "sph", "fc", hT_valid, hT_ready),
          hs("logits", "fc", "argmax", logit_valid, logit_ready)};
  front.insert(front.end(), rest.begin(), rest.end());
  return front;
}

void lstm_accel::load_weights(const lstm::Model& m) {
  lstm::check_arch_matches_model(arch_, m, name());
  wmem_->load(m);
  if (conv_) conv_->load(m);
}

bool lstm_accel::freeze(const std::string& block) {
  if (block == "spx" && spx_) spx_->frozen = true;
  else if (block == "conv1d" && conv_) conv_->frozen = true;
  else if (block == "relu" && relu_) relu_->frozen = true;
  else if (block == "maxpool" && pool_) pool_->frozen = true;
  else if (block == "controller") ctrl_->frozen = true;
  else if (block == "kmux") kmux_->frozen = true;
  else if (block == "mvm") mvm_->frozen = true;
  else if (block == "ewu") ewu_->frozen = true;
  else if (block == "fifo_c") fifo_->frozen = true;
  else if (block == "sph") sph_->frozen = true;
  else if (block == "fc") fc_->frozen = true;
  else if (block == "argmax") argmax_->frozen = true;
  else return false;
  return true;
}

void lstm_accel::trace(sc_core::sc_trace_file* tf) {
  using sc_core::sc_trace;
  // Each signal is traced under every port it connects: "block.port". In
  // the VCD the part before the dot becomes a scope, so GTKWave shows one
  // scope per block with all its ports.
  using names = std::initializer_list<const char*>;
  auto b = [&](const sig<bool>& s, names ns) { for (auto n : ns) sc_trace(tf, s, n); };
  auto i = [&](const sig<int>& s, int w, names ns) { for (auto n : ns) sc_trace(tf, s.read(), n, w); };
  auto w = [&](const sig<Words>& s, int width, names ns) { for (auto n : ns) trace_words(tf, s.read(), n, width); };
  auto t = [&](const sig<Beat>& s, names ns) { for (auto n : ns) sc_trace(tf, s.read(), n); };
  // Top ports.
  sc_trace(tf, clk_i, "top.clk_i");
  sc_trace(tf, rst_ni, "top.rst_ni");
  sc_trace(tf, pix_valid_i, "top.pix_valid_i");
  sc_trace(tf, pix_ready_o, "top.pix_ready_o");
  sc_trace(tf, res_valid_o, "top.res_valid_o");
  sc_trace(tf, res_ready_i, "top.res_ready_i");
  sc_trace(tf, res_class_o, "top.res_class_o");
  std::vector<std::string> blocks = {"controller", "kmux", "mvm", "ewu", "fifo_c", "sph", "fc", "argmax"};
  if (conv_) blocks.insert(blocks.begin(), {"conv1d", "relu", "maxpool"});
  else blocks.insert(blocks.begin(), "spx");
  for (const std::string& blk : blocks) {
    sc_trace(tf, clk_i, blk + ".clk_i");
    sc_trace(tf, rst_ni, blk + ".rst_ni");
  }
  sc_trace(tf, clk_i, "wmem.clk_i");  // the ROM has a clock but no reset
  const char* src = conv_ ? "conv1d" : "spx";
  sc_trace(tf, pix_valid_i, std::string(src) + ".pix_valid_i");
  sc_trace(tf, pix_ready_o, std::string(src) + ".pix_ready_o");
  sc_trace(tf, res_valid_o, "argmax.res_valid_o");
  sc_trace(tf, res_ready_i, "argmax.res_ready_i");
  sc_trace(tf, res_class_o, "argmax.res_class_o");
  if (conv_) {
    b(cv_valid, {"conv1d.out_valid_o", "relu.in_valid_i"});
    b(cv_ready, {"relu.in_ready_o", "conv1d.out_ready_i"});
    w(cv_data, 16, {"conv1d.out_data_o", "relu.in_data_i"});
    b(rl_valid, {"relu.out_valid_o", "maxpool.in_valid_i"});
    b(rl_ready, {"maxpool.in_ready_o", "relu.out_ready_i"});
    w(rl_data, 16, {"relu.out_data_o", "maxpool.in_data_i"});
    b(row_valid, {"maxpool.row_valid_o", "controller.row_valid_i"});
    w(row_data, 16, {"maxpool.row_data_o", "kmux.x_i"});
    b(row_pop, {"controller.row_pop_o", "maxpool.row_ready_i"});
  } else {
    b(row_valid, {"spx.row_valid_o", "controller.row_valid_i"});
    w(row_data, 16, {"spx.row_data_o", "kmux.x_i"});
    b(row_pop, {"controller.row_pop_o", "spx.row_ready_i"});
  }
  b(beat_valid, {"controller.beat_valid_o", "kmux.beat_valid_i"});
  t(beat, {"controller.beat_o", "kmux.beat_i"});
  b(beat_ready, {"kmux.beat_ready_o", "controller.beat_ready_i"});
  b(hvec_pop, {"controller.h_pop_o", "sph.vec_pop_i"});
  b(hvec_valid, {"sph.vec_valid_o", "controller.h_valid_i"});
  b(lmem_en, {"kmux.mem_en_o", "wmem.lstm_en_i"});
  i(lmem_addr, 16, {"kmux.mem_addr_o", "wmem.lstm_addr_i"});
  w(lmem_data, 8, {"wmem.lstm_data_o", "kmux.mem_data_i"});
  b(op_valid, {"kmux.op_valid_o", "mvm.op_valid_i"});
  b(op_ready, {"mvm.op_ready_o", "kmux.op_ready_i"});
  w(op_data, 16, {"kmux.op_data_o", "mvm.op_data_i"});
  w(op_code, 4, {"kmux.op_code_o", "mvm.op_code_i"});
  t(op_tag, {"kmux.op_tag_o", "mvm.op_tag_i"});
  b(acc_valid, {"mvm.acc_valid_o", "ewu.acc_valid_i"});
  b(acc_ready, {"ewu.acc_ready_o", "mvm.acc_ready_i"});
  w(acc_data, 32, {"mvm.acc_data_o", "ewu.acc_data_i"});
  t(acc_tag, {"mvm.acc_tag_o", "ewu.acc_tag_i"});
  b(cpop_valid, {"fifo_c.pop_valid_o", "ewu.cpop_valid_i"});
  b(cpop_ready, {"ewu.cpop_ready_o", "fifo_c.pop_ready_i"});
  w(cpop_data, 16, {"fifo_c.pop_data_o", "ewu.cpop_data_i"});
  b(cpush_valid, {"ewu.cpush_valid_o", "fifo_c.push_valid_i"});
  b(cpush_ready, {"fifo_c.push_ready_o", "ewu.cpush_ready_i"});
  w(cpush_data, 16, {"ewu.cpush_data_o", "fifo_c.push_data_i"});
  b(bias_en, {"ewu.bias_en_o", "wmem.bias_en_i"});
  i(bias_addr, 16, {"ewu.bias_addr_o", "wmem.bias_addr_i"});
  w(bias_data, 16, {"wmem.bias_data_o", "ewu.bias_data_i"});
  b(h_valid, {"ewu.h_valid_o", "sph.h_valid_i"});
  b(h_ready, {"sph.h_ready_o", "ewu.h_ready_i"});
  w(h_data, 16, {"ewu.h_data_o", "sph.h_data_i"});
  i(h_row, 16, {"ewu.h_row_o", "sph.h_row_i"});
  b(h_last, {"ewu.h_last_o", "sph.h_last_i"});
  w(hvec, 16, {"sph.vec_o", "kmux.h_i", "fc.h_i"});
  b(hT_valid, {"sph.fc_valid_o", "fc.h_valid_i"});
  b(hT_ready, {"fc.h_ready_o", "sph.fc_ready_i"});
  b(fmem_en, {"fc.mem_en_o", "wmem.fc_en_i"});
  i(fmem_addr, 16, {"fc.mem_addr_o", "wmem.fc_addr_i"});
  i(fmem_row, 16, {"fc.mem_row_o", "wmem.fc_row_i"});
  w(fmem_data, 8, {"wmem.fc_data_o", "fc.mem_data_i"});
  i(fmem_bias, 16, {"wmem.fcb_data_o", "fc.mem_bias_i"});
  b(logit_valid, {"fc.logit_valid_o", "argmax.logit_valid_i"});
  b(logit_ready, {"argmax.logit_ready_o", "fc.logit_ready_i"});
  w(logits, 32, {"fc.logits_o", "argmax.logits_i"});
}

}  // namespace accel
