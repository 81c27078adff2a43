#include "lstm_accel.hpp"

#include <set>
#include <stdexcept>

#include "conv1d.hpp"
#include "formats/error.hpp"
#include "mvm.hpp"
#include "wmem.hpp"

namespace accel {

using netlist::kTop;
using netlist::Net;
using netlist::Type;

namespace {

bool is_top(const netlist::Pin& p) { return std::string(p.block) == kTop; }

const netlist::Pin* top_pin(const Net& n) {
  for (const netlist::Pin& p : n.to)
    if (is_top(p)) return &p;
  return is_top(n.from) ? &n.from : nullptr;
}

// The port `port` of module `m` (ports are SC_NAMED as in the RTL).
sc_core::sc_object& port_of(const sc_core::sc_module& m, const std::string& port) {
  for (sc_core::sc_object* o : m.get_child_objects())
    if (o->basename() == port && dynamic_cast<sc_core::sc_port_base*>(o)) return *o;
  throw std::logic_error(std::string("netlist: ") + m.name() + " has no port " + port);
}

// Binds a block's port to a signal or to a port of the top (same type).
template <typename T>
void bind(sc_core::sc_object& port, sc_core::sc_object& to) {
  using in_if = sc_core::sc_signal_in_if<T>;
  using io_if = sc_core::sc_signal_inout_if<T>;
  auto* sig = dynamic_cast<sc_core::sc_signal<T>*>(&to);
  if (auto* p = dynamic_cast<sc_core::sc_port_b<in_if>*>(&port)) {
    if (sig) return p->bind(*sig);
    if (auto* q = dynamic_cast<sc_core::sc_port_b<in_if>*>(&to)) return p->bind(*q);
  } else if (auto* p = dynamic_cast<sc_core::sc_port_b<io_if>*>(&port)) {
    if (sig) return p->bind(*sig);
    if (auto* q = dynamic_cast<sc_core::sc_port_b<io_if>*>(&to)) return p->bind(*q);
  }
  throw std::logic_error(std::string("netlist: cannot bind ") + port.name() + " to " + to.name() +
                         " (type or direction differs)");
}

template <typename T>
std::unique_ptr<sc_core::sc_interface> signal(const char* name, T init) {
  return std::make_unique<sc_core::sc_signal<T>>(name, init);
}

// A port no net of this top reaches (FC's path in a layer below the last,
// the S-P-H stream in the last layer): bound to a signal of its own, so an
// input reads 0 / false, as the RTL ties it.
template <typename T>
bool bind_open(sc_core::sc_object& port, const std::string& name, std::unique_ptr<sc_core::sc_interface>& s) {
  if (!dynamic_cast<sc_core::sc_port_b<sc_core::sc_signal_in_if<T>>*>(&port) &&
      !dynamic_cast<sc_core::sc_port_b<sc_core::sc_signal_inout_if<T>>*>(&port))
    return false;
  s = signal<T>(name.c_str(), T{});
  bind<T>(port, *dynamic_cast<sc_core::sc_object*>(s.get()));
  return true;
}

}  // namespace

lstm::formats::Model layer_model(const lstm::formats::Model& m, int l) {
  if (m.num_layers() == 1) return m;
  lstm::formats::Model v = m;
  v.layers = {m.layers[static_cast<size_t>(l)]};
  if (l > 0) {  // its input is h_t of the layer below; the CNN stays with layer 1
    v.kind = lstm::formats::ModelKind::Lstm;
    v.I = m.layers[static_cast<size_t>(l) - 1].H;
    v.T = m.lstm_steps();
    v.conv_out = 0;
    v.conv_w.clear();
    v.conv_b.clear();
  }
  return v;
}

lstm_accel::lstm_accel(sc_core::sc_module_name name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a)
    : sc_module(name), arch_(a) {
  lstm::arch::check_arch_matches_model(a, m, std::string(static_cast<const char*>(name)), /*stacked_ok=*/true);
  const int L = a.num_layers();
  std::set<const sc_core::sc_object*> bound;
  auto bind_clock = [&](sc_core::sc_object& port, sc_core::sc_in<bool>& to) {
    bind<bool>(port, to);
    bound.insert(&port);
  };
  // Each layer's views, made once (a model view copies the weights).
  std::vector<lstm::formats::Model> models;
  std::vector<lstm::arch::ArchConfig> archs;
  for (int l = 0; l < L; ++l) {
    models.push_back(layer_model(m, l));
    archs.push_back(a.layer(l));
  }
  for (const netlist::Block& b : netlist::blocks(a)) {
    // A per-layer block gets its layer's views; the CNN front end layer 1's,
    // FC and arg-max the last layer's.
    const size_t l = size_t(b.layer >= 0 ? b.layer : b.front == netlist::Front::cnn ? 0 : L - 1);
    netlist::Built& blk = blocks_[b.name] = b.make(b.name, models[l], archs[l]);
    bind_clock(port_of(*blk.module, "clk_i"), clk_i);
    if (b.reset) bind_clock(port_of(*blk.module, "rst_ni"), rst_ni);
  }
  for (const Net& n : netlist::nets(a)) {
    // A net at the top's boundary is the top's port; any other gets a signal
    // at its RTL width from the first cycle (so its trace has every element).
    sc_core::sc_object* to = nullptr;
    if (const netlist::Pin* tp = top_pin(n)) {
      to = &port_of(*this, tp->port);
    } else {
      std::unique_ptr<sc_core::sc_interface>& s = signals_[n.name];
      switch (n.type) {
        case Type::bit: s = signal<bool>(n.name, false); break;
        case Type::word: s = signal<int>(n.name, 0); break;
        case Type::words: s = signal<Words>(n.name, Words(netlist::elems(n, a))); break;
        case Type::beat: s = signal<Beat>(n.name, Beat{}); break;
      }
      to = dynamic_cast<sc_core::sc_object*>(s.get());
    }
    for (const netlist::Pin& p : netlist::pins(n)) {
      if (is_top(p)) continue;
      sc_core::sc_object& port = port_of(*blocks_.at(p.block).module, p.port);
      bound.insert(&port);
      switch (n.type) {
        case Type::bit: bind<bool>(port, *to); break;
        case Type::word: bind<int>(port, *to); break;
        case Type::words: bind<Words>(port, *to); break;
        case Type::beat: bind<Beat>(port, *to); break;
      }
    }
  }
  for (auto& [blk_name, blk] : blocks_)
    for (sc_core::sc_object* o : blk.module->get_child_objects()) {
      if (!dynamic_cast<sc_core::sc_port_base*>(o) || bound.count(o)) continue;
      const std::string sig = "open_" + blk_name + "_" + o->basename();
      std::unique_ptr<sc_core::sc_interface>& s = signals_[sig];
      if (!bind_open<bool>(*o, sig, s) && !bind_open<int>(*o, sig, s) && !bind_open<Words>(*o, sig, s) &&
          !bind_open<Beat>(*o, sig, s))
        throw std::logic_error(std::string("netlist: cannot tie off ") + o->name());
    }
}

cnn_lstm_accel::cnn_lstm_accel(sc_core::sc_module_name name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a)
    : lstm_accel(name, m, a) {
  if (!a.has_cnn()) throw lstm::formats::InputError(std::string(name) + ": the config has no CNN front end (cnn_in = 0)");
}

sc_core::sc_module* lstm_accel::block(const std::string& name) const {
  const auto it = blocks_.find(name);
  return it == blocks_.end() ? nullptr : it->second.module.get();
}

uint64_t lstm_accel::conv_lane_beats() const {
  auto* c = dynamic_cast<conv1d*>(block("conv1d"));
  return c ? c->lane_beats : 0;
}

uint64_t lstm_accel::mvm_lane_beats() const {
  uint64_t n = 0;
  for (int l = 0; l < arch_.num_layers(); ++l)
    n += dynamic_cast<mvm&>(*block(netlist::layer_prefix(l, arch_.num_layers()) + "mvm")).lane_beats;
  return n;
}

template <typename T>
const sc_core::sc_signal_in_if<T>& lstm_accel::value(const Net& n) const {
  const sc_core::sc_interface* i = nullptr;
  if (const netlist::Pin* tp = top_pin(n))
    i = dynamic_cast<const sc_core::sc_port_base&>(port_of(*this, tp->port)).get_interface();
  else
    i = signals_.at(n.name).get();
  return dynamic_cast<const sc_core::sc_signal_in_if<T>&>(*i);
}

std::vector<std::pair<std::string, const Counters*>> lstm_accel::counters() const {
  std::vector<std::pair<std::string, const Counters*>> c;
  for (const netlist::Block& b : netlist::blocks(arch_))
    if (const Counters* k = blocks_.at(b.name).counters) c.push_back({b.name, k});
  return c;
}

std::vector<Handshake> lstm_accel::handshakes() const {
  std::vector<Handshake> hs;
  for (const netlist::Channel& c : netlist::channels(arch_)) {
    const auto& v = value<bool>(c.valid);
    const auto& r = value<bool>(c.ready);
    Handshake h{c.valid.channel, c.valid.from.block, c.ready.from.block, [&v] { return v.read(); },
                [&r] { return r.read(); }};
    h.hold = c.valid.hold;
    hs.push_back(std::move(h));
  }
  return hs;
}

void lstm_accel::load_weights(const lstm::formats::Model& m) {
  lstm::arch::check_arch_matches_model(arch_, m, name(), /*stacked_ok=*/true);
  const int L = arch_.num_layers();
  for (int l = 0; l < L; ++l)
    dynamic_cast<wmem&>(*block(netlist::layer_prefix(l, L) + "wmem")).load(layer_model(m, l));
  if (auto* c = dynamic_cast<conv1d*>(block("conv1d"))) c->load(m);
}

void lstm_accel::trace(sc_core::sc_trace_file* tf) {
  using sc_core::sc_trace;
  // Each net is traced under every port it connects: "block.port". In the
  // VCD the part before the dot becomes a scope, so GTKWave shows one scope
  // per block with all its ports.
  sc_trace(tf, clk_i, std::string(kTop) + ".clk_i");
  sc_trace(tf, rst_ni, std::string(kTop) + ".rst_ni");
  for (const netlist::Block& b : netlist::blocks(arch_)) {
    sc_trace(tf, clk_i, std::string(b.name) + ".clk_i");
    if (b.reset) sc_trace(tf, rst_ni, std::string(b.name) + ".rst_ni");
  }
  for (const Net& n : netlist::nets(arch_))
    for (const netlist::Pin& p : netlist::pins(n)) {
      const std::string pin = std::string(p.block) + "." + p.port;
      switch (n.type) {
        case Type::bit: sc_trace(tf, value<bool>(n).read(), pin); break;
        case Type::word: sc_trace(tf, value<int>(n).read(), pin, netlist::bits(n, arch_)); break;
        case Type::words: trace_words(tf, value<Words>(n).read(), pin, netlist::bits(n, arch_)); break;
        case Type::beat: sc_trace(tf, value<Beat>(n).read(), pin); break;
      }
    }
}

}  // namespace accel
