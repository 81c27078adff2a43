// Lockstep cosimulation harness (OpenTitan model-checking style): a SystemC
// block and its Verilated twin on one sc_clock, the same inputs, and every
// output port compared every cycle. The first mismatch stops the run and
// reports cycle, port, expected (SystemC) and actual (RTL). The run is
// deterministic (seeded), so on a mismatch the test re-runs itself with
// tracing on and leaves both sides' VCDs next to the test's working dir.
#pragma once

#include <verilated.h>
#include <verilated_vcd_sc.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <systemc>
#include <unistd.h>
#include <vector>

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

template <int N>
int64_t to_int(const sc_dt::sc_bv<N>& b, bool is_signed = false) {
  return unpack<N>(b, N, 1, is_signed)[0];
}

// Beat <-> bits {last_step, first_step, last, first, beat[jw], block[bw],
// step[tw], phase} (docs/rtl.md), field widths as the RTL derives them.
inline uint64_t beat_bits(const accel::Beat& b, int tw, int bw, int jw) {
  const int j = 1 + tw + bw + jw;
  return uint64_t(b.phase & 1) | uint64_t(b.step) << 1 | uint64_t(b.block) << (1 + tw) |
         uint64_t(b.beat) << (1 + tw + bw) | uint64_t(b.first) << j | uint64_t(b.last) << (j + 1) |
         uint64_t(b.first_step) << (j + 2) | uint64_t(b.last_step) << (j + 3);
}

inline accel::Beat beat_of(uint64_t v, int tw, int bw, int jw) {
  auto field = [v](int lsb, int w) { return static_cast<uint16_t>((v >> lsb) & ((uint64_t(1) << w) - 1)); };
  const int j = 1 + tw + bw + jw;
  accel::Beat b;
  b.phase = static_cast<uint8_t>(v & 1);
  b.step = field(1, tw);
  b.block = field(1 + tw, bw);
  b.beat = field(1 + tw + bw, jw);
  b.first = field(j, 1) != 0;
  b.last = field(j + 1, 1) != 0;
  b.first_step = field(j + 2, 1) != 0;
  b.last_step = field(j + 3, 1) != 0;
  return b;
}

struct Mismatch {
  uint64_t cycle = 0;
  std::string port, expected, actual;
};

// Compares registered ports at every falling edge (all rising-edge updates
// and combinational settling done).
SC_MODULE(checker) {
  SC_HAS_PROCESS(checker);
  sc_core::sc_in<bool> clk_i;
  checker(sc_core::sc_module_name n) : sc_module(n) {
    SC_METHOD(tick);
    sensitive << clk_i.neg();
    dont_initialize();
  }
  // `equal` compares; `show` renders (expected, actual) for the report.
  void add(std::string port, std::function<bool()> equal,
           std::function<std::pair<std::string, std::string>()> show) {
    ports_.push_back({std::move(port), std::move(equal), std::move(show)});
  }
  uint64_t cycle = 0, compared = 0;
  bool failed = false;
  Mismatch first;
  uint64_t stop_after = 0;  // stop the simulation after this many cycles

 private:
  struct Port {
    std::string name;
    std::function<bool()> equal;
    std::function<std::pair<std::string, std::string>()> show;
  };
  void tick() {
    ++cycle;
    if (failed) return;
    for (const Port& p : ports_) {
      if (!p.equal()) {
        failed = true;
        first.cycle = cycle;
        first.port = p.name;
        auto ea = p.show();
        first.expected = ea.first;
        first.actual = ea.second;
        sc_core::sc_stop();
        return;
      }
      ++compared;
    }
    if (stop_after && cycle >= stop_after) sc_core::sc_stop();
  }
  std::vector<Port> ports_;
};

template <typename T>
std::string str(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Adds a comparison of a SystemC signal (any payload) against the RTL
// signal converted by `conv`.
template <typename ScT, typename RtlT, typename Conv>
void compare(checker& c, const std::string& port, const sc_core::sc_signal<ScT>& model,
             const sc_core::sc_signal<RtlT>& rtl, Conv conv) {
  c.add(port, [&model, &rtl, conv] { return model.read() == conv(rtl.read()); },
        [&model, &rtl, conv] { return std::make_pair(str(model.read()), str(conv(rtl.read()))); });
}

inline void trace(sc_core::sc_trace_file* tf, const sc_core::sc_signal<accel::Words>& s, const std::string& name,
                  int width) {
  accel::trace_words(tf, s.read(), name, width);
}

// Tracing on demand: COSIM_TRACE=<prefix> makes the harness write
// <prefix>_model.vcd (SystemC signals) and <prefix>_rtl.vcd (Verilator).
inline const char* trace_prefix() { return std::getenv("COSIM_TRACE"); }

// Elaborates the traces (when COSIM_TRACE is set), then calls `run`, which
// drives reset and sc_start(). `trace_model` registers the SystemC side's
// signals on the model VCD; the RTL side traces itself.
template <typename Rtl>
void run_traced(Rtl& rtl, const std::function<void(sc_core::sc_trace_file*)>& trace_model,
                const std::function<void()>& run) {
  sc_core::sc_trace_file* tf = nullptr;
  std::unique_ptr<VerilatedVcdSc> vcd;
  const char* tp = trace_prefix();
  if (tp) {
    tf = sc_core::sc_create_vcd_trace_file((std::string(tp) + "_model").c_str());
    trace_model(tf);
    Verilated::traceEverOn(true);
  }
  sc_core::sc_start(sc_core::SC_ZERO_TIME);  // Verilator's VCD opens after elaboration
  if (tp) {
    vcd = std::make_unique<VerilatedVcdSc>();
    rtl.trace(vcd.get(), 99);
    vcd->open((std::string(tp) + "_rtl.vcd").c_str());
  }
  run();
  if (vcd) vcd->close();
  if (tf) sc_core::sc_close_vcd_trace_file(tf);
}

// "mismatch at cycle N port P: expected E, actual A".
inline std::string report(const Mismatch& m) {
  return "mismatch at cycle " + std::to_string(m.cycle) + " port " + m.port + ": expected " + m.expected +
         ", actual " + m.actual;
}

// After a mismatch in an untraced run: re-run this same test with tracing
// on, so both sides' VCDs show the cycles up to the mismatch. Returns a
// note for the failure message.
inline std::string rerun_with_traces(const std::string& test_name, const std::string& prefix) {
  if (trace_prefix()) return "VCDs: " + prefix + "_model.vcd, " + prefix + "_rtl.vcd";
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return "(could not re-run for VCDs)";
  exe[n] = 0;
  const std::string cmd = "COSIM_TRACE='" + prefix + "' '" + std::string(exe) + "' '" + test_name + "' > /dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  (void)rc;
  return "VCDs of both sides (re-run with tracing): " + prefix + "_model.vcd, " + prefix + "_rtl.vcd";
}

}  // namespace cosim
