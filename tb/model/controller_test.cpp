// Controller alone. Models of S-P-X (rows x_t, offered with random gaps and
// held until row_pop) and of S-P-H (h_{t-1}, offered with random gaps, never
// before the controller has issued every U(t-1) beat) feed it; a sink takes
// the beats with random back-pressure. The beats must follow the schedule
// W(0) U(0) ... W(T-1) U(T-1) over blocks and beats with the right flags;
// every W(t) beat must be issued while S-P-X offers row x_t and every U(t)
// beat (t > 0) while S-P-H offers h_{t-1}; row_pop and h_pop must pulse
// exactly with the last beat of each W and U (t > 0) phase. The S-P-H model
// returns the bank credit (h_rel) the cycle after each h_pop and two
// cycles after the last U(T-1) beat (FC takes h_T at once).
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "controller.hpp"

using namespace bh;

namespace {

struct Issued {
  Beat beat;
  bool row_valid, h_valid;
  int row_id, h_id;
};

void run_controller(const lstm::arch::ArchConfig& a, size_t images, uint64_t seed) {
  const int T = a.T, B = a.blocks(), Wc = a.w_beats(), Uc = a.u_beats();
  const size_t per_step = size_t(B) * (Wc + Uc), per_image = per_step * T;

  Bench b;
  sc_core::sc_signal<bool> row_valid("row_valid", false), row_pop("row_pop", false);
  sc_core::sc_signal<bool> h_valid("h_valid", false), h_pop("h_pop", false), h_rel("h_rel", false);
  sc_core::sc_signal<bool> beat_valid("beat_valid", false), beat_ready("beat_ready", false);
  sc_core::sc_signal<Beat> beat("beat");
  // Which row / h vector the models offer (test-bench only).
  sc_core::sc_signal<int> row_id("row_id", -1), h_id("h_id", -1);

  accel::controller dut("controller", T, B, Wc, Uc);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.row_valid_i(row_valid);
  dut.row_pop_o(row_pop);
  dut.h_valid_i(h_valid);
  dut.h_pop_o(h_pop);
  dut.h_rel_i(h_rel);
  dut.beat_valid_o(beat_valid);
  dut.beat_ready_i(beat_ready);
  dut.beat_o(beat);

  // Rows n*T + t; h vectors n*(T-1) + (t-1) for U(t), t >= 1.
  Source rows("rows", images * T, [&](size_t i) { row_id.write(int(i)); }, seed + 1);
  rows.bind(b.clk, b.rst, row_valid, row_pop);
  rows.scramble = [&] { row_id.write(-1); };
  std::vector<Issued> got;
  Sink sink("sink", [&] { Snap s; add(s, beat.read()); return s; },
            [&](size_t) { got.push_back({beat.read(), row_valid.read(), h_valid.read(), row_id.read(), h_id.read()}); },
            seed + 3);
  sink.bind(b.clk, b.rst, beat_valid, beat_ready);
  const size_t h_count = images * (T - 1);
  Source hs("hs", h_count, [&](size_t i) { h_id.write(int(i)); }, seed + 2);
  hs.bind(b.clk, b.rst, h_valid, h_pop);
  hs.scramble = [&] { h_id.write(-1); };
  // h_{t-1} of image n exists once all U(t-1) beats of image n were issued.
  hs.may_offer = [&](size_t i) {
    const size_t n = i / (T - 1), t = i % (T - 1) + 1;
    return sink.got >= n * per_image + t * per_step;
  };
  b.inputs({&rows, &hs});
  b.outputs({&sink});

  // The pops are combinational pulses: exactly with the transfer of the last
  // beat of the last block of a W phase (row) or a U phase with t > 0 (h).
  size_t pop_bad = 0;
  bool final_pending = false;
  b.monitor = [&] {
    const Beat bt = beat.read();
    const bool fire = beat_valid.read() && beat_ready.read();
    const bool end = fire && bt.block == B - 1 && bt.last;
    if (row_pop.read() != (end && bt.phase == accel::kPhaseW)) ++pop_bad;
    if (h_pop.read() != (end && bt.phase == accel::kPhaseU && bt.step > 0)) ++pop_bad;
    // One pulse per release: h_T's comes a cycle after the pop of h_{T-2}.
    h_rel.write(h_pop.read() || final_pending);
    final_pending = end && bt.phase == accel::kPhaseU && bt.step == T - 1;
    // The controller's valid depends only on its state and the models' valids.
    if (beat_valid.read() && !(bt.phase == accel::kPhaseW ? row_valid.read() : bt.step == 0 || h_valid.read()))
      ++pop_bad;
  };

  const size_t total = images * per_image;
  const bool ok = b.run([&] { return sink.got == total; }, [&] { return sink.got; }, total, 100 * total);
  REQUIRE(ok);
  check_protocol(b);
  REQUIRE(got.size() == total);

  size_t bad = 0, i = 0;
  for (size_t n = 0; n < images; ++n)
    for (int t = 0; t < T; ++t)
      for (int ph = 0; ph < 2; ++ph)
        for (int blk = 0; blk < B; ++blk) {
          const int beats = ph == accel::kPhaseW ? Wc : Uc;
          for (int j = 0; j < beats; ++j, ++i) {
            Beat want;
            want.phase = uint8_t(ph);
            want.step = uint16_t(t);
            want.block = uint16_t(blk);
            want.beat = uint16_t(j);
            want.first = j == 0;
            want.last = j == beats - 1;
            want.first_step = t == 0;
            want.last_step = t == T - 1;
            const Issued& g = got[i];
            bool ok_beat = g.beat == want;
            if (ph == accel::kPhaseW) ok_beat = ok_beat && g.row_valid && g.row_id == int(n * T + t);
            else if (t > 0) ok_beat = ok_beat && g.h_valid && g.h_id == int(n * (T - 1) + t - 1);
            if (!ok_beat && bad++ < 3)
              UNSCOPED_INFO("beat " << i << ": got " << g.beat << " row " << g.row_id << " h " << g.h_id << ", want "
                                    << want << " image " << n);
          }
        }
  CHECK(bad == 0);
  CHECK(pop_bad == 0);
  CHECK(rows.sent == images * T);
  CHECK(hs.sent == h_count);
  b.report("controller " + a.name, total + rows.sent + hs.sent);
}

}  // namespace

TEST_CASE("controller: default config (T=28, 4 blocks, 4+4 beats), random stalls", "[block][controller]") {
  run_controller(config("default"), 80, 21);
}

TEST_CASE("controller: wide config (1 block, 2+2 beats), random stalls", "[block][controller]") {
  run_controller(config("wide"), 600, 22);
}

TEST_CASE("controller: odd config (T=6, 3 blocks, 2+3 beats), random stalls", "[block][controller]") {
  run_controller(odd_config(), 800, 23);
}

TEST_CASE("controller: minimal config (28 blocks), random stalls", "[block][controller]") {
  run_controller(config("minimal"), 30, 24);
}

TEST_CASE("controller: tiny config (T=4, 2 blocks, 1+1 beats), random stalls", "[block][controller]") {
  run_controller(tiny_config(), 4000, 25);
}
