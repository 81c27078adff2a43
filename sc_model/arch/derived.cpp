#include "arch/derived.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <nlohmann/json.hpp>
#include <memory>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "arch/arch.hpp"

#include <nlohmann/json.hpp>

namespace lstm::arch {

const std::vector<DerivedRule>& derived_rules() {
  static const std::vector<DerivedRule> rules = {
      // MVM schedule and the Beat tag (docs/architecture.md, docs/rtl.md).
      {"R", "LANES / (4 * K * GROUPS)", "hidden rows per block"},
      {"B", "H / R", "blocks per phase"},
      {"WC", "I / (C * GROUPS)", "beats per block, W phase"},
      {"UC", "H / (C * GROUPS)", "beats per block, U phase"},
      {"JMAX", "WC > UC ? WC : UC", "beats per block, longer phase"},
      {"KG", "K * GROUPS", "MVM lanes per gate row"},
      {"GC", "GROUPS * C", "KMUX operands per beat"},
      {"TW", "T > 1 ? $clog2(T) : 1", "Beat step bits"},
      {"BW", "B > 1 ? $clog2(B) : 1", "Beat block bits"},
      {"JW", "JMAX > 1 ? $clog2(JMAX) : 1", "Beat beat bits"},
      {"BEAT_BLOCK_LSB", "1 + TW", "Beat: block field LSB (phase is bit 0, step from bit 1)"},
      {"BEAT_BEAT_LSB", "1 + TW + BW", "Beat: beat field LSB"},
      {"BEAT_FIRST_BIT", "1 + TW + BW + JW", "Beat: first"},
      {"BEAT_LAST_BIT", "BEAT_FIRST_BIT + 1", "Beat: last"},
      {"BEAT_FS_BIT", "BEAT_FIRST_BIT + 2", "Beat: first_step"},
      {"BEAT_LS_BIT", "BEAT_FIRST_BIT + 3", "Beat: last_step"},
      {"BEAT_W", "BEAT_FIRST_BIT + 4", "Beat bits"},
      {"ACC_W", "18 + $clog2((I / C + H / C) * K)", "MVM accumulator bits (exact W.x + U.h)"},
      // Weight memories.
      {"IDX_W", "C > 1 ? $clog2(C) : 1", "in-group index bits"},
      {"ENT_W", "IDX_W + 4", "ROM entry bits {idx, code}"},
      {"LSTM_DEPTH", "B * (WC + UC)", "LSTM weight ROM words"},
      {"LA_W", "LSTM_DEPTH > 1 ? $clog2(LSTM_DEPTH) : 1", "LSTM ROM address bits"},
      // EWU, FIFO-C, S-P-H.
      {"S", "R / EWU_LANES", "EWU sub-beats per block"},
      {"SW", "S > 1 ? $clog2(S) : 1", "EWU sub-beat counter bits"},
      {"EWU_BEATS", "H / EWU_LANES", "EWU beats per step: bias ROM words, FIFO-C entries, S-P-H beats per bank"},
      {"BA_W", "EWU_BEATS > 1 ? $clog2(EWU_BEATS) : 1", "bias ROM address bits"},
      {"RW", "H > 1 ? $clog2(H) : 1", "hidden row bits"},
      {"SPH_SW", "$clog2(EWU_BEATS + 1)", "S-P-H sent-beat count bits (0..EWU_BEATS)"},
      // FC and arg-max.
      {"FC_GF", "FC_LANES / K", "FC groups per beat"},
      {"FC_FB", "H / (C * FC_GF)", "FC beats per row"},
      {"FC_DEPTH", "CLASSES * FC_FB", "FC weight ROM words"},
      {"FA_W", "FC_DEPTH > 1 ? $clog2(FC_DEPTH) : 1", "FC ROM address bits"},
      {"FC_JW", "FC_FB > 1 ? $clog2(FC_FB) : 1", "FC beat counter bits"},
      {"FC_ACC_W", "20 + $clog2((H / C) * K)", "FC accumulator bits"},
      {"CLASS_W", "CLASSES > 1 ? $clog2(CLASSES) : 1", "class index bits"},
      {"ARG_IW", "$clog2(CLASSES + 1)", "arg-max scan index bits (0..CLASSES)"},
      // S-P-X and MaxPool row buffers.
      {"SPX_X", "I / PIX_PER_BEAT", "S-P-X beats per row"},
      {"SPX_XW", "SPX_X > 1 ? $clog2(SPX_X) : 1", "S-P-X beat index bits"},
      {"NB_W", "SPX_BUFFERS > 1 ? $clog2(SPX_BUFFERS) : 1", "row buffer index bits"},
      {"NB_FW", "$clog2(SPX_BUFFERS + 1)", "full-buffer count bits (0..SPX_BUFFERS)"},
      // CNN front end (CNN_IN = 0: none; the rules stay defined).
      {"CONV_TAPS", "3 * CNN_IN", "Conv1d products per output value"},
      {"CONV_PC", "CONV_TAPS == 0 ? 1 : (CONV_LANES >= CONV_TAPS ? CONV_LANES / CONV_TAPS : 1)",
       "Conv1d output channels per beat"},
      {"CONV_J", "CONV_TAPS == 0 ? 1 : (CONV_LANES >= CONV_TAPS ? 1 : CONV_TAPS / CONV_LANES)",
       "Conv1d beats per channel"},
      {"CONV_LC", "CONV_LANES / CONV_PC", "Conv1d lanes per channel"},
      {"CONV_G", "I / CONV_PC", "Conv1d channel groups per step"},
      {"CONV_STEPS", "2 * T", "image rows (pool width 2)"},
      {"CONV_X", "CNN_IN / PIX_PER_BEAT", "Conv1d input beats per image row"},
      {"CONV_DEPTH", "CONV_G * CONV_J", "Conv1d weight ROM words"},
      {"CONV_AW", "32 + $clog2(CONV_TAPS)", "Conv1d accumulator bits"},
      {"CONV_XW", "CONV_X > 1 ? $clog2(CONV_X) : 1", "Conv1d beat index bits"},
      {"CONV_JW", "CONV_J > 1 ? $clog2(CONV_J) : 1", "Conv1d beat-per-channel bits"},
      {"CONV_GW", "CONV_G > 1 ? $clog2(CONV_G) : 1", "Conv1d group bits"},
      {"CONV_TW", "CONV_STEPS > 1 ? $clog2(CONV_STEPS) : 1", "Conv1d step bits"},
      {"CONV_DW", "CONV_DEPTH > 1 ? $clog2(CONV_DEPTH) : 1", "Conv1d ROM address bits"},
      {"CH_PER_BEAT", "CONV_PC", "words per beat from Conv1d through ReLU to MaxPool"},
      {"POOL_G", "I / CH_PER_BEAT", "MaxPool beats per step"},
      {"POOL_GW", "POOL_G > 1 ? $clog2(POOL_G) : 1", "MaxPool beat index bits"},
  };
  return rules;
}

const std::vector<RtlModuleDerived>& rtl_module_derived() {
  static const std::vector<RtlModuleDerived> mods = {
      {"controller", {"R", "B", "WC", "UC", "TW", "BW", "JW", "BEAT_W"}},
      {"kmux", {"R", "B", "WC", "UC", "GC", "TW", "BW", "JW", "BEAT_W", "BEAT_BLOCK_LSB", "BEAT_BEAT_LSB",
                "BEAT_FS_BIT", "IDX_W", "ENT_W", "LSTM_DEPTH", "LA_W"}},
      {"mvm", {"R", "B", "WC", "UC", "KG", "ACC_W", "TW", "BW", "JW", "BEAT_W", "BEAT_BLOCK_LSB", "BEAT_FIRST_BIT",
               "BEAT_LAST_BIT"}},
      {"ewu", {"R", "B", "S", "WC", "UC", "ACC_W", "TW", "BW", "JW", "BEAT_W", "SW", "EWU_BEATS", "BA_W", "RW",
               "BEAT_BLOCK_LSB", "BEAT_FS_BIT", "BEAT_LS_BIT"}},
      {"wmem", {"IDX_W", "ENT_W", "R", "LSTM_DEPTH", "EWU_BEATS", "FC_DEPTH", "LA_W", "BA_W", "FA_W", "CLASS_W"},
       {}, true},
      {"fc", {"FC_GF", "FC_FB", "IDX_W", "ENT_W", "FC_DEPTH", "FA_W", "CLASS_W", "FC_JW", "FC_ACC_W"}},
      {"argmax", {"CLASS_W", "ARG_IW"}},
      {"sph", {"EWU_BEATS", "RW", "SPH_SW"}},
      {"spx", {"SPX_X", "SPX_XW", "NB_W", "NB_FW"}},
      {"maxpool", {"POOL_G", "POOL_GW", "NB_W", "NB_FW"}, {"CH_PER_BEAT"}},
      {"conv1d", {"CONV_TAPS", "CONV_PC", "CONV_J", "CONV_LC", "CONV_G", "CONV_STEPS", "CONV_X", "CONV_DEPTH",
                  "CONV_AW", "CONV_XW", "CONV_JW", "CONV_GW", "CONV_TW", "CONV_DW"}},
      {"lstm_layer", {"R", "B", "WC", "UC", "TW", "BW", "JW", "BEAT_W", "IDX_W", "ENT_W", "LSTM_DEPTH", "LA_W",
                      "ACC_W", "EWU_BEATS", "BA_W", "RW", "FC_GF", "FC_DEPTH", "FA_W", "CLASS_W", "CH_PER_BEAT"},
       {}, true},
      {"lstm_accel", {"CLASS_W"}, {}, true},
      {"cnn_lstm_accel", {"CLASS_W"}, {}, true},
      {"lstm_stack", {"CLASS_W"}, {}, true},
  };
  return mods;
}

// ---- expression evaluation ----------------------------------------------

namespace {

struct Node {
  enum Kind { Num, Var, Clog2, Neg, Bin, Cond } kind = Num;
  int64_t value = 0;
  std::string name, op;
  std::unique_ptr<Node> a, b, c;
};

std::unique_ptr<Node> mk(Node::Kind k) {
  auto n = std::make_unique<Node>();
  n->kind = k;
  return n;
}

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}
  std::unique_ptr<Node> parse() {
    auto n = cond();
    skip();
    if (i_ != s_.size()) fail("unexpected '" + s_.substr(i_) + "'");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& m) const {
    throw std::invalid_argument("expression '" + s_ + "': " + m);
  }
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(const std::string& t) {
    skip();
    if (s_.compare(i_, t.size(), t) != 0) return false;
    // "<" must not eat the first char of "<=", and so on.
    if ((t == "<" || t == ">") && i_ + 1 < s_.size() && s_[i_ + 1] == '=') return false;
    i_ += t.size();
    return true;
  }
  static std::unique_ptr<Node> bin(std::string op, std::unique_ptr<Node> l, std::unique_ptr<Node> r) {
    auto n = mk(Node::Bin);
    n->op = std::move(op);
    n->a = std::move(l);
    n->b = std::move(r);
    return n;
  }
  std::unique_ptr<Node> cond() {
    auto c = binary(0);
    if (!eat("?")) return c;
    auto t = cond();
    if (!eat(":")) fail("':' expected");
    auto e = cond();
    auto n = mk(Node::Cond);
    n->a = std::move(c);
    n->b = std::move(t);
    n->c = std::move(e);
    return n;
  }
  // Precedence levels, loosest first.
  std::unique_ptr<Node> binary(size_t level) {
    static const std::vector<std::vector<std::string>> ops = {
        {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}};
    if (level == ops.size()) return unary();
    auto l = binary(level + 1);
    for (;;) {
      bool any = false;
      for (const std::string& op : ops[level]) {
        if (eat(op)) {
          l = bin(op, std::move(l), binary(level + 1));
          any = true;
          break;
        }
      }
      if (!any) return l;
    }
  }
  std::unique_ptr<Node> unary() {
    if (eat("-")) {
      auto n = mk(Node::Neg);
      n->a = unary();
      return n;
    }
    return primary();
  }
  std::unique_ptr<Node> primary() {
    skip();
    if (eat("(")) {
      auto n = cond();
      if (!eat(")")) fail("')' expected");
      return n;
    }
    if (eat("$clog2")) {
      if (!eat("(")) fail("'(' expected after $clog2");
      auto n = mk(Node::Clog2);
      n->a = cond();
      if (!eat(")")) fail("')' expected");
      return n;
    }
    if (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      auto n = mk(Node::Num);
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) n->value = n->value * 10 + (s_[i_++] - '0');
      return n;
    }
    if (i_ < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) {
      auto n = mk(Node::Var);
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) n->name += s_[i_++];
      return n;
    }
    fail(i_ < s_.size() ? "unexpected '" + s_.substr(i_) + "'" : "unexpected end");
  }
  const std::string& s_;
  size_t i_ = 0;
};

int64_t clog2(int64_t v) {  // Verilog $clog2: ceil(log2(v)), 0 for v <= 1
  int64_t r = 0;
  while ((int64_t(1) << r) < v) ++r;
  return r;
}

int64_t eval(const Node& n, const ParamEnv& env) {
  switch (n.kind) {
    case Node::Num: return n.value;
    case Node::Var: {
      auto it = env.find(n.name);
      if (it == env.end()) throw std::invalid_argument("unknown parameter '" + n.name + "'");
      return it->second;
    }
    case Node::Clog2: return clog2(eval(*n.a, env));
    case Node::Neg: return -eval(*n.a, env);
    case Node::Cond: return eval(*n.a, env) ? eval(*n.b, env) : eval(*n.c, env);
    case Node::Bin: break;
  }
  const int64_t l = eval(*n.a, env), r = eval(*n.b, env);
  const std::string& op = n.op;
  if (op == "+") return l + r;
  if (op == "-") return l - r;
  if (op == "*") return l * r;
  if (op == "/") return r == 0 ? 0 : l / r;
  if (op == "%") return r == 0 ? 0 : l % r;
  if (op == "<") return l < r;
  if (op == "<=") return l <= r;
  if (op == ">") return l > r;
  if (op == ">=") return l >= r;
  if (op == "==") return l == r;
  if (op == "!=") return l != r;
  if (op == "&&") return l && r;
  return l || r;  // "||"
}

// The rules parsed once.
const std::vector<std::unique_ptr<Node>>& parsed_rules() {
  static const std::vector<std::unique_ptr<Node>> p = [] {
    std::vector<std::unique_ptr<Node>> v;
    for (const DerivedRule& r : derived_rules()) v.push_back(Parser(r.expr).parse());
    return v;
  }();
  return p;
}

void collect_names(const Node& n, std::set<std::string>& out) {
  if (n.kind == Node::Var) out.insert(n.name);
  for (const Node* c : {n.a.get(), n.b.get(), n.c.get()})
    if (c) collect_names(*c, out);
}

}  // namespace

int64_t eval_verilog_expr(const std::string& expr, const ParamEnv& env) { return eval(*Parser(expr).parse(), env); }

std::vector<std::pair<std::string, int64_t>> rtl_base_params(const ArchConfig& a) {
  std::vector<std::pair<std::string, int64_t>> v = {
      {"I", a.I},           {"H", a.H},         {"T", a.T},
      {"CLASSES", a.classes}, {"C", a.c},       {"K", a.k},
      {"LANES", a.mvm_lanes}, {"GROUPS", a.mvm_groups}, {"EWU_LANES", a.ewu_lanes},
      {"FC_LANES", a.fc_lanes}, {"PIX_PER_BEAT", a.pixels_per_beat}, {"SPX_BUFFERS", a.spx_buffers}};
  if (a.has_cnn()) {
    v.push_back({"CNN_IN", a.cnn_in});
    v.push_back({"CONV_LANES", a.conv_lanes});
  }
  return v;
}

ParamEnv base_params(const ArchConfig& a) {
  ParamEnv env = {{"CNN_IN", 0}, {"CONV_LANES", 0}};
  for (const auto& [name, v] : rtl_base_params(a)) env[name] = v;
  return env;
}

std::vector<std::pair<std::string, std::string>> rtl_params(const ArchConfig& a) {
  std::vector<std::pair<std::string, std::string>> v;
  // The tops' INPUT_WORDS (a 16-bit word per element on the input stream),
  // given only when set, so a pixel design's parameter list is unchanged.
  const std::pair<std::string, std::string> words = {"INPUT_WORDS", "1"};
  if (a.num_layers() == 1) {
    for (const auto& [name, x] : rtl_base_params(a)) v.push_back({name, std::to_string(x)});
    if (a.input_words) v.push_back(words);
    return v;
  }
  // rtl/lstm_stack.v: the shared dimensions, then each per-layer field
  // packed 32 bits per layer, layer 1 in the low bits.
  const int L = a.num_layers();
  v = {{"LAYERS", std::to_string(L)}, {"I", std::to_string(a.I)}, {"T", std::to_string(a.T)},
       {"CLASSES", std::to_string(a.classes)}, {"C", std::to_string(a.c)}, {"K", std::to_string(a.k)},
       {"FC_LANES", std::to_string(a.fc_lanes)}, {"PIX_PER_BEAT", std::to_string(a.pixels_per_beat)}};
  if (a.has_cnn()) {
    v.push_back({"CNN_IN", std::to_string(a.cnn_in)});
    v.push_back({"CONV_LANES", std::to_string(a.conv_lanes)});
  }
  auto packed = [&](int LayerArch::*f, int ArchConfig::*top) {
    std::string hex;
    for (int l = L - 1; l >= 0; --l) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(l == 0 ? a.*top : a.more_layers[size_t(l) - 1].*f));
      hex += buf;
    }
    return std::to_string(32 * L) + "'h" + hex;
  };
  v.push_back({"LAYER_H", packed(&LayerArch::H, &ArchConfig::H)});
  v.push_back({"LAYER_LANES", packed(&LayerArch::mvm_lanes, &ArchConfig::mvm_lanes)});
  v.push_back({"LAYER_GROUPS", packed(&LayerArch::mvm_groups, &ArchConfig::mvm_groups)});
  v.push_back({"LAYER_EWU_LANES", packed(&LayerArch::ewu_lanes, &ArchConfig::ewu_lanes)});
  v.push_back({"LAYER_SPX_BUFFERS", packed(&LayerArch::spx_buffers, &ArchConfig::spx_buffers)});
  if (a.input_words) v.push_back(words);
  return v;
}

std::string rtl_top(const ArchConfig& a) {
  return a.num_layers() > 1 ? "lstm_stack" : a.has_cnn() ? "cnn_lstm_accel" : "lstm_accel";
}

std::string verilator_params(const ArchConfig& a, bool lines) {
  std::string s;
  for (const auto& [name, v] : rtl_params(a)) s += std::string(s.empty() ? "" : (lines ? "\n" : " ")) + "-G" + name + "=" + v;
  return s + (lines ? "\n" : "");
}

nlohmann::ordered_json describe(const ArchConfig& a) {
  nlohmann::ordered_json j;
  nlohmann::ordered_json rtl;
  for (const auto& [name, v] : rtl_params(a)) {
    if (v.find('\'') == std::string::npos) rtl[name] = std::stoll(v);
    else rtl[name] = v;
  }
  const ParamEnv env = derive(a);  // stacked: layer 1's (each layer: lstmsim arch on a.layer(l))
  nlohmann::ordered_json d;
  for (const DerivedRule& r : derived_rules()) d[r.name] = env.at(r.name);
  j["name"] = a.name;
  j["top"] = rtl_top(a);
  j["rtl_params"] = rtl;
  j["verilator_params"] = verilator_params(a);
  j["derived"] = d;
  return j;
}

ParamEnv derive(const ArchConfig& a) {
  ParamEnv env = base_params(a);
  const auto& rules = derived_rules();
  const auto& parsed = parsed_rules();
  for (size_t i = 0; i < rules.size(); ++i) env[rules[i].name] = eval(*parsed[i], env);
  return env;
}

ParamEnv derive_partial(const ParamEnv& given) {
  // A module may take a derived value as its own parameter (maxpool's
  // CH_PER_BEAT): a given rule name is kept, not recomputed.
  const ParamEnv base = base_params(ArchConfig{});
  const auto& rules = derived_rules();
  // A stacked layer's blocks also take STREAM (S-P-H streams h_t to the
  // layer above) and WORDS_IN (S-P-X, Conv1d take Q2.13 words), the tops
  // INPUT_WORDS (WORDS_IN of layer 1); they derive nothing.
  static const std::set<std::string> layer_flags = {"STREAM", "WORDS_IN", "INPUT_WORDS"};
  for (const auto& kv : given) {
    const std::string& name = kv.first;  // a named variable: clang 14 cannot capture a structured binding
    if (!base.count(name) && !layer_flags.count(name) && std::none_of(rules.begin(), rules.end(), [&](const DerivedRule& r) { return name == r.name; }))
      throw std::invalid_argument("'" + name + "' is no RTL parameter of the design");
  }
  ParamEnv env = given;
  const auto& parsed = parsed_rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    if (env.count(rules[i].name)) continue;
    std::set<std::string> uses;
    collect_names(*parsed[i], uses);
    if (std::all_of(uses.begin(), uses.end(), [&](const std::string& n) { return env.count(n) > 0; }))
      env[rules[i].name] = eval(*parsed[i], env);
  }
  return env;
}

int64_t derived_value(const ArchConfig& a, std::string_view name) {
  // Accessors are called in per-cycle model code (e.g. Conv1d's tap
  // selection): the values of the last config seen are kept per thread,
  // and a name is found without allocating.
  static const std::unordered_map<std::string_view, size_t> index = [] {
    std::unordered_map<std::string_view, size_t> m;
    for (size_t i = 0; i < derived_rules().size(); ++i) m[derived_rules()[i].name] = i;
    return m;
  }();
  const std::array<int, 14> k = {a.I, a.H, a.T, a.classes, a.c, a.k, a.mvm_lanes, a.mvm_groups, a.ewu_lanes,
                                 a.fc_lanes, a.pixels_per_beat, a.spx_buffers, a.cnn_in, a.conv_lanes};
  thread_local std::array<int, 14> key{};
  thread_local std::vector<int64_t> values;
  if (values.empty() || k != key) {
    const ParamEnv env = derive(a);
    values.clear();
    for (const DerivedRule& r : derived_rules()) values.push_back(env.at(r.name));
    key = k;
  }
  auto it = index.find(name);
  if (it == index.end()) throw std::out_of_range("no derived parameter '" + std::string(name) + "'");
  return values[it->second];
}

std::string verilog_header(const RtlModuleDerived& m) {
  // The transitive closure of the names the module uses, in rule order;
  // base parameters stay the module's own parameters.
  const auto& rules = derived_rules();
  const auto& parsed = parsed_rules();
  std::set<std::string> want(m.names.begin(), m.names.end());
  const std::set<std::string> own(m.own.begin(), m.own.end());
  for (size_t i = rules.size(); i-- > 0;)
    if (want.count(rules[i].name) && !own.count(rules[i].name)) collect_names(*parsed[i], want);
  std::string s = "// Generated by `lstmsim arch --headers rtl/derived` from the derived-parameter\n"
                  "// rules (arch/derived.hpp); do not edit. Included inside module " +
                  std::string(m.module) + (m.in_params ? "'s parameter list (derived: never override).\n" : ".\n");
  for (const DerivedRule& r : rules) {
    if (!want.count(r.name) || own.count(r.name)) continue;
    if (m.in_params)
      s += "parameter integer " + std::string(r.name) + " = " + r.expr + ",  // " + r.what + "\n";
    else
      s += "localparam integer " + std::string(r.name) + " = " + r.expr + ";  // " + r.what + "\n";
  }
  return s;
}

}  // namespace lstm::arch
