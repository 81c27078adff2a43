// Lockstep cosimulation harness (OpenTitan model-checking style): a SystemC
// block and its Verilated twin on one clock, the same inputs, and every
// output port compared every cycle. A port is declared once (bench::in,
// bench::out): that binds it on both sides, converts the model's payload
// to the RTL's bits, compares it and traces it. The first mismatch stops
// the run and reports cycle, port, expected (SystemC) and actual (RTL). The
// run is seeded, so on a mismatch the test re-runs itself with tracing on
// and leaves both sides' VCDs in the test's working dir.
#pragma once

#include <catch2/catch.hpp>
#include <unistd.h>
#include <verilated.h>
#include <verilated_vcd_sc.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <systemc>
#include <type_traits>
#include <vector>

#include "arch/arch.hpp"
#include "pacer.hpp"
#include "types.hpp"

namespace cosim {

// Words <-> packed bit vector: element i at [i*w +: w], two's complement.
// Word-at-a-time: sc_bv bit access is too slow for wide ports every cycle.
template <int N>
sc_dt::sc_bv<N> pack(const accel::Words& v, int w) {
  std::vector<uint32_t> buf((N + 31) / 32, 0);
  const uint64_t mask = w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1;
  for (size_t i = 0; i < v.size(); ++i) {
    const uint64_t x = static_cast<uint64_t>(static_cast<int64_t>(v[i])) & mask;
    for (int k = 0; k < w;) {
      const size_t bit = i * w + k;
      const int off = static_cast<int>(bit % 32), n = std::min(32 - off, w - k);
      buf[bit / 32] |= static_cast<uint32_t>((x >> k) & ((uint64_t(1) << n) - 1)) << off;
      k += n;
    }
  }
  sc_dt::sc_bv<N> b;
  for (size_t i = 0; i < buf.size(); ++i) b.set_word(static_cast<int>(i), buf[i]);
  return b;
}
template <int N>
accel::Words unpack(const sc_dt::sc_bv<N>& b, int w, int n, bool is_signed) {
  std::vector<uint32_t> buf((N + 31) / 32);
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = b.get_word(static_cast<int>(i));
  accel::Words v(n);
  for (int i = 0; i < n; ++i) {
    uint64_t x = 0;
    for (int k = 0; k < w;) {
      const size_t bit = static_cast<size_t>(i) * w + k;
      const int off = static_cast<int>(bit % 32), m = std::min(32 - off, w - k);
      x |= ((uint64_t(buf[bit / 32]) >> off) & ((uint64_t(1) << m) - 1)) << k;
      k += m;
    }
    int64_t s = static_cast<int64_t>(x);
    if (is_signed && w < 64 && ((x >> (w - 1)) & 1)) s -= int64_t(1) << w;
    v[i] = static_cast<int32_t>(s);
  }
  return v;
}

// An RTL port's value as an unsigned number: Verilator (--pins-bv 2) makes
// a 1-bit port a bool and wider ones sc_bv.
inline uint64_t to_u64(bool b) { return b; }
template <int N>
uint64_t to_u64(const sc_dt::sc_bv<N>& b) {
  return b.to_uint64();
}
inline void from_u64(uint64_t x, bool& b) { b = (x & 1) != 0; }
template <int N>
void from_u64(uint64_t x, sc_dt::sc_bv<N>& b) {
  b = static_cast<sc_dt::uint64>(x);
}
template <typename R>
constexpr int width_of = 1;
template <int N>
constexpr int width_of<sc_dt::sc_bv<N>> = N;

// Beat <-> bits {last_step, first_step, last, first, beat, block, step,
// phase} (docs/rtl.md), at the field positions of the variant's parameter
// set (BEAT_BLOCK_LSB, BEAT_BEAT_LSB, BEAT_FIRST_BIT: arch/derived.cpp).
struct beat_layout {
  int block_lsb, beat_lsb, first_bit;
};
inline uint64_t beat_bits(const accel::Beat& b, const beat_layout& l) {
  const int j = l.first_bit;
  return uint64_t(b.phase & 1) | uint64_t(b.step) << 1 | uint64_t(b.block) << l.block_lsb |
         uint64_t(b.beat) << l.beat_lsb | uint64_t(b.first) << j | uint64_t(b.last) << (j + 1) |
         uint64_t(b.first_step) << (j + 2) | uint64_t(b.last_step) << (j + 3);
}
inline accel::Beat beat_of(uint64_t v, const beat_layout& l) {
  auto field = [v](int lsb, int msb1) {
    return static_cast<uint16_t>((v >> lsb) & ((uint64_t(1) << (msb1 - lsb)) - 1));
  };
  accel::Beat b;
  b.phase = static_cast<uint8_t>(v & 1);
  b.step = field(1, l.block_lsb);
  b.block = field(l.block_lsb, l.beat_lsb);
  b.beat = field(l.beat_lsb, l.first_bit);
  b.first = (v >> l.first_bit) & 1;
  b.last = (v >> (l.first_bit + 1)) & 1;
  b.first_step = (v >> (l.first_bit + 2)) & 1;
  b.last_step = (v >> (l.first_bit + 3)) & 1;
  return b;
}

// The LSTM part of a configuration, from a block's parameters.
inline lstm::arch::ArchConfig lstm_arch(int i, int h, int t, int c, int k, int lanes, int groups) {
  lstm::arch::ArchConfig a;
  a.I = i;
  a.H = h;
  a.T = t;
  a.c = c;
  a.k = k;
  a.mvm_lanes = lanes;
  a.mvm_groups = groups;
  return a;
}

// Codecs: how a model payload M maps to the RTL's port value R, and how it
// is traced in the model's VCD.
struct same {  // the same type on both sides (bool)
  template <typename T>
  void to_rtl(const T& m, T& r) const { r = m; }
  template <typename T>
  void to_model(const T& r, T& m) const { m = r; }
  template <typename T>
  void trace(sc_core::sc_trace_file* tf, const T& v, const std::string& n) const { sc_core::sc_trace(tf, v, n); }
};
struct words {  // Words, element i at [i*w +: w]
  int w;
  bool is_signed = true;
  template <int N>
  void to_rtl(const accel::Words& m, sc_dt::sc_bv<N>& r) const { r = pack<N>(m, w); }
  template <int N>
  void to_model(const sc_dt::sc_bv<N>& r, accel::Words& m) const { m = unpack<N>(r, w, N / w, is_signed); }
  void trace(sc_core::sc_trace_file* tf, const accel::Words& v, const std::string& n) const {
    accel::trace_words(tf, v, n, w);
  }
};
struct number {  // an int in a port of the RTL's width
  bool is_signed = false;
  template <typename R>
  void to_rtl(int m, R& r) const { from_u64(static_cast<uint64_t>(m), r); }
  template <typename R>
  void to_model(const R& r, int& m) const {
    constexpr int W = width_of<R>;
    const uint64_t x = to_u64(r);
    m = static_cast<int>(is_signed && ((x >> (W - 1)) & 1) ? int64_t(x) - (int64_t(1) << W) : int64_t(x));
  }
  void trace(sc_core::sc_trace_file* tf, const int& v, const std::string& n) const { sc_core::sc_trace(tf, v, n); }
};
struct beat {  // a Beat, at the variant's field positions
  beat_layout l;
#ifdef COSIM_BEAT_FIRST_BIT
  beat() : l{COSIM_BEAT_BLOCK_LSB, COSIM_BEAT_BEAT_LSB, COSIM_BEAT_FIRST_BIT} {}
#endif
  template <typename R>
  void to_rtl(const accel::Beat& m, R& r) const { from_u64(beat_bits(m, l), r); }
  template <typename R>
  void to_model(const R& r, accel::Beat& m) const { m = beat_of(to_u64(r), l); }
  void trace(sc_core::sc_trace_file* tf, const accel::Beat& v, const std::string& n) const {
    accel::sc_trace(tf, v, n);
  }
};

// A model payload of all-zero RTL bits: both sides start equal.
template <typename M, typename R, typename Codec>
M zero(const Codec& c) {
  M m{};
  c.to_model(R(), m);
  return m;
}

template <typename T>
std::string str(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// An input both sides see: the stimulus writes the model's payload.
struct input_base {
  virtual ~input_base() = default;
};
template <typename M>
struct input : input_base {
  input(const std::string& port, const M& init) : sig(port.c_str(), init) {}
  void write(const M& v) { sig.write(v); }
  const M& read() const { return sig.read(); }
  sc_core::sc_signal<M> sig;
};
// The one bridge: the RTL's copy of a model input, converted by `codec`
// whenever the model's side changes.
template <typename M, typename R, typename Codec>
struct bridge : input_base, sc_core::sc_module {
  SC_HAS_PROCESS(bridge);
  bridge(sc_core::sc_module_name n, const sc_core::sc_signal<M>& in, Codec c)
      : sc_module(n), in(in), rtl("rtl"), codec(c) {
    SC_METHOD(run);
    sensitive << in;
  }
  void run() {
    R r;
    codec.to_rtl(in.read(), r);
    rtl.write(r);
  }
  const sc_core::sc_signal<M>& in;
  sc_core::sc_signal<R> rtl;
  Codec codec;
};

// A compared output: the model's and the RTL's signal. Compared only when
// either side changed since the last compare (equal and unchanged is still
// equal), so wide ports are not unpacked every cycle.
struct output_base : sc_core::sc_module {
  SC_HAS_PROCESS(output_base);
  explicit output_base(sc_core::sc_module_name n) : sc_module(n) {}
  virtual bool equal() = 0;
  virtual std::pair<std::string, std::string> show() = 0;  // (expected, actual)
  bool dirty = true;

 protected:
  void watch(const sc_core::sc_event& a, const sc_core::sc_event& b) {
    SC_METHOD(mark);
    sensitive << a << b;
    dont_initialize();
  }
  void mark() { dirty = true; }
};
template <typename M, typename R, typename Codec>
struct output : output_base {
  output(sc_core::sc_module_name n, Codec c)
      : output_base(n), model("model", zero<M, R>(c)), rtl("rtl"), codec(c) {
    watch(model.value_changed_event(), rtl.value_changed_event());
  }
  M rtl_value() const {
    M m;
    codec.to_model(rtl.read(), m);
    return m;
  }
  bool equal() override { return model.read() == rtl_value(); }
  std::pair<std::string, std::string> show() override { return {str(model.read()), str(rtl_value())}; }
  sc_core::sc_signal<M> model;
  sc_core::sc_signal<R> rtl;
  Codec codec;
};

struct Mismatch {
  uint64_t cycle = 0;
  std::string port, expected, actual;
};
// "mismatch at cycle N port P: expected E, actual A".
inline std::string report(const Mismatch& m) {
  return "mismatch at cycle " + std::to_string(m.cycle) + " port " + m.port + ": expected " + m.expected +
         ", actual " + m.actual;
}

// Tracing on demand: COSIM_TRACE=<prefix> makes the bench write
// <prefix>_model.vcd (SystemC signals) and <prefix>_rtl.vcd (Verilator).
inline const char* trace_prefix() { return std::getenv("COSIM_TRACE"); }

// After a mismatch in an untraced run: re-run this same test with tracing
// on, so both VCDs show the cycles up to the mismatch. Returns a note.
inline std::string rerun_with_traces(const std::string& test_name, const std::string& prefix) {
  const std::string vcds = prefix + "_model.vcd, " + prefix + "_rtl.vcd";
  if (trace_prefix()) return "VCDs: " + vcds;
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return "(could not re-run for VCDs)";
  exe[n] = 0;
  const std::string cmd = "COSIM_TRACE='" + prefix + "' '" + std::string(exe) + "' '" + test_name + "' > /dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  (void)rc;
  return "VCDs of both sides (re-run with tracing): " + vcds;
}

template <typename T, typename = void>
struct has_rst : std::false_type {};
template <typename T>
struct has_rst<T, std::void_t<decltype(std::declval<T&>().rst_ni)>> : std::true_type {};

// Clock, reset, the model, the RTL, the compared ports, the stimulus hooks
// and the run. Reset is low for the first two cycles; with reset_rate > 0
// it also pulses low for 1..3 cycles at random.
template <typename Model, typename Rtl>
class bench {
 public:
  template <typename... A>
  bench(std::string block, uint64_t seed, A&&... model_args)
      : pace(seed ^ sampled_seed()), model("model", std::forward<A>(model_args)...), block_(std::move(block)) {
    model.clk_i(clk);
    rtl.clk_i(clk);
    if constexpr (has_rst<Model>::value) model.rst_ni(rst_n);
    if constexpr (has_rst<Rtl>::value) rtl.rst_ni(rst_n);
#ifdef COSIM_RTL_PORTS
    // A sampled config's one Verilated model holds every block (tb/cosim/
    // sampled_wrapper.py): the ports of the blocks this test does not
    // drive are tied to signals nobody writes.
    // Its wmem and conv1d read +rom_dir whichever block is tested.
    Verilated::commandArgsAdd(0, nullptr);
#define COSIM_TIE(blk, p) \
  if (block_ != #blk) tie(rtl.blk##_##p);
    COSIM_RTL_PORTS(COSIM_TIE)
#undef COSIM_TIE
#endif
  }

  // An input port, driven by the stimulus through the returned input (or
  // by binding its signal to a driver's port).
  template <typename M, typename R, typename Codec = same>
  input<M>& in(const std::string& port, sc_core::sc_in<M>& m, sc_core::sc_in<R>& r, Codec codec = {}) {
    inputs_.push_back(std::make_unique<input<M>>(port, zero<M, R>(codec)));
    auto* p = static_cast<input<M>*>(inputs_.back().get());
    if constexpr (std::is_same_v<Codec, same>) {
      static_assert(std::is_same_v<M, R>, "a converted port needs a codec");
      r(p->sig);
    } else {
      auto br = std::make_unique<bridge<M, R, Codec>>((port + "_bridge").c_str(), p->sig, codec);
      r(br->rtl);
      inputs_.push_back(std::move(br));
    }
    m(p->sig);
    traces_.push_back([p, port, codec](sc_core::sc_trace_file* tf) { codec.trace(tf, p->sig.read(), port); });
    return *p;
  }
  // A compared output port; returns the model's signal (for the stimulus).
  template <typename M, typename R, typename Codec = same>
  const sc_core::sc_signal<M>& out(const std::string& port, sc_core::sc_out<M>& m, sc_core::sc_out<R>& r,
                                   Codec codec = {}) {
    auto o = std::make_unique<output<M, R, Codec>>(port.c_str(), codec);
    m(o->model);
    r(o->rtl);
    const auto* s = &o->model;
    traces_.push_back([s, port, codec](sc_core::sc_trace_file* tf) { codec.trace(tf, s->read(), port); });
    outputs_.push_back(std::move(o));
    return *s;
  }

  // Stimulus: at every rising edge, in order of registration.
  void every_cycle(std::function<void()> f) { drv_.rise.push_back(std::move(f)); }
  // Monitors: at every falling edge, before the compare (cycle() counts these).
  void every_check(std::function<void()> f) { drv_.fall.push_back(std::move(f)); }
  // Extra model-side traces (e.g. the model's internal signals).
  void trace_model(std::function<void(sc_core::sc_trace_file*)> f) { traces_.push_back(std::move(f)); }
  bool in_reset() const { return !rst_n.read(); }
  uint64_t cycle() const { return drv_.cycle; }
  bool failed() const { return drv_.failed; }
  const Mismatch& first_mismatch() const { return drv_.first; }

  // Runs `cycles` compared cycles (0: until something calls sc_stop). On a
  // mismatch the test re-runs itself traced and fails with the report,
  // unless the test expects one (a fault-injection test checks it itself).
  void run(uint64_t cycles, bool expect_mismatch = false) {
    drv_.stop_after = cycles;
    drv_.outputs = &outputs_;
    const auto t0 = std::chrono::steady_clock::now();
    sc_core::sc_trace_file* tf = nullptr;
    std::unique_ptr<VerilatedVcdSc> vcd;
    const char* tp = trace_prefix();
    if (tp) {
      tf = sc_core::sc_create_vcd_trace_file((std::string(tp) + "_model").c_str());
      sc_core::sc_trace(tf, clk, "clk");
      sc_core::sc_trace(tf, rst_n, "rst_ni");
      for (auto& t : traces_) t(tf);
      Verilated::traceEverOn(true);
    }
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // Verilator's VCD opens after elaboration
    if (tp) {
      vcd = std::make_unique<VerilatedVcdSc>();
      rtl.trace(vcd.get(), 99);
      vcd->open((std::string(tp) + "_rtl.vcd").c_str());
    }
    sc_core::sc_start(clk.period() * 2.0);
    rst_n.write(true);
    sc_core::sc_start();
    if (vcd) vcd->close();
    if (tf) sc_core::sc_close_vcd_trace_file(tf);
    secs_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (drv_.failed && !expect_mismatch)
      FAIL(report(drv_.first) << "; " << rerun_with_traces(test_name(), vcd_prefix()) << sampled_note());
    if (cycles && !expect_mismatch) CHECK(drv_.cycle >= cycles);
  }
  std::string test_name() const { return "cosim " + block_ + " " COSIM_NAME; }
  // A sampled config (COSIM_SAMPLED_CONFIG): the config and how to run this
  // test again on it, for the failure report.
  std::string sampled_note() const {
#ifdef COSIM_SAMPLED_CONFIG
    std::ifstream f(COSIM_SAMPLED_CONFIG);
    std::stringstream cfg;
    cfg << f.rdbuf();
    return std::string("\nsampled config ") + COSIM_SAMPLED_CONFIG + " (seed " + std::to_string(COSIM_SAMPLED_SEED) +
           "):\n" + cfg.str() + "reproduce: COSIM_SEED=" + std::to_string(COSIM_SAMPLED_SEED) +
           " cmake -S . -B build && cmake --build build --target " COSIM_TARGET
           " && (cd build && ctest -R '^" + test_name() + "$' --output-on-failure)";
#else
    return "";
#endif
  }
  static constexpr uint64_t sampled_seed() {
#ifdef COSIM_SAMPLED_SEED
    return COSIM_SAMPLED_SEED;
#else
    return 0;
#endif
  }
  std::string vcd_prefix() const { return block_ + "_" COSIM_NAME "_mismatch"; }

  // The WARN line: "<block> <variant>: N cycles compared (M port compares)
  // in S s" and the test's own figures.
  template <typename... A>
  void summary(const A&... extra) const {
    std::ostringstream os;
    os << block_ << " " COSIM_NAME ": " << drv_.cycle << " cycles compared (" << drv_.compared
       << " port compares) in " << secs_ << " s";
    ((os << extra), ...);
    WARN(os.str());
  }

  sc_core::sc_clock clk{"clk", 10, sc_core::SC_NS};
  sc_core::sc_signal<bool> rst_n{"rst_n", false};
  double reset_rate = 0;  // random reset pulses per cycle
  uint64_t resets = 0;
  pacer pace;
  Model model;
  Rtl rtl{"rtl"};

 private:
  // The clocked processes: reset pulses and stimulus at the rising edge,
  // monitors and the compare at the falling edge (all settled).
  struct driver : sc_core::sc_module {
    SC_HAS_PROCESS(driver);
    driver(sc_core::sc_module_name n, bench& b) : sc_module(n), b_(b) {
      SC_METHOD(on_rise);
      sensitive << b.clk.posedge_event();
      dont_initialize();
      SC_METHOD(on_fall);
      sensitive << b.clk.negedge_event();
      dont_initialize();
    }
    void on_rise() {
      if (reset_left_ > 0) {
        if (--reset_left_ == 0) b_.rst_n.write(true);
      } else if (b_.reset_rate > 0 && b_.rst_n.read() && b_.pace.coin(b_.reset_rate)) {
        reset_left_ = 1 + b_.pace.below(3);
        b_.rst_n.write(false);
        ++b_.resets;
      }
      b_.pace.step();
      for (auto& f : rise) f();
    }
    void on_fall() {
      ++cycle;
      for (auto& f : fall) f();
      if (failed) return;
      for (auto& p : *outputs) {
        if (p->dirty && !p->equal()) {
          failed = true;
          const auto ea = p->show();
          first = {cycle, p->basename(), ea.first, ea.second};
          sc_core::sc_stop();
          return;
        }
        p->dirty = false;
        ++compared;
      }
      if (stop_after && cycle >= stop_after) sc_core::sc_stop();
    }
    bench& b_;
    std::vector<std::function<void()>> rise, fall;
    std::vector<std::unique_ptr<output_base>>* outputs = nullptr;
    uint64_t cycle = 0, compared = 0, stop_after = 0;
    int reset_left_ = 0;
    bool failed = false;
    Mismatch first;
  };
  std::string block_;
  std::vector<std::unique_ptr<input_base>> inputs_;
  std::vector<std::unique_ptr<output_base>> outputs_;
  std::vector<std::function<void(sc_core::sc_trace_file*)>> traces_;
  driver drv_{"bench", *this};
  double secs_ = 0;
  std::vector<std::shared_ptr<void>> ties_;  // (sc_object's destructor is protected)
  template <typename Port>  // an sc_in or sc_out of the wrapper
  void tie(Port& p) {
    auto s = std::make_shared<sc_core::sc_signal<typename Port::data_type>>();
    p(*s);
    ties_.push_back(s);
  }
};

// The bench's side of a valid/ready pair, paced by a pacer channel. A
// source holds valid and its payload until taken; `draw(offered)` writes a
// new payload when valid is offered and now and then while it is low (the
// block must ignore it). Both count handshakes, outside reset.
struct source {
  source(pacer& p, const sc_core::sc_signal<bool>& rst_n, input<bool>& valid, const sc_core::sc_signal<bool>& ready,
         std::vector<double> levels = {0.02, 0.2, 0.5, 0.8, 1.0})
      : pace(p), rst(rst_n), valid(valid), ready(ready), ch(p.channel(std::move(levels))) {}
  // True at a rising edge where the block takes the beat (before tick()).
  bool taking() const { return rst.read() && valid.read() && ready.read(); }
  // At a rising edge; true when the block took a beat at it.
  template <typename Draw>
  bool tick(Draw draw) {
    const bool live = rst.read(), took = taking();
    taken += took;
    blocked += live && valid.read() && !ready.read();
    if (!valid.read() || took) {
      const bool v = pace.go(ch);
      valid.write(v);
      if (v || pace.coin(0.5)) draw(v);
    }
    return took;
  }
  pacer& pace;
  const sc_core::sc_signal<bool>& rst;
  input<bool>& valid;
  const sc_core::sc_signal<bool>& ready;  // the model's
  int ch;
  uint64_t taken = 0, blocked = 0;
};
struct sink {
  sink(pacer& p, const sc_core::sc_signal<bool>& rst_n, input<bool>& ready, const sc_core::sc_signal<bool>& valid,
       std::vector<double> levels = {0.02, 0.2, 0.5, 0.8, 1.0})
      : pace(p), rst(rst_n), ready(ready), valid(valid), ch(p.channel(std::move(levels))) {}
  // At a rising edge; true when the bench took a beat at it.
  bool tick() {
    const bool live = rst.read(), took = live && valid.read() && ready.read();
    taken += took;
    stalled += live && valid.read() && !ready.read();
    ready.write(pace.go(ch));
    return took;
  }
  pacer& pace;
  const sc_core::sc_signal<bool>& rst;
  input<bool>& ready;
  const sc_core::sc_signal<bool>& valid;  // the model's
  int ch;
  uint64_t taken = 0, stalled = 0;
};

// An end-of-run check that the stimulus exercised the block (handshakes,
// stalls, resets, extreme values), its thresholds set for the fixed sets'
// 1,000,000 cycles. On a sampled config (100,000 cycles, any shape: T = 1
// has no FIFO-C traffic, a large config finishes few images) it is reported
// as a warning with the figure: there the test is the compare of every port
// every cycle, and what the sample covers is the coverage table.
#ifdef COSIM_SAMPLED_CONFIG
#define COSIM_ACTIVITY(c) \
  do {                    \
    if (!(c)) WARN("sampled config: less activity than the fixed sets reach: " #c); \
  } while (0)
#else
#define COSIM_ACTIVITY(c) CHECK(c)
#endif

// The port `p` of both sides of bench `b`: its name, the model's, the RTL's
// (in a sampled config's wrapper: <COSIM_BLOCK>_<p>).
#ifdef COSIM_RTL_PORTS
#define COSIM_CAT_(a, b) a##_##b
#define COSIM_CAT(a, b) COSIM_CAT_(a, b)
#define COSIM_PORT(b, p) #p, (b).model.p, (b).rtl.COSIM_CAT(COSIM_BLOCK, p)
#else
#define COSIM_PORT(b, p) #p, (b).model.p, (b).rtl.p
#endif

}  // namespace cosim
