// MVM array alone. A source offers lane operands with random gaps as KMUX
// would for a random model: per step, the W phase of every block (blocks in
// a random order) on a random x, then the U phase (blocks in another random
// order) on a random h, all operands full-range 16-bit words. A sink takes
// the sums with random back-pressure. Every U phase must produce one output,
// in order, with the tag of its last beat and, at index r*4 + g,
// lstm::numerics::sparse_log_dot(W_g, row, x) + lstm::numerics::sparse_log_dot(U_g, row, h),
// row = b*R + r.
#include <algorithm>
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "numerics/numerics.hpp"
#include "numerics/reference.hpp"
#include "mvm.hpp"

using namespace bh;
using lstm::formats::kGates;

namespace {

struct In {
  Words op, code;
  Beat tag;
};
struct Want {
  Words sum;
  Beat tag;
};

void run_mvm(const lstm::arch::ArchConfig& a, size_t steps, uint64_t seed) {
  const lstm::formats::Model m = model_for(a, seed);
  const int R = a.rows_per_block(), B = a.blocks(), G = a.mvm_groups, k = a.k, L = a.mvm_lanes;
  Rng rng(seed);

  // The lane operands of one block's phase (as KMUX forms them).
  std::vector<In> ins;
  std::vector<Want> wants;
  auto phase = [&](int ph, int t, int blk, const std::vector<int32_t>& v) {
    const int beats = ph == accel::kPhaseW ? a.w_beats() : a.u_beats();
    for (int j = 0; j < beats; ++j) {
      In in{Words(L), Words(L), Beat{}};
      in.tag.phase = uint8_t(ph);
      in.tag.step = uint16_t(t % a.T);
      in.tag.block = uint16_t(blk);
      in.tag.beat = uint16_t(j);
      in.tag.first = j == 0;
      in.tag.last = j == beats - 1;
      in.tag.first_step = t % a.T == 0;
      in.tag.last_step = t % a.T == a.T - 1;
      for (int r = 0; r < R; ++r)
        for (int g = 0; g < kGates; ++g)
          for (int gg = 0; gg < G; ++gg)
            for (int e = 0; e < k; ++e) {
              const lstm::formats::SparseMatrix& s = ph == accel::kPhaseW ? m.layers[0].W[g] : m.layers[0].U[g];
              const int row = blk * R + r, ent = (j * G + gg) * k + e, lane = ((r * kGates + g) * G + gg) * k + e;
              in.op[lane] = v[s.column(row, ent)];
              in.code[lane] = s.code[s.at(row, ent)];
            }
      ins.push_back(std::move(in));
    }
  };
  std::vector<int> order(B);
  size_t overflow = 0;  // a sum the 32-bit accumulators cannot hold
  for (size_t t = 0; t < steps; ++t) {
    const std::vector<int32_t> x = rng.words(a.I).v, h = rng.words(a.H).v;
    for (int i = 0; i < B; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng.gen());
    for (int blk : order) phase(accel::kPhaseW, int(t), blk, x);
    std::shuffle(order.begin(), order.end(), rng.gen());
    for (int blk : order) {
      phase(accel::kPhaseU, int(t), blk, h);
      Want w{Words(kGates * R), ins.back().tag};
      for (int r = 0; r < R; ++r)
        for (int g = 0; g < kGates; ++g) {
          const int64_t s = lstm::numerics::sparse_log_dot(m.layers[0].W[g], blk * R + r, x.data()) +
                            lstm::numerics::sparse_log_dot(m.layers[0].U[g], blk * R + r, h.data());
          overflow += s != int32_t(s);
          w.sum[r * kGates + g] = int32_t(s);
        }
      wants.push_back(std::move(w));
    }
  }

  REQUIRE(overflow == 0);

  Bench b;
  sc_core::sc_signal<bool> op_valid("op_valid", false), op_ready("op_ready", false);
  sc_core::sc_signal<Words> op_data("op_data", Words(L)), op_code("op_code", Words(L));
  sc_core::sc_signal<Beat> op_tag("op_tag");
  sc_core::sc_signal<bool> acc_valid("acc_valid", false), acc_ready("acc_ready", false);
  sc_core::sc_signal<Words> acc_data("acc_data", Words(kGates * R));
  sc_core::sc_signal<Beat> acc_tag("acc_tag");

  accel::mvm dut("mvm", a);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.op_valid_i(op_valid);
  dut.op_ready_o(op_ready);
  dut.op_data_i(op_data);
  dut.op_code_i(op_code);
  dut.op_tag_i(op_tag);
  dut.acc_valid_o(acc_valid);
  dut.acc_ready_i(acc_ready);
  dut.acc_data_o(acc_data);
  dut.acc_tag_o(acc_tag);

  Source src("src", ins.size(), [&](size_t i) {
    op_data.write(ins[i].op);
    op_code.write(ins[i].code);
    op_tag.write(ins[i].tag);
  }, seed + 1);
  src.bind(b.clk, b.rst, op_valid, op_ready);
  src.scramble = [&] {
    Words c(L);
    for (auto& v : c.v) v = int32_t(rng.range(0, 15));
    op_data.write(rng.words(L));
    op_code.write(c);
    Beat t;
    t.phase = uint8_t(rng.range(0, 1));
    t.block = uint16_t(rng.range(0, B - 1));
    t.first = rng.chance(0.5);
    t.last = rng.chance(0.5);
    op_tag.write(t);
  };
  std::vector<Want> got;
  Sink sink("sink", [&] {
    Snap s;
    add(s, acc_data.read());
    add(s, acc_tag.read());
    return s;
  }, [&](size_t) { got.push_back({acc_data.read(), acc_tag.read()}); }, seed + 2);
  sink.bind(b.clk, b.rst, acc_valid, acc_ready);
  b.inputs({&src});
  b.outputs({&sink});

  const size_t total = wants.size();
  const bool ok = b.run([&] { return sink.got == total && src.done(); }, [&] { return sink.got; }, total,
                        200 * ins.size() + 1000);
  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == total);
  CHECK(dut.lane_beats == ins.size());
  size_t bad = 0;
  for (size_t i = 0; i < total; ++i)
    if (!(got[i].sum == wants[i].sum && got[i].tag == wants[i].tag) && bad++ < 3)
      UNSCOPED_INFO("output " << i << ": " << got[i].tag << " " << got[i].sum << ", want " << wants[i].tag << " "
                              << wants[i].sum);
  CHECK(bad == 0);
  b.report("mvm " + a.name, ins.size() + total);
}

}  // namespace

TEST_CASE("mvm: default config (7 rows x 4 gates, k=4, 4 blocks), random stalls", "[block][mvm]") {
  run_mvm(config("default"), 1500, 41);
}

TEST_CASE("mvm: wide config (28 rows, 2 groups per beat, 1 block), random stalls", "[block][mvm]") {
  run_mvm(config("wide"), 4000, 42);
}

TEST_CASE("mvm: odd config (6 rows, c=6 k=3, 3 blocks), random stalls", "[block][mvm]") {
  run_mvm(odd_config(), 3000, 43);
}

TEST_CASE("mvm: minimal config (1 row, 28 blocks), random stalls", "[block][mvm]") {
  run_mvm(config("minimal"), 300, 44);
}

TEST_CASE("mvm: tiny config (1 beat per phase: first = last), random stalls", "[block][mvm]") {
  run_mvm(tiny_config(), 10000, 45);
}
