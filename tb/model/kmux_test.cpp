// KMUX alone with the real weight ROM (wmem, random model). A source offers
// random beats with random gaps: each job is one block's W or U phase of a
// random step, with a fresh random vector on x_i (W) or h_i (U) and garbage
// on the other input; a sink takes the lane operands with random
// back-pressure. Per beat, lane ((r*4 + g)*G + gg)*k + e must carry
// v[col] and the code of entry (j*G + gg)*k + e of row b*R + r of W_g / U_g
// (zero operands for U at t = 0). Per job, summing mul_log over a gate
// row's lanes and beats must give lstm::numerics::sparse_log_dot of that row.
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "kmux.hpp"
#include "numerics/numerics.hpp"
#include "numerics/reference.hpp"
#include "wmem.hpp"

using namespace bh;
using lstm::formats::kGates;

namespace {

struct Job {
  Beat first;  // the tag of beat 0
  int beats;
  std::vector<int32_t> v;  // x_t or h_{t-1}
};

struct Out {
  Words op, code;
  Beat tag;
};

void run_kmux(const lstm::arch::ArchConfig& a, size_t jobs, uint64_t seed) {
  const lstm::formats::Model m = model_for(a, seed);
  const int R = a.rows_per_block(), B = a.blocks(), G = a.mvm_groups, k = a.k, L = a.mvm_lanes;
  Rng rng(seed);

  // Random jobs, flattened to beats.
  std::vector<Job> js(jobs);
  std::vector<std::pair<size_t, int>> beats;  // (job, j)
  for (size_t q = 0; q < jobs; ++q) {
    Job& jb = js[q];
    const bool w = rng.chance(0.5);
    const int t = rng.chance(0.25) ? 0 : int(rng.range(0, a.T - 1));
    jb.first.phase = w ? accel::kPhaseW : accel::kPhaseU;
    jb.first.step = uint16_t(t);
    jb.first.block = uint16_t(rng.range(0, B - 1));
    jb.first.first_step = t == 0;
    jb.first.last_step = t == a.T - 1;
    jb.beats = w ? a.w_beats() : a.u_beats();
    jb.v = rng.words(w ? a.I : a.H).v;
    for (int j = 0; j < jb.beats; ++j) beats.emplace_back(q, j);
  }
  auto tag_of = [&](size_t i) {
    Beat t = js[beats[i].first].first;
    const int j = beats[i].second;
    t.beat = uint16_t(j);
    t.first = j == 0;
    t.last = j == js[beats[i].first].beats - 1;
    return t;
  };

  Bench b;
  sc_core::sc_signal<bool> beat_valid("beat_valid", false), beat_ready("beat_ready", false);
  sc_core::sc_signal<Beat> beat("beat");
  sc_core::sc_signal<Words> x("x", Words(a.I)), h("h", Words(a.H));
  sc_core::sc_signal<bool> mem_en("mem_en", false);
  sc_core::sc_signal<int> mem_addr("mem_addr", 0);
  sc_core::sc_signal<Words> mem_data("mem_data", Words(L));
  sc_core::sc_signal<bool> op_valid("op_valid", false), op_ready("op_ready", false);
  sc_core::sc_signal<Words> op_data("op_data", Words(L)), op_code("op_code", Words(L));
  sc_core::sc_signal<Beat> op_tag("op_tag");
  // Unused wmem ports.
  sc_core::sc_signal<bool> off("off", false);
  sc_core::sc_signal<int> zero("zero", 0), fcb("fcb", 0);
  sc_core::sc_signal<Words> bias_data("bias_data", Words(kGates * a.ewu_lanes)), fc_data("fc_data", Words(a.fc_lanes));

  accel::wmem rom("wmem", m, a);
  rom.clk_i(b.clk);
  rom.lstm_en_i(mem_en);
  rom.lstm_addr_i(mem_addr);
  rom.lstm_data_o(mem_data);
  rom.bias_en_i(off);
  rom.bias_addr_i(zero);
  rom.bias_data_o(bias_data);
  rom.fc_en_i(off);
  rom.fc_addr_i(zero);
  rom.fc_row_i(zero);
  rom.fc_data_o(fc_data);
  rom.fcb_data_o(fcb);

  accel::kmux dut("kmux", a);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.beat_valid_i(beat_valid);
  dut.beat_ready_o(beat_ready);
  dut.beat_i(beat);
  dut.x_i(x);
  dut.h_i(h);
  dut.mem_en_o(mem_en);
  dut.mem_addr_o(mem_addr);
  dut.mem_data_i(mem_data);
  dut.op_valid_o(op_valid);
  dut.op_ready_i(op_ready);
  dut.op_data_o(op_data);
  dut.op_code_o(op_code);
  dut.op_tag_o(op_tag);

  Source src("src", beats.size(), [&](size_t i) {
    const Beat t = tag_of(i);
    beat.write(t);
    Words v;
    v.v = js[beats[i].first].v;
    if (t.phase == accel::kPhaseW) {
      x.write(v);
      h.write(rng.words(a.H));
    } else {
      h.write(v);
      x.write(rng.words(a.I));
    }
  }, seed + 1);
  src.bind(b.clk, b.rst, beat_valid, beat_ready);
  src.scramble = [&] {
    Beat t;
    t.phase = uint8_t(rng.range(0, 1));
    t.block = uint16_t(rng.range(0, B - 1));
    t.beat = uint16_t(rng.range(0, a.w_beats() - 1));  // keeps the (unused) ROM address in range
    beat.write(t);
    x.write(rng.words(a.I));
    h.write(rng.words(a.H));
  };
  std::vector<Out> got;
  Sink sink("sink", [&] {
    Snap s;
    add(s, op_data.read());
    add(s, op_code.read());
    add(s, op_tag.read());
    return s;
  }, [&](size_t) { got.push_back({op_data.read(), op_code.read(), op_tag.read()}); }, seed + 2);
  sink.bind(b.clk, b.rst, op_valid, op_ready);
  b.inputs({&src});
  b.outputs({&sink});

  const size_t total = beats.size();
  const bool ok = b.run([&] { return sink.got == total; }, [&] { return sink.got; }, total, 100 * total + 1000);
  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == total);

  size_t lane_bad = 0, tag_bad = 0, dot_bad = 0;
  std::vector<int64_t> sums(kGates * R);
  for (size_t i = 0; i < total; ++i) {
    const Job& jb = js[beats[i].first];
    const int j = beats[i].second;
    const Beat want_tag = tag_of(i);
    const Out& o = got[i];
    if (!(o.tag == want_tag) && tag_bad++ == 0) UNSCOPED_INFO("beat " << i << ": tag " << o.tag << ", want " << want_tag);
    const bool w = want_tag.phase == accel::kPhaseW;
    const bool zero_ops = !w && want_tag.first_step;
    if (j == 0) std::fill(sums.begin(), sums.end(), 0);
    for (int r = 0; r < R; ++r)
      for (int g = 0; g < kGates; ++g)
        for (int gg = 0; gg < G; ++gg)
          for (int e = 0; e < k; ++e) {
            const int lane = ((r * kGates + g) * G + gg) * k + e;
            const lstm::formats::SparseMatrix& s = w ? m.layers[0].W[g] : m.layers[0].U[g];
            const int row = want_tag.block * R + r, ent = (j * G + gg) * k + e;
            const int32_t want_op = zero_ops ? 0 : jb.v[s.column(row, ent)];
            const int32_t want_code = s.code[s.at(row, ent)];
            if ((o.op[lane] != want_op || o.code[lane] != want_code) && lane_bad++ < 3)
              UNSCOPED_INFO("beat " << i << " " << want_tag << " lane " << lane << ": op " << o.op[lane] << " code "
                                    << o.code[lane] << ", want " << want_op << " " << want_code);
            sums[r * kGates + g] += lstm::numerics::mul_log(o.op[lane], uint8_t(o.code[lane]));
          }
    if (j == jb.beats - 1) {
      const std::vector<int32_t> zeros(jb.v.size(), 0);
      for (int r = 0; r < R; ++r)
        for (int g = 0; g < kGates; ++g) {
          const lstm::formats::SparseMatrix& s = w ? m.layers[0].W[g] : m.layers[0].U[g];
          const int64_t want = lstm::numerics::sparse_log_dot(s, want_tag.block * R + r, zero_ops ? zeros.data() : jb.v.data());
          if (sums[r * kGates + g] != want && dot_bad++ == 0)
            UNSCOPED_INFO("job ending at beat " << i << " row " << r << " gate " << g << ": sum "
                                                << sums[r * kGates + g] << ", sparse_log_dot " << want);
        }
    }
  }
  CHECK(tag_bad == 0);
  CHECK(lane_bad == 0);
  CHECK(dot_bad == 0);
  b.report("kmux " + a.name, total * 2);
}

}  // namespace

TEST_CASE("kmux: default config (112 lanes, c=7 k=4), wmem ROM, random stalls", "[block][kmux]") {
  run_kmux(config("default"), 15000, 31);
}

TEST_CASE("kmux: wide config (896 lanes, 2 groups per beat), wmem ROM, random stalls", "[block][kmux]") {
  run_kmux(config("wide"), 8000, 32);
}

TEST_CASE("kmux: odd config (72 lanes, c=6 k=3), wmem ROM, random stalls", "[block][kmux]") {
  run_kmux(odd_config(), 15000, 33);
}

TEST_CASE("kmux: grouped config (32 lanes, c=4 k=2, 2 groups), wmem ROM, random stalls", "[block][kmux]") {
  run_kmux(grouped_config(), 20000, 34);
}

TEST_CASE("kmux: tiny config (64 lanes, 1 beat per phase), wmem ROM, random stalls", "[block][kmux]") {
  run_kmux(tiny_config(), 30000, 35);
}
