// Arg-max alone: random logit vectors (full 32-bit range, or from a few
// values so that ties are common) in with random gaps, results out with
// random back-pressure. Each result must be lstm::numerics::argmax of its vector (the
// lowest index on a tie) with the logits passed through, one per vector, in
// order.
#include <catch2/catch.hpp>

#include "argmax.hpp"
#include "block_harness.hpp"
#include "numerics/numerics.hpp"

using namespace bh;

namespace {

struct Res {
  int cls;
  Words logits;
};

void run_argmax(int classes, size_t vectors, uint64_t seed) {
  Rng rng(seed);
  std::vector<Words> in(vectors, Words(classes));
  size_t ties = 0;
  for (auto& l : in) {
    const int mode = int(rng.range(0, 2));
    for (auto& v : l.v)
      v = mode == 0 ? int32_t(rng.range(INT32_MIN, INT32_MAX))
                    : (mode == 1 ? int32_t(rng.range(-3, 3)) : int32_t(rng.range(-1, 0)) * 5000000);
    const int best = lstm::numerics::argmax(l.v.data(), l.v.size());
    for (int j = best + 1; j < classes; ++j) ties += l[j] == l[best];
  }

  Bench b;
  sc_core::sc_signal<bool> logit_valid("logit_valid", false), logit_ready("logit_ready", false);
  sc_core::sc_signal<Words> logits("logits", Words(classes));
  sc_core::sc_signal<bool> res_valid("res_valid", false), res_ready("res_ready", false);
  sc_core::sc_signal<int> res_class("res_class", 0);
  sc_core::sc_signal<Words> res_logits("res_logits", Words(classes));

  accel::argmax dut("argmax", classes);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.logit_valid_i(logit_valid);
  dut.logit_ready_o(logit_ready);
  dut.logits_i(logits);
  dut.res_valid_o(res_valid);
  dut.res_ready_i(res_ready);
  dut.res_class_o(res_class);
  dut.res_logits_o(res_logits);

  Source src("src", vectors, [&](size_t i) { logits.write(in[i]); }, seed + 1);
  src.bind(b.clk, b.rst, logit_valid, logit_ready);
  src.scramble = [&] { logits.write(rng.words(classes)); };
  std::vector<Res> got;
  Sink sink("sink", [&] {
    Snap s;
    add(s, res_class.read());
    add(s, res_logits.read());
    return s;
  }, [&](size_t) { got.push_back({res_class.read(), res_logits.read()}); }, seed + 2);
  sink.bind(b.clk, b.rst, res_valid, res_ready);
  b.inputs({&src});
  b.outputs({&sink});

  const bool ok = b.run([&] { return sink.got == vectors; }, [&] { return sink.got; }, vectors,
                        vectors * (40 * classes + 200));
  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == vectors);
  size_t bad = 0;
  for (size_t n = 0; n < vectors; ++n) {
    const int want = lstm::numerics::argmax(in[n].v.data(), in[n].v.size());
    if (!(got[n].cls == want && got[n].logits == in[n]) && bad++ < 3)
      UNSCOPED_INFO("vector " << n << " " << in[n] << ": class " << got[n].cls << " logits " << got[n].logits
                              << ", want class " << want);
  }
  CHECK(bad == 0);
  if (classes > 1) CHECK(ties > vectors / 10);  // the tie rule was exercised
  b.report("argmax " + std::to_string(classes) + " classes", 2 * vectors);
}

}  // namespace

TEST_CASE("argmax: 10 classes, random stalls", "[block][argmax]") { run_argmax(10, 40000, 91); }

TEST_CASE("argmax: 5 classes, random stalls", "[block][argmax]") { run_argmax(5, 50000, 92); }

TEST_CASE("argmax: 3 classes, random stalls", "[block][argmax]") { run_argmax(3, 50000, 93); }

TEST_CASE("argmax: 1 class, random stalls", "[block][argmax]") { run_argmax(1, 30000, 94); }
