// Weight memories alone (random model). A driver reads all three ports with
// random addresses, and the enables dropped at random (probability 0, 0.3
// and 0.7 in turn) so that the hold behaviour is exercised. Every cycle,
// each port's data must be the word of the last address read with en high,
// one cycle after that read (synchronous ROM), and hold while en is low. The
// words are checked against the layout documented in wmem.hpp, built here
// from the model's matrices; then, from the words read in simulation, every
// block's W and U words with a random vector must give lstm::numerics::sparse_log_dot
// for each of its gate rows, and the FC words lstm::numerics::sparse_int4_dot.
#include <catch2/catch.hpp>
#include <map>

#include "block_harness.hpp"
#include "numerics/numerics.hpp"
#include "numerics/reference.hpp"
#include "rtlgen/rom_layout.hpp"
#include "wmem.hpp"

using namespace bh;
using lstm::formats::kGates;

namespace {

int32_t entry(const lstm::formats::SparseMatrix& s, int row, int e) {
  const size_t at = s.at(row, e);
  return (int32_t(s.idx[at]) << 4) | s.code[at];
}

// The documented ROM layouts.
Words lstm_word(const lstm::formats::Model& m, const lstm::arch::ArchConfig& a, int addr) {
  const int R = a.rows_per_block(), B = a.blocks(), G = a.mvm_groups, k = a.k;
  const bool w = addr < B * a.w_beats();
  const int beats = w ? a.w_beats() : a.u_beats();
  const int rel = w ? addr : addr - B * a.w_beats();
  const int blk = rel / beats, j = rel % beats;
  Words out(a.mvm_lanes);
  for (int r = 0; r < R; ++r)
    for (int g = 0; g < kGates; ++g)
      for (int gg = 0; gg < G; ++gg)
        for (int e = 0; e < k; ++e)
          out[((r * kGates + g) * G + gg) * k + e] = entry(w ? m.layers[0].W[g] : m.layers[0].U[g], blk * R + r, (j * G + gg) * k + e);
  return out;
}
Words bias_word(const lstm::formats::Model& m, const lstm::arch::ArchConfig& a, int q) {
  const int E = a.ewu_lanes;
  Words out(kGates * E);
  for (int r = 0; r < E; ++r)
    for (int g = 0; g < kGates; ++g) out[r * kGates + g] = m.layers[0].b[g][q * E + r];
  return out;
}
Words fc_word(const lstm::formats::Model& m, const lstm::arch::ArchConfig& a, int addr) {
  const int Fb = a.fc_beats_per_row(), Gf = a.fc_groups(), k = a.k;
  const int row = addr / Fb, j = addr % Fb;
  Words out(Gf * k);
  for (int gg = 0; gg < Gf; ++gg)
    for (int e = 0; e < k; ++e) out[gg * k + e] = entry(m.W_fc, row, (j * Gf + gg) * k + e);
  return out;
}

struct Port {
  sc_core::sc_signal<bool> en;
  sc_core::sc_signal<int> addr;
  sc_core::sc_signal<Words> data;
  int size;
  bool have = false;    // a read has completed
  int last = -1;        // address read at the previous edge
  Words want;           // data expected on the port
  size_t checked = 0, bad = 0, reads = 0;
  std::map<int, Words> seen;  // address -> data read in simulation
  Port(const char* n, int words, int size_)
      : en((std::string(n) + "_en").c_str(), false), addr((std::string(n) + "_addr").c_str(), 0),
        data((std::string(n) + "_data").c_str(), Words(words)), size(size_) {}
};

SC_MODULE(Driver) {
  SC_HAS_PROCESS(Driver);
  sc_core::sc_in<bool> clk_i;
  Driver(sc_core::sc_module_name n, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a, Port& l, Port& bi, Port& f,
         sc_core::sc_signal<int>& fc_row, sc_core::sc_signal<int>& fcb, uint64_t cycles, uint64_t seed)
      : sc_module(n), m_(m), a_(a), l_(l), b_(bi), f_(f), fc_row_(fc_row), fcb_(fcb), cycles_(cycles), rng_(seed) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }
  uint64_t cycle = 0;
  size_t fcb_checked = 0, fcb_bad = 0;

 private:
  void tick() {
    ++cycle;
    const double hold = cycle < cycles_ / 3 ? 0.0 : (cycle < 2 * cycles_ / 3 ? 0.3 : 0.7);
    step(l_, [&](int x) { return lstm_word(m_, a_, x); }, hold);
    step(b_, [&](int x) { return bias_word(m_, a_, x); }, hold);
    // fcb_data follows fc_row at every FC read.
    if (fcb_have_) {
      ++fcb_checked;
      fcb_bad += fcb_.read() != fcb_want_;
    }
    if (f_.en.read()) {
      fcb_have_ = true;
      fcb_want_ = m_.b_fc[fc_row_.read()];
    }
    step(f_, [&](int x) { return fc_word(m_, a_, x); }, hold);
    fc_row_.write(int(rng_.range(0, a_.classes - 1)));
  }
  template <typename F>
  void step(Port& p, F word, double hold) {
    const Words& d = p.data.read();
    if (p.have) {
      ++p.checked;
      if (!(d == p.want)) ++p.bad;
    }
    if (p.last >= 0) p.seen[p.last] = d;  // what the read of the previous edge returned
    p.last = -1;
    if (p.en.read()) {
      // The ROM reads this address at this edge; the data shows after it.
      p.last = p.addr.read();
      p.want = word(p.last);
      p.have = true;
      ++p.reads;
    }
    // Next read: random address, sometimes the same or the next one.
    const int mode = int(rng_.range(0, 3));
    const int x = mode == 0 ? p.addr.read() : (mode == 1 ? (p.addr.read() + 1) % p.size : int(rng_.range(0, p.size - 1)));
    p.addr.write(x);
    p.en.write(!rng_.chance(hold));
  }
  const lstm::formats::Model& m_;
  const lstm::arch::ArchConfig a_;
  Port &l_, &b_, &f_;
  sc_core::sc_signal<int>&fc_row_, &fcb_;
  const uint64_t cycles_;
  Rng rng_;
  bool fcb_have_ = false;
  int fcb_want_ = 0;
};

void run_wmem(const lstm::arch::ArchConfig& a, uint64_t cycles, uint64_t seed) {
  const lstm::formats::Model m = model_for(a, seed);
  const int B = a.blocks(), R = a.rows_per_block(), G = a.mvm_groups, k = a.k, c = a.c;
  const int lstm_size = B * (a.w_beats() + a.u_beats()), bias_size = a.H / a.ewu_lanes;
  const int Fb = a.fc_beats_per_row(), Gf = a.fc_groups(), fc_size = a.classes * Fb;
  // The static images agree with the documented layout.
  CHECK(lstm::rtlgen::lstm_rom(m, a).size() == size_t(lstm_size));
  CHECK(lstm::rtlgen::bias_rom(m, a).size() == size_t(bias_size));
  CHECK(lstm::rtlgen::fc_rom(m, a).size() == size_t(fc_size));

  Bench b;
  Port l("lstm", a.mvm_lanes, lstm_size), bi("bias", kGates * a.ewu_lanes, bias_size), f("fc", a.fc_lanes, fc_size);
  sc_core::sc_signal<int> fc_row("fc_row", 0), fcb("fcb", 0);
  accel::wmem dut("wmem", m, a);
  dut.clk_i(b.clk);
  dut.lstm_en_i(l.en);
  dut.lstm_addr_i(l.addr);
  dut.lstm_data_o(l.data);
  dut.bias_en_i(bi.en);
  dut.bias_addr_i(bi.addr);
  dut.bias_data_o(bi.data);
  dut.fc_en_i(f.en);
  dut.fc_addr_i(f.addr);
  dut.fc_row_i(fc_row);
  dut.fc_data_o(f.data);
  dut.fcb_data_o(fcb);
  Driver drv("driver", m, a, l, bi, f, fc_row, fcb, cycles, seed + 1);
  drv.clk_i(b.clk);

  const bool ok = b.run([&] { return drv.cycle >= cycles; }, [] { return size_t(0); }, 0, cycles + 10);
  REQUIRE(ok);
  for (Port* p : {&l, &bi, &f}) {
    INFO(p->en.name());
    CHECK(p->bad == 0);
    CHECK(p->checked > cycles / 2);
    CHECK(p->seen.size() == size_t(p->size));  // every word was read
  }
  CHECK(drv.fcb_bad == 0);
  CHECK(drv.fcb_checked > cycles / 2);

  // Semantics of the words read: per block and phase, with a random vector.
  Rng rng(seed + 2);
  size_t dot_bad = 0, dots = 0;
  for (int ph = 0; ph < 2; ++ph) {
    const int beats = ph == 0 ? a.w_beats() : a.u_beats(), n = ph == 0 ? a.I : a.H;
    for (int blk = 0; blk < B; ++blk) {
      const std::vector<int32_t> v = rng.words(n).v;
      std::vector<int64_t> sum(kGates * R, 0);
      for (int j = 0; j < beats; ++j) {
        const int addr = (ph == 0 ? 0 : B * a.w_beats()) + blk * beats + j;
        const Words& w = l.seen[addr];
        for (int r = 0; r < R; ++r)
          for (int g = 0; g < kGates; ++g)
            for (int gg = 0; gg < G; ++gg)
              for (int e = 0; e < k; ++e) {
                const int32_t ent = w[((r * kGates + g) * G + gg) * k + e];
                sum[r * kGates + g] += lstm::numerics::mul_log(v[(j * G + gg) * c + (ent >> 4)], uint8_t(ent & 0xF));
              }
      }
      for (int r = 0; r < R; ++r)
        for (int g = 0; g < kGates; ++g) {
          const lstm::formats::SparseMatrix& s = ph == 0 ? m.layers[0].W[g] : m.layers[0].U[g];
          ++dots;
          dot_bad += sum[r * kGates + g] != lstm::numerics::sparse_log_dot(s, blk * R + r, v.data());
        }
    }
  }
  for (int row = 0; row < a.classes; ++row) {
    const std::vector<int32_t> h = rng.words(a.H).v;
    int64_t sum = 0;
    for (int j = 0; j < Fb; ++j) {
      const Words& w = f.seen[row * Fb + j];
      for (int gg = 0; gg < Gf; ++gg)
        for (int e = 0; e < k; ++e) {
          const int32_t ent = w[gg * k + e];
          sum += int64_t(lstm::numerics::int4_value(uint8_t(ent & 0xF))) * h[(j * Gf + gg) * c + (ent >> 4)];
        }
    }
    ++dots;
    dot_bad += sum != lstm::numerics::sparse_int4_dot(m.W_fc, row, h.data());
  }
  for (int q = 0; q < bias_size; ++q)
    for (int r = 0; r < a.ewu_lanes; ++r)
      for (int g = 0; g < kGates; ++g) dot_bad += bi.seen[q][r * kGates + g] != m.layers[0].b[g][q * a.ewu_lanes + r];
  CHECK(dot_bad == 0);
  b.report("wmem " + a.name, l.checked + bi.checked + f.checked + drv.fcb_checked + dots);
}

}  // namespace

TEST_CASE("wmem: default config, random reads and enables", "[block][wmem]") { run_wmem(config("default"), 60000, 101); }

TEST_CASE("wmem: wide config (2 groups, 896 lanes), random reads and enables", "[block][wmem]") {
  run_wmem(config("wide"), 30000, 102);
}

TEST_CASE("wmem: odd config (c=6 k=3), random reads and enables", "[block][wmem]") {
  run_wmem(odd_config(), 60000, 103);
}

TEST_CASE("wmem: grouped config (c=4 k=2, 2 groups, 2 FC groups), random reads and enables", "[block][wmem]") {
  run_wmem(grouped_config(), 60000, 104);
}

TEST_CASE("wmem: tiny config (1 beat per phase, 1 FC beat per row), random reads and enables", "[block][wmem]") {
  run_wmem(tiny_config(), 60000, 105);
}
