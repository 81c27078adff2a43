// S-P-H alone: sequences of random length (1..5 steps) of h vectors, each
// sent as H/E beats of E random words in row order with random gaps, the
// last step of a sequence flagged h_last. Two sinks with independent random
// back-pressure: the controller side (vec_valid / vec_pop) must receive every
// intermediate h and the FC side (fc_valid / fc_ready) every final h_T, each
// whole, in order and exactly once; vec_valid and fc_valid are never high
// together. Stream mode (a layer above reads h_t): a third sink with its own
// back-pressure takes every vector, final or not, as H/E beats in order;
// FC gets nothing.
#include <catch2/catch.hpp>

#include "block_harness.hpp"
#include "sph.hpp"

using namespace bh;

namespace {

struct Beat_ {
  Words d;
  int row;
  bool last;
};

void run_sph(int H, int E, size_t vectors, uint64_t seed, bool stream = false) {
  Rng rng(seed);
  std::vector<Words> vecs;
  std::vector<bool> final_of;
  while (vecs.size() < vectors) {
    const int steps = int(rng.range(1, 5));
    for (int t = 0; t < steps; ++t) {
      vecs.push_back(rng.words(H));
      final_of.push_back(t == steps - 1);
    }
  }
  const int per = H / E;
  std::vector<Beat_> beats;
  for (size_t n = 0; n < vecs.size(); ++n)
    for (int q = 0; q < per; ++q) {
      Beat_ bt{Words(E), q * E, bool(final_of[n])};
      for (int r = 0; r < E; ++r) bt.d[r] = vecs[n][q * E + r];
      beats.push_back(bt);
    }

  Bench b;
  sc_core::sc_signal<bool> h_valid("h_valid", false), h_ready("h_ready", false);
  sc_core::sc_signal<Words> h_data("h_data", Words(E));
  sc_core::sc_signal<int> h_row("h_row", 0);
  sc_core::sc_signal<bool> h_last("h_last", false);
  sc_core::sc_signal<Words> vec("vec", Words(H));
  sc_core::sc_signal<bool> vec_valid("vec_valid", false), vec_pop("vec_pop", false);
  sc_core::sc_signal<bool> fc_valid("fc_valid", false), fc_ready("fc_ready", false);
  sc_core::sc_signal<bool> out_valid("out_valid", false), out_ready("out_ready", false);
  sc_core::sc_signal<Words> out_data("out_data", Words(E));

  accel::sph dut("sph", H, E, stream);
  dut.clk_i(b.clk);
  dut.rst_ni(b.rst);
  dut.h_valid_i(h_valid);
  dut.h_ready_o(h_ready);
  dut.h_data_i(h_data);
  dut.h_row_i(h_row);
  dut.h_last_i(h_last);
  dut.vec_o(vec);
  dut.vec_valid_o(vec_valid);
  dut.vec_pop_i(vec_pop);
  dut.fc_valid_o(fc_valid);
  dut.fc_ready_i(fc_ready);
  dut.out_valid_o(out_valid);
  dut.out_ready_i(out_ready);
  dut.out_data_o(out_data);
  sc_core::sc_signal<bool> rel("rel", false);
  dut.rel_o(rel);

  Source src("src", beats.size(), [&](size_t i) {
    h_data.write(beats[i].d);
    h_row.write(beats[i].row);
    h_last.write(beats[i].last);
  }, seed + 1);
  src.bind(b.clk, b.rst, h_valid, h_ready);
  src.scramble = [&] {
    h_data.write(rng.words(E));
    h_row.write(int(rng.range(0, per - 1)) * E);
    h_last.write(rng.chance(0.5));
  };
  std::vector<Words> got_vec, got_fc;
  auto snap = [&] { Snap s; add(s, vec.read()); return s; };
  Sink vs("vec_sink", snap, [&](size_t) { got_vec.push_back(vec.read()); }, seed + 2);
  vs.bind(b.clk, b.rst, vec_valid, vec_pop);
  Sink fs("fc_sink", snap, [&](size_t) { got_fc.push_back(vec.read()); }, seed + 3);
  fs.bind(b.clk, b.rst, fc_valid, fc_ready);
  std::vector<int32_t> streamed;  // every word the stream delivered, in order
  auto out_snap = [&] { Snap s; add(s, out_data.read()); return s; };
  Sink os("out_sink", out_snap, [&](size_t) { for (int32_t w : out_data.read().v) streamed.push_back(w); }, seed + 4);
  os.bind(b.clk, b.rst, out_valid, out_ready);
  b.inputs({&src});
  b.outputs({&vs, &fs, &os});

  size_t both = 0, rels = 0;  // rel_o: one pulse per released bank (the controller's credit)
  b.monitor = [&] {
    both += vec_valid.read() && fc_valid.read();
    rels += rel.read();
  };

  std::vector<Words> want_vec, want_fc;
  for (size_t n = 0; n < vecs.size(); ++n)
    if (!final_of[n]) want_vec.push_back(vecs[n]);
    else if (!stream) want_fc.push_back(vecs[n]);
  // Stream mode: every vector leaves as beats; the run ends when all did.
  const size_t total = stream ? vecs.size() * size_t(per) + want_vec.size() : vecs.size();
  auto done = [&] { return stream ? os.got + vs.got : vs.got + fs.got; };
  const bool ok = b.run([&] { return done() == total; }, done, total, 200 * beats.size() + 1000);
  REQUIRE(ok);
  check_protocol(b);
  CHECK(both == 0);
  // Every vector is released once; the last pulse may fall after the run ends.
  CHECK(rels + 1 >= vecs.size());
  CHECK(rels <= vecs.size());
  REQUIRE(got_vec.size() == want_vec.size());
  REQUIRE(got_fc.size() == want_fc.size());
  size_t bad = 0;
  for (size_t i = 0; i < want_vec.size(); ++i)
    if (!(got_vec[i] == want_vec[i]) && bad++ < 3) UNSCOPED_INFO("h " << i << ": " << got_vec[i] << ", want " << want_vec[i]);
  for (size_t i = 0; i < want_fc.size(); ++i)
    if (!(got_fc[i] == want_fc[i]) && bad++ < 3) UNSCOPED_INFO("h_T " << i << ": " << got_fc[i] << ", want " << want_fc[i]);
  CHECK(bad == 0);
  if (stream) {
    std::vector<int32_t> want;
    for (const Words& v : vecs) want.insert(want.end(), v.v.begin(), v.v.end());
    CHECK(streamed == want);
  } else {
    CHECK(os.got == 0);
  }
  b.report("sph H " + std::to_string(H) + " E " + std::to_string(E), beats.size() + total);
}

}  // namespace

TEST_CASE("sph: H=28, E=7 (default config), random stalls", "[block][sph]") { run_sph(28, 7, 20000, 71); }

TEST_CASE("sph: H=28, E=1 (minimal config), random stalls", "[block][sph]") { run_sph(28, 1, 4000, 72); }

TEST_CASE("sph: H=28, E=14 (wide config), random stalls", "[block][sph]") { run_sph(28, 14, 30000, 73); }

TEST_CASE("sph: H=18, E=3 (odd config), random stalls", "[block][sph]") { run_sph(18, 3, 20000, 74); }

TEST_CASE("sph: H=8, E=8 (one beat per vector), random stalls", "[block][sph]") { run_sph(8, 8, 40000, 75); }

TEST_CASE("sph stream: H=28, E=7, every vector streamed and popped, random stalls", "[block][sph][stacked]") {
  run_sph(28, 7, 20000, 76, true);
}

TEST_CASE("sph stream: H=16, E=1, random stalls", "[block][sph][stacked]") { run_sph(16, 1, 4000, 77, true); }

TEST_CASE("sph stream: H=10, E=10 (one beat per vector), random stalls", "[block][sph][stacked]") {
  run_sph(10, 10, 30000, 78, true);
}
