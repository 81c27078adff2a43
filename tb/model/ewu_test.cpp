// EWU alone, with the real bias ROM (wmem, random model).
//
// 1. FIFO-C replaced by models: a source offers c_{t-1} (random words) on
//    the pop port with random gaps, a sink takes c_t from the push port with
//    random back-pressure. Blocks of random sums (wide range, so the sat16 of
//    sum + bias and every hsig/ptanh segment are hit) arrive with random
//    gaps in random block order and with random first/last-step flags; the
//    h output has random back-pressure. Per sub-beat s of a block b, row
//    q = b*R + s*E + r must give lstm::numerics::cell_update(sat16(sum_g + b_g[q]),
//    c_prev) with c_prev = 0 at the first step, else the next popped word:
//    h out (row b*R + s*E, last flag = last step) and c pushed (unless last
//    step), both in order.
// 2. The real FIFO-C in the loop (as in the accelerator): whole sequences
//    of T steps, blocks in order; h must follow the recurrence of c through
//    FIFO-C, and FIFO-C must never refuse a push.
#include <algorithm>
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "ewu.hpp"
#include "fifo_c.hpp"
#include "numerics/numerics.hpp"
#include "wmem.hpp"

using namespace bh;
using lstm::formats::kGates;

namespace {

struct AccIn {
  Words sum;
  Beat tag;
};
struct HOut {
  Words h;
  int row;
  bool last;
  bool operator==(const HOut& o) const { return h == o.h && row == o.row && last == o.last; }
};

int32_t random_sum(Rng& rng) {
  switch (rng.range(0, 3)) {
    case 0: return static_cast<int32_t>(rng.range(-200000, 200000));
    case 1: return static_cast<int32_t>(rng.range(-3000, 3000));
    default: return rng.edgy_word();
  }
}

// Signals and the EWU + bias ROM, shared by both tests.
struct EwuBench {
  const lstm::arch::ArchConfig a;
  const int R, E, S;
  Bench b;
  sc_core::sc_signal<bool> acc_valid{"acc_valid", false}, acc_ready{"acc_ready", false};
  sc_core::sc_signal<Words> acc_data;
  sc_core::sc_signal<Beat> acc_tag{"acc_tag"};
  sc_core::sc_signal<bool> cpop_valid{"cpop_valid", false}, cpop_ready{"cpop_ready", false};
  sc_core::sc_signal<Words> cpop_data;
  sc_core::sc_signal<bool> cpush_valid{"cpush_valid", false}, cpush_ready{"cpush_ready", false};
  sc_core::sc_signal<Words> cpush_data;
  sc_core::sc_signal<bool> bias_en{"bias_en", false};
  sc_core::sc_signal<int> bias_addr{"bias_addr", 0};
  sc_core::sc_signal<Words> bias_data;
  sc_core::sc_signal<bool> h_valid{"h_valid", false}, h_ready{"h_ready", false};
  sc_core::sc_signal<Words> h_data;
  sc_core::sc_signal<int> h_row{"h_row", 0};
  sc_core::sc_signal<bool> h_last{"h_last", false};
  sc_core::sc_signal<bool> off{"off", false};
  sc_core::sc_signal<int> zero{"zero", 0}, fcb{"fcb", 0};
  sc_core::sc_signal<Words> lstm_data, fc_data;
  accel::wmem rom;
  accel::ewu dut;

  EwuBench(const lstm::arch::ArchConfig& cfg, const lstm::formats::Model& m)
      : a(cfg), R(cfg.rows_per_block()), E(cfg.ewu_lanes), S(R / E),
        acc_data("acc_data", Words(kGates * R)),
        cpop_data("cpop_data", Words(E)),
        cpush_data("cpush_data", Words(E)),
        bias_data("bias_data", Words(kGates * E)),
        h_data("h_data", Words(E)),
        lstm_data("lstm_data", Words(cfg.mvm_lanes)),
        fc_data("fc_data", Words(cfg.fc_lanes)),
        rom("wmem", m, cfg),
        dut("ewu", cfg) {
    rom.clk_i(b.clk);
    rom.lstm_en_i(off);
    rom.lstm_addr_i(zero);
    rom.lstm_data_o(lstm_data);
    rom.bias_en_i(bias_en);
    rom.bias_addr_i(bias_addr);
    rom.bias_data_o(bias_data);
    rom.fc_en_i(off);
    rom.fc_addr_i(zero);
    rom.fc_row_i(zero);
    rom.fc_data_o(fc_data);
    rom.fcb_data_o(fcb);
    dut.clk_i(b.clk);
    dut.rst_ni(b.rst);
    dut.acc_valid_i(acc_valid);
    dut.acc_ready_o(acc_ready);
    dut.acc_data_i(acc_data);
    dut.acc_tag_i(acc_tag);
    dut.cpop_valid_i(cpop_valid);
    dut.cpop_ready_o(cpop_ready);
    dut.cpop_data_i(cpop_data);
    dut.cpush_valid_o(cpush_valid);
    dut.cpush_ready_i(cpush_ready);
    dut.cpush_data_o(cpush_data);
    dut.bias_en_o(bias_en);
    dut.bias_addr_o(bias_addr);
    dut.bias_data_i(bias_data);
    dut.h_valid_o(h_valid);
    dut.h_ready_i(h_ready);
    dut.h_data_o(h_data);
    dut.h_row_o(h_row);
    dut.h_last_o(h_last);
  }
};

// What the EWU must do for one block given the c_prev words it pops.
void expect_block(const lstm::formats::Model& m, const EwuBench& e, const AccIn& in, const std::vector<Words>& cprev,
                  std::vector<HOut>& h_out, std::vector<Words>& c_out) {
  for (int s = 0; s < e.S; ++s) {
    HOut h{Words(e.E), in.tag.block * e.R + s * e.E, in.tag.last_step};
    Words c(e.E);
    for (int r = 0; r < e.E; ++r) {
      const int q = h.row + r;
      int32_t pre[kGates];
      for (int g = 0; g < kGates; ++g)
        pre[g] = lstm::numerics::sat16(int64_t(in.sum[(s * e.E + r) * kGates + g]) + m.layers[0].b[g][q]);
      const int32_t cp = in.tag.first_step ? 0 : cprev[s][r];
      const lstm::numerics::CellState st = lstm::numerics::cell_update(pre[0], pre[1], pre[2], pre[3], cp);
      h.h[r] = st.h;
      c[r] = st.c;
    }
    h_out.push_back(h);
    if (!in.tag.last_step) c_out.push_back(c);
  }
}

void bind_h_sink(Sink& sink, EwuBench& e) {
  sink.bind(e.b.clk, e.b.rst, e.h_valid, e.h_ready);
}

std::function<Snap()> h_snap(EwuBench& e) {
  return [&e] {
    Snap s;
    add(s, e.h_data.read());
    add(s, e.h_row.read());
    add(s, e.h_last.read());
    return s;
  };
}

void run_ewu_models(const lstm::arch::ArchConfig& a, size_t blocks, uint64_t seed) {
  const lstm::formats::Model m = model_for(a, seed);
  Rng rng(seed);
  EwuBench e(a, m);
  const int B = a.blocks(), R = e.R, E = e.E, S = e.S;

  // Blocks in random order, steps with random first/last flags.
  std::vector<AccIn> ins;
  std::vector<int> order(B);
  while (ins.size() < blocks) {
    const bool first = rng.chance(0.3), last = rng.chance(0.3);
    for (int i = 0; i < B; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng.gen());
    for (int blk : order) {
      AccIn in{Words(kGates * R), Beat{}};
      for (auto& v : in.sum.v) v = random_sum(rng);
      in.tag.phase = accel::kPhaseU;
      in.tag.block = uint16_t(blk);
      in.tag.first_step = first;
      in.tag.last_step = last;
      in.tag.last = true;
      ins.push_back(std::move(in));
    }
  }
  // c_prev words: one per sub-beat of every block that is not a first step.
  std::vector<Words> pops;
  std::vector<HOut> want_h;
  std::vector<Words> want_c;
  for (const AccIn& in : ins) {
    std::vector<Words> cp;
    if (!in.tag.first_step)
      for (int s = 0; s < S; ++s) {
        Words w(E);
        for (auto& v : w.v) v = rng.edgy_word();
        pops.push_back(w);
        cp.push_back(w);
      }
    expect_block(m, e, in, cp, want_h, want_c);
  }

  Source acc("acc_src", ins.size(), [&](size_t i) {
    e.acc_data.write(ins[i].sum);
    e.acc_tag.write(ins[i].tag);
  }, seed + 1);
  acc.bind(e.b.clk, e.b.rst, e.acc_valid, e.acc_ready);
  acc.scramble = [&] {
    e.acc_data.write(rng.words(kGates * R));
    Beat t;
    t.block = uint16_t(rng.range(0, B - 1));
    t.first_step = rng.chance(0.5);
    t.last_step = rng.chance(0.5);
    e.acc_tag.write(t);
  };
  Source cpop("cpop_src", pops.size(), [&](size_t i) { e.cpop_data.write(pops[i]); }, seed + 2);
  cpop.bind(e.b.clk, e.b.rst, e.cpop_valid, e.cpop_ready);
  cpop.scramble = [&] { e.cpop_data.write(rng.words(E)); };
  std::vector<HOut> got_h;
  std::vector<Words> got_c;
  Sink hs("h_sink", h_snap(e), [&](size_t) { got_h.push_back({e.h_data.read(), e.h_row.read(), e.h_last.read()}); },
          seed + 3);
  bind_h_sink(hs, e);
  Sink cs("c_sink", [&] { Snap s; add(s, e.cpush_data.read()); return s; },
          [&](size_t) { got_c.push_back(e.cpush_data.read()); }, seed + 4);
  cs.bind(e.b.clk, e.b.rst, e.cpush_valid, e.cpush_ready);
  e.b.inputs({&acc, &cpop});
  e.b.outputs({&hs, &cs});

  const size_t total = want_h.size();
  const bool ok = e.b.run([&] { return hs.got == total && cs.got == want_c.size(); }, [&] { return hs.got; }, total,
                          200 * total + 1000);
  REQUIRE(ok);
  std::string first;
  const size_t violations = e.b.violations(&first);
  INFO(first);
  CHECK(violations == 0);
  CHECK(acc.sent == ins.size());
  CHECK(cpop.sent == pops.size());
  REQUIRE(got_h.size() == want_h.size());
  REQUIRE(got_c.size() == want_c.size());
  size_t hbad = 0, cbad = 0;
  for (size_t i = 0; i < want_h.size(); ++i)
    if (!(got_h[i] == want_h[i]) && hbad++ < 3)
      UNSCOPED_INFO("h " << i << ": row " << got_h[i].row << " last " << got_h[i].last << " " << got_h[i].h
                         << ", want row " << want_h[i].row << " last " << want_h[i].last << " " << want_h[i].h);
  for (size_t i = 0; i < want_c.size(); ++i)
    if (!(got_c[i] == want_c[i]) && cbad++ < 3) UNSCOPED_INFO("c " << i << ": " << got_c[i] << ", want " << want_c[i]);
  CHECK(hbad == 0);
  CHECK(cbad == 0);
  e.b.report("ewu " + a.name, ins.size() + pops.size() + got_h.size() + got_c.size());
}

void run_ewu_loop(const lstm::arch::ArchConfig& a, size_t sequences, uint64_t seed) {
  const lstm::formats::Model m = model_for(a, seed);
  Rng rng(seed);
  EwuBench e(a, m);
  const int B = a.blocks(), R = e.R, E = e.E, T = a.T, H = a.H;

  std::vector<AccIn> ins;
  std::vector<HOut> want_h;
  for (size_t n = 0; n < sequences; ++n) {
    std::vector<int32_t> c(H, 0);
    for (int t = 0; t < T; ++t)
      for (int blk = 0; blk < B; ++blk) {
        AccIn in{Words(kGates * R), Beat{}};
        for (auto& v : in.sum.v) v = random_sum(rng);
        in.tag.phase = accel::kPhaseU;
        in.tag.step = uint16_t(t);
        in.tag.block = uint16_t(blk);
        in.tag.first_step = t == 0;
        in.tag.last_step = t == T - 1;
        in.tag.last = true;
        // The recurrence, row by row, straight from the numerics library.
        for (int s = 0; s < e.S; ++s) {
          HOut h{Words(E), blk * R + s * E, t == T - 1};
          for (int r = 0; r < E; ++r) {
            const int q = h.row + r;
            int32_t pre[kGates];
            for (int g = 0; g < kGates; ++g)
              pre[g] = lstm::numerics::sat16(int64_t(in.sum[(s * E + r) * kGates + g]) + m.layers[0].b[g][q]);
            const lstm::numerics::CellState st = lstm::numerics::cell_update(pre[0], pre[1], pre[2], pre[3], c[q]);
            c[q] = st.c;
            h.h[r] = st.h;
          }
          want_h.push_back(h);
        }
        ins.push_back(std::move(in));
      }
  }

  accel::fifo_c fifo("fifo_c", H / E, E);
  fifo.clk_i(e.b.clk);
  fifo.rst_ni(e.b.rst);
  fifo.push_valid_i(e.cpush_valid);
  fifo.push_ready_o(e.cpush_ready);
  fifo.push_data_i(e.cpush_data);
  fifo.pop_valid_o(e.cpop_valid);
  fifo.pop_ready_i(e.cpop_ready);
  fifo.pop_data_o(e.cpop_data);

  Source acc("acc_src", ins.size(), [&](size_t i) {
    e.acc_data.write(ins[i].sum);
    e.acc_tag.write(ins[i].tag);
  }, seed + 1);
  acc.bind(e.b.clk, e.b.rst, e.acc_valid, e.acc_ready);
  acc.scramble = [&] { e.acc_data.write(rng.words(kGates * R)); };
  std::vector<HOut> got_h;
  Sink hs("h_sink", h_snap(e), [&](size_t) { got_h.push_back({e.h_data.read(), e.h_row.read(), e.h_last.read()}); },
          seed + 3);
  bind_h_sink(hs, e);
  e.b.inputs({&acc});
  e.b.outputs({&hs});

  const size_t total = want_h.size();
  const bool ok = e.b.run([&] { return hs.got == total; }, [&] { return hs.got; }, total, 200 * total + 1000);
  REQUIRE(ok);
  std::string first;
  const size_t violations = e.b.violations(&first);
  INFO(first);
  CHECK(violations == 0);
  REQUIRE(got_h.size() == total);
  size_t hbad = 0;
  for (size_t i = 0; i < total; ++i)
    if (!(got_h[i] == want_h[i]) && hbad++ < 3)
      UNSCOPED_INFO("h " << i << ": row " << got_h[i].row << " " << got_h[i].h << ", want row " << want_h[i].row
                         << " " << want_h[i].h);
  CHECK(hbad == 0);
  CHECK(fifo.counters.stalled == 0);  // never refused a push
  CHECK(fifo.max_fill <= size_t(H / E));
  e.b.report("ewu+fifo_c " + a.name, ins.size() + total);
}

}  // namespace

TEST_CASE("ewu: default config (7 lanes, 1 sub-beat), FIFO-C models, random stalls", "[block][ewu]") {
  run_ewu_models(config("default"), 30000, 51);
}

TEST_CASE("ewu: fast4 config (14 rows, 7 lanes, 2 sub-beats), FIFO-C models, random stalls", "[block][ewu]") {
  run_ewu_models(config("fast4"), 20000, 52);
}

TEST_CASE("ewu: grouped config (1 lane, 2 sub-beats), FIFO-C models, random stalls", "[block][ewu]") {
  run_ewu_models(grouped_config(), 30000, 53);
}

TEST_CASE("ewu: wide config (28 rows, 14 lanes), FIFO-C models, random stalls", "[block][ewu]") {
  run_ewu_models(config("wide"), 20000, 54);
}

TEST_CASE("ewu: with the real fifo_c in the loop, default config, recurrence over T steps", "[block][ewu]") {
  run_ewu_loop(config("default"), 300, 55);
}

TEST_CASE("ewu: with the real fifo_c in the loop, odd config (2 sub-beats)", "[block][ewu]") {
  run_ewu_loop(odd_config(), 1500, 56);
}

TEST_CASE("ewu: with the real fifo_c in the loop, minimal config (1 lane, 28 blocks)", "[block][ewu]") {
  run_ewu_loop(config("minimal"), 30, 57);
}
