#include "netlist.hpp"

#include <set>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "argmax.hpp"
#include "controller.hpp"
#include "conv1d.hpp"
#include "ewu.hpp"
#include "fc.hpp"
#include "fifo_c.hpp"
#include "kmux.hpp"
#include "maxpool.hpp"
#include "mvm.hpp"
#include "relu.hpp"
#include "sph.hpp"
#include "spx.hpp"
#include "wmem.hpp"

namespace accel::netlist {

using lstm::arch::ArchConfig;
using lstm::formats::Model;

namespace {

template <typename B, typename = void>
struct has_counters : std::false_type {};
template <typename B>
struct has_counters<B, std::void_t<decltype(&B::counters)>> : std::true_type {};

template <typename B, typename... Args>
Built make(const char* name, Args&&... args) {
  auto b = std::make_unique<B>(name, std::forward<Args>(args)...);
  const Counters* c = nullptr;
  if constexpr (has_counters<B>::value) c = &b->counters;
  return {std::move(b), c};
}

// Element counts of the word vectors (the RTL wire is that many words).
int n_pix(const ArchConfig& a) { return a.pixels_per_beat; }
int n_conv(const ArchConfig& a) { return a.has_cnn() ? a.conv_ch_per_beat() : 1; }
int n_I(const ArchConfig& a) { return a.I; }
int n_H(const ArchConfig& a) { return a.H; }
int n_lanes(const ArchConfig& a) { return a.mvm_lanes; }
int n_acc(const ArchConfig& a) { return lstm::formats::kGates * a.rows_per_block(); }
int n_ewu(const ArchConfig& a) { return a.ewu_lanes; }
int n_bias(const ArchConfig& a) { return lstm::formats::kGates * a.ewu_lanes; }
int n_fc(const ArchConfig& a) { return a.fc_lanes; }
int n_cls(const ArchConfig& a) { return a.classes; }

constexpr Front any = Front::any, spx_ = Front::spx, cnn = Front::cnn;
constexpr Kind V = Kind::valid, R = Kind::ready, D = Kind::data;
constexpr Type bit = Type::bit, word = Type::word, words = Type::words, beat = Type::beat;

}  // namespace

const std::vector<Block>& blocks() {
  static const std::vector<Block> b = {
      {"spx", spx_, true, true,
       [](const char* n, const Model&, const ArchConfig& a) {
         return make<spx>(n, a.I, a.pixels_per_beat, a.spx_buffers, a.input_words);
       }},
      {"conv1d", cnn, true, false, [](const char* n, const Model& m, const ArchConfig& a) { return make<conv1d>(n, m, a); }},
      {"relu", cnn, true, false,
       [](const char* n, const Model&, const ArchConfig& a) { return make<relu>(n, a.conv_ch_per_beat()); }},
      {"maxpool", cnn, true, false,
       [](const char* n, const Model&, const ArchConfig& a) {
         return make<maxpool>(n, a.I, a.conv_ch_per_beat(), a.spx_buffers);
       }},
      {"controller", any, true, true,
       [](const char* n, const Model&, const ArchConfig& a) {
         return make<controller>(n, a.T, a.blocks(), a.w_beats(), a.u_beats());
       }},
      {"wmem", any, false, true, [](const char* n, const Model& m, const ArchConfig& a) { return make<wmem>(n, m, a); }},
      {"kmux", any, true, true, [](const char* n, const Model&, const ArchConfig& a) { return make<kmux>(n, a); }},
      {"mvm", any, true, true, [](const char* n, const Model&, const ArchConfig& a) { return make<mvm>(n, a); }},
      {"ewu", any, true, true, [](const char* n, const Model&, const ArchConfig& a) { return make<ewu>(n, a); }},
      {"fifo_c", any, true, true,
       [](const char* n, const Model&, const ArchConfig& a) {
         return make<fifo_c>(n, a.H / a.ewu_lanes, a.ewu_lanes);
       }},
      {"sph", any, true, true,
       [](const char* n, const Model&, const ArchConfig& a) { return make<sph>(n, a.H, a.ewu_lanes, a.stream_h); }},
      {"fc", any, true, false, [](const char* n, const Model&, const ArchConfig& a) { return make<fc>(n, a); }},
      {"argmax", any, true, false, [](const char* n, const Model&, const ArchConfig& a) { return make<argmax>(n, a.classes); }},
  };
  return b;
}

const std::vector<Net>& nets() {
  // name, top, kind, type, bits, elements, producer, consumers, channel, hold
  static const std::vector<Net> n = {
      // pixel stream in
      {"pix_valid_i", spx_, V, bit, 1, nullptr, {kTop, "pix_valid_i"}, {{"spx", "pix_valid_i"}}, "pix"},
      {"pix_ready_o", spx_, R, bit, 1, nullptr, {"spx", "pix_ready_o"}, {{kTop, "pix_ready_o"}}, "pix"},
      {"pix_data_i", spx_, D, words, 8, n_pix, {kTop, "pix_data_i"}, {{"spx", "pix_data_i"}}},
      {"pix_valid_i", cnn, V, bit, 1, nullptr, {kTop, "pix_valid_i"}, {{"conv1d", "pix_valid_i"}}, "pix"},
      {"pix_ready_o", cnn, R, bit, 1, nullptr, {"conv1d", "pix_ready_o"}, {{kTop, "pix_ready_o"}}, "pix"},
      {"pix_data_i", cnn, D, words, 8, n_pix, {kTop, "pix_data_i"}, {{"conv1d", "pix_data_i"}}},
      // Conv1d -> ReLU -> MaxPool
      {"cv_valid", cnn, V, bit, 1, nullptr, {"conv1d", "out_valid_o"}, {{"relu", "in_valid_i"}}, "conv"},
      {"cv_ready", cnn, R, bit, 1, nullptr, {"relu", "in_ready_o"}, {{"conv1d", "out_ready_i"}}, "conv"},
      {"cv_data", cnn, D, words, 16, n_conv, {"conv1d", "out_data_o"}, {{"relu", "in_data_i"}}},
      {"rl_valid", cnn, V, bit, 1, nullptr, {"relu", "out_valid_o"}, {{"maxpool", "in_valid_i"}}, "relu"},
      {"rl_ready", cnn, R, bit, 1, nullptr, {"maxpool", "in_ready_o"}, {{"relu", "out_ready_i"}}, "relu"},
      {"rl_data", cnn, D, words, 16, n_conv, {"relu", "out_data_o"}, {{"maxpool", "in_data_i"}}},
      // S-P-X (or MaxPool) -> controller / KMUX; a row is held for a whole W phase
      {"row_valid", spx_, V, bit, 1, nullptr, {"spx", "row_valid_o"}, {{"controller", "row_valid_i"}}, "row", true},
      {"row_pop", spx_, R, bit, 1, nullptr, {"controller", "row_pop_o"}, {{"spx", "row_ready_i"}}, "row"},
      {"row_data", spx_, D, words, 16, n_I, {"spx", "row_data_o"}, {{"kmux", "x_i"}}},
      {"row_valid", cnn, V, bit, 1, nullptr, {"maxpool", "row_valid_o"}, {{"controller", "row_valid_i"}}, "row", true},
      {"row_pop", cnn, R, bit, 1, nullptr, {"controller", "row_pop_o"}, {{"maxpool", "row_ready_i"}}, "row"},
      {"row_data", cnn, D, words, 16, n_I, {"maxpool", "row_data_o"}, {{"kmux", "x_i"}}},
      // controller -> KMUX
      {"beat_valid", any, V, bit, 1, nullptr, {"controller", "beat_valid_o"}, {{"kmux", "beat_valid_i"}}, "beat"},
      {"beat_ready", any, R, bit, 1, nullptr, {"kmux", "beat_ready_o"}, {{"controller", "beat_ready_i"}}, "beat"},
      {"beat", any, D, beat, 0, nullptr, {"controller", "beat_o"}, {{"kmux", "beat_i"}}},
      // KMUX <-> LSTM weight ROM
      {"lmem_en", any, D, bit, 1, nullptr, {"kmux", "mem_en_o"}, {{"wmem", "lstm_en_i"}}},
      {"lmem_addr", any, D, word, 16, nullptr, {"kmux", "mem_addr_o"}, {{"wmem", "lstm_addr_i"}}},
      {"lmem_data", any, D, words, 8, n_lanes, {"wmem", "lstm_data_o"}, {{"kmux", "mem_data_i"}}},
      // KMUX -> MVM
      {"op_valid", any, V, bit, 1, nullptr, {"kmux", "op_valid_o"}, {{"mvm", "op_valid_i"}}, "op"},
      {"op_ready", any, R, bit, 1, nullptr, {"mvm", "op_ready_o"}, {{"kmux", "op_ready_i"}}, "op"},
      {"op_data", any, D, words, 16, n_lanes, {"kmux", "op_data_o"}, {{"mvm", "op_data_i"}}},
      {"op_code", any, D, words, 4, n_lanes, {"kmux", "op_code_o"}, {{"mvm", "op_code_i"}}},
      {"op_tag", any, D, beat, 0, nullptr, {"kmux", "op_tag_o"}, {{"mvm", "op_tag_i"}}},
      // MVM -> EWU
      {"acc_valid", any, V, bit, 1, nullptr, {"mvm", "acc_valid_o"}, {{"ewu", "acc_valid_i"}}, "acc"},
      {"acc_ready", any, R, bit, 1, nullptr, {"ewu", "acc_ready_o"}, {{"mvm", "acc_ready_i"}}, "acc"},
      {"acc_data", any, D, words, 32, n_acc, {"mvm", "acc_data_o"}, {{"ewu", "acc_data_i"}}},
      {"acc_tag", any, D, beat, 0, nullptr, {"mvm", "acc_tag_o"}, {{"ewu", "acc_tag_i"}}},
      // FIFO-C <-> EWU
      {"cpop_valid", any, V, bit, 1, nullptr, {"fifo_c", "pop_valid_o"}, {{"ewu", "cpop_valid_i"}}, "c_prev"},
      {"cpop_ready", any, R, bit, 1, nullptr, {"ewu", "cpop_ready_o"}, {{"fifo_c", "pop_ready_i"}}, "c_prev"},
      {"cpop_data", any, D, words, 16, n_ewu, {"fifo_c", "pop_data_o"}, {{"ewu", "cpop_data_i"}}},
      {"cpush_valid", any, V, bit, 1, nullptr, {"ewu", "cpush_valid_o"}, {{"fifo_c", "push_valid_i"}}, "c"},
      {"cpush_ready", any, R, bit, 1, nullptr, {"fifo_c", "push_ready_o"}, {{"ewu", "cpush_ready_i"}}, "c"},
      {"cpush_data", any, D, words, 16, n_ewu, {"ewu", "cpush_data_o"}, {{"fifo_c", "push_data_i"}}},
      // EWU <-> bias ROM
      {"bias_en", any, D, bit, 1, nullptr, {"ewu", "bias_en_o"}, {{"wmem", "bias_en_i"}}},
      {"bias_addr", any, D, word, 16, nullptr, {"ewu", "bias_addr_o"}, {{"wmem", "bias_addr_i"}}},
      {"bias_data", any, D, words, 16, n_bias, {"wmem", "bias_data_o"}, {{"ewu", "bias_data_i"}}},
      // EWU -> S-P-H
      {"h_valid", any, V, bit, 1, nullptr, {"ewu", "h_valid_o"}, {{"sph", "h_valid_i"}}, "h"},
      {"h_ready", any, R, bit, 1, nullptr, {"sph", "h_ready_o"}, {{"ewu", "h_ready_i"}}, "h"},
      {"h_data", any, D, words, 16, n_ewu, {"ewu", "h_data_o"}, {{"sph", "h_data_i"}}},
      {"h_row", any, D, word, 16, nullptr, {"ewu", "h_row_o"}, {{"sph", "h_row_i"}}},
      {"h_last", any, D, bit, 1, nullptr, {"ewu", "h_last_o"}, {{"sph", "h_last_i"}}},
      // S-P-H -> controller / KMUX / FC; h_{t-1} is held for a whole U phase
      {"hvec", any, D, words, 16, n_H, {"sph", "vec_o"}, {{"kmux", "h_i"}, {"fc", "h_i"}}},
      {"hvec_valid", any, V, bit, 1, nullptr, {"sph", "vec_valid_o"}, {{"controller", "h_valid_i"}}, "h_prev", true},
      {"hvec_pop", any, R, bit, 1, nullptr, {"controller", "h_pop_o"}, {{"sph", "vec_pop_i"}}, "h_prev"},
      {"hrel", any, D, bit, 1, nullptr, {"sph", "rel_o"}, {{"controller", "h_rel_i"}}},
      {"hT_valid", any, V, bit, 1, nullptr, {"sph", "fc_valid_o"}, {{"fc", "h_valid_i"}}, "h_T"},
      {"hT_ready", any, R, bit, 1, nullptr, {"fc", "h_ready_o"}, {{"sph", "fc_ready_i"}}, "h_T"},
      // Stacked: S-P-H of layer l streams h_t into S-P-X of layer l + 1
      {"up_valid", any, V, bit, 1, nullptr, {"sph", "out_valid_o"}, {{"spx", "pix_valid_i"}}, "up", false, true},
      {"up_ready", any, R, bit, 1, nullptr, {"spx", "pix_ready_o"}, {{"sph", "out_ready_i"}}, "up", false, true},
      {"up_data", any, D, words, 16, n_ewu, {"sph", "out_data_o"}, {{"spx", "pix_data_i"}}, "", false, true},
      // FC <-> FC weight ROM
      {"fmem_en", any, D, bit, 1, nullptr, {"fc", "mem_en_o"}, {{"wmem", "fc_en_i"}}},
      {"fmem_addr", any, D, word, 16, nullptr, {"fc", "mem_addr_o"}, {{"wmem", "fc_addr_i"}}},
      {"fmem_row", any, D, word, 16, nullptr, {"fc", "mem_row_o"}, {{"wmem", "fc_row_i"}}},
      {"fmem_data", any, D, words, 8, n_fc, {"wmem", "fc_data_o"}, {{"fc", "mem_data_i"}}},
      {"fmem_bias", any, D, word, 16, nullptr, {"wmem", "fcb_data_o"}, {{"fc", "mem_bias_i"}}},
      // FC -> arg-max
      {"logit_valid", any, V, bit, 1, nullptr, {"fc", "logit_valid_o"}, {{"argmax", "logit_valid_i"}}, "logits"},
      {"logit_ready", any, R, bit, 1, nullptr, {"argmax", "logit_ready_o"}, {{"fc", "logit_ready_i"}}, "logits"},
      {"logits", any, D, words, 32, n_cls, {"fc", "logits_o"}, {{"argmax", "logits_i"}}},
      // result stream out
      {"res_valid_o", any, V, bit, 1, nullptr, {"argmax", "res_valid_o"}, {{kTop, "res_valid_o"}}, "res"},
      {"res_ready_i", any, R, bit, 1, nullptr, {kTop, "res_ready_i"}, {{"argmax", "res_ready_i"}}, "res"},
      {"res_class_o", any, D, word, 32, nullptr, {"argmax", "res_class_o"}, {{kTop, "res_class_o"}}},
      {"res_logits_o", any, D, words, 32, n_cls, {"argmax", "res_logits_o"}, {{kTop, "res_logits_o"}}},
  };
  return n;
}

namespace {

const char* intern(const std::string& s) {
  static std::set<std::string> pool;  // nodes never move: c_str() stays valid
  return pool.insert(s).first->c_str();
}

const Block* find_block(const char* name) {
  for (const Block& b : blocks())
    if (std::string(b.name) == name) return &b;
  return nullptr;
}

std::string prefix(int l, int L) { return layer_prefix(l, L); }

// Whether a per-layer row is in layer l: layer 1 takes the front end the
// config has (S-P-X or the CNN), the layers above always S-P-X.
bool in_layer(Front f, int l, bool cnn) { return l == 0 ? in_top(f, cnn) : f != Front::cnn; }

// Once-only blocks before the layers (the CNN front end) or after them.
bool is_front(const Block& b) { return b.front == Front::cnn; }

// Layer l's instance of a per-layer net (or an `up` net from l to l + 1);
// false when its producer or every consumer is not in this top.
bool instantiate(const Net& n, int l, int L, bool cnn, Net& out) {
  out = n;
  auto place = [&](const Pin& p, int layer, Pin& q) {
    q = p;
    if (std::string(p.block) == kTop) return layer == 0;  // the pixel stream feeds layer 1
    const Block* b = find_block(p.block);
    if (!b->per_layer) return is_front(*b) ? layer == 0 : layer == L - 1;
    if (!in_layer(b->front, layer, cnn)) return false;
    q.block = intern(prefix(layer, L) + p.block);
    return true;
  };
  // An up net's S-P-X end is in the layer above.
  auto layer_of = [&](const Pin& p) { return n.up && std::string(p.block) == "spx" ? l + 1 : l; };
  if (!place(n.from, layer_of(n.from), out.from)) return false;
  out.to.clear();
  for (const Pin& p : n.to) {
    Pin q;
    if (place(p, layer_of(p), q)) out.to.push_back(q);
  }
  if (out.to.empty()) return false;
  // A net at the top's boundary keeps the port's name.
  bool boundary = false;
  for (const Pin& p : pins(n)) boundary = boundary || std::string(p.block) == kTop;
  if (!boundary) {
    out.name = intern(prefix(l, L) + n.name);
    if (*n.channel) out.channel = intern(prefix(l, L) + n.channel);
  }
  out.layer = l;
  return true;
}

bool per_layer(const Net& n) {
  for (const Pin& p : pins(n))
    if (std::string(p.block) != kTop && find_block(p.block)->per_layer) return true;
  return false;
}

bool front_net(const Net& n) {
  for (const Pin& p : pins(n))
    if (std::string(p.block) != kTop && is_front(*find_block(p.block))) return true;
  return false;
}

}  // namespace

std::string layer_prefix(int l, int L) { return L > 1 ? "l" + std::to_string(l + 1) + "_" : ""; }

std::vector<Block> blocks(const ArchConfig& a) {
  const bool cnn = a.has_cnn();
  const int L = a.num_layers();
  std::vector<Block> out;
  for (const Block& b : blocks())
    if (!b.per_layer && is_front(b) && in_top(b.front, cnn)) out.push_back(b);
  for (int l = 0; l < L; ++l)
    for (const Block& b : blocks())
      if (b.per_layer && in_layer(b.front, l, cnn)) {
        Block x = b;
        x.name = intern(prefix(l, L) + b.name);
        x.layer = l;
        out.push_back(x);
      }
  for (const Block& b : blocks())
    if (!b.per_layer && !is_front(b) && in_top(b.front, cnn)) out.push_back(b);
  return out;
}

std::vector<Net> nets(const ArchConfig& a) {
  const bool cnn = a.has_cnn();
  const int L = a.num_layers();
  std::vector<Net> out;
  for (const Net& n : nets())
    if (!per_layer(n) && front_net(n) && in_top(n.front, cnn)) out.push_back(n);
  for (int l = 0; l < L; ++l) {
    for (const Net& n : nets()) {
      Net x;
      if (!n.up && per_layer(n) && in_layer(n.front, l, cnn) && instantiate(n, l, L, cnn, x)) out.push_back(x);
    }
    for (const Net& n : nets()) {
      Net x;
      if (n.up && l + 1 < L && instantiate(n, l, L, cnn, x)) out.push_back(x);
    }
  }
  for (const Net& n : nets())
    if (!per_layer(n) && !front_net(n) && in_top(n.front, cnn)) out.push_back(n);
  return out;
}

std::vector<Pin> pins(const Net& n) {
  std::vector<Pin> p = {n.from};
  p.insert(p.end(), n.to.begin(), n.to.end());
  return p;
}

int elems(const Net& n, const ArchConfig& a) { return n.elems(n.layer >= 0 ? a.layer(n.layer) : a); }

std::vector<Channel> channels(const ArchConfig& a) {
  std::vector<Channel> out;
  const auto ns = nets(a);
  for (const Net& v : ns) {
    if (v.kind != Kind::valid) continue;
    const Net* r = nullptr;
    for (const Net& x : ns)
      if (x.kind == Kind::ready && std::string(x.channel) == v.channel) r = &x;
    if (!r) throw std::logic_error(std::string("netlist: channel ") + v.channel + " has no ready net");
    out.push_back({v, *r});
  }
  return out;
}

int bits(const Net& n, const ArchConfig& a) {
  return a.input_words && std::string_view(n.name) == "pix_data_i" ? 16 : n.bits;
}

std::vector<std::string> vcd_names(const Net& n, const std::string& pin, const ArchConfig& a) {
  auto range = [](int bits) { return bits > 1 ? "[" + std::to_string(bits - 1) + ":0]" : std::string(); };
  std::vector<std::string> out;
  switch (n.type) {
    case Type::bit:
    case Type::word:
      out.push_back(pin + range(bits(n, a)));
      break;
    case Type::words:
      for (int i = 0; i < elems(n, a); ++i) out.push_back(pin + "_" + std::to_string(i) + range(bits(n, a)));
      break;
    case Type::beat: {
      Beat b;
      for_each_field(b, [&](const char* suffix, auto&, int bits) { out.push_back(pin + suffix + range(bits)); });
      break;
    }
  }
  return out;
}

}  // namespace accel::netlist
