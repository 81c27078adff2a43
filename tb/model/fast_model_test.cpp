// The fast timed model (reference + schedule) against the cycle-accurate
// SystemC model: same classes, logits and per-image cycles on 50 random
// valid configs x 20 images. SystemC allows one elaboration per process, so
// each cycle-accurate run happens in a forked child that reports back
// through a pipe; the parent never elaborates.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>

#include "arch/arch.hpp"
#include "formats/error.hpp"
#include "numerics/fast_model.hpp"
#include "simulation.hpp"

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::numerics;

namespace {

std::vector<int> divisors(int n) {
  std::vector<int> d;
  for (int i = 1; i <= n; ++i)
    if (n % i == 0) d.push_back(i);
  return d;
}

// A random config that validate_arch accepts.
ArchConfig random_arch(std::mt19937_64& rng) {
  auto pick = [&](const std::vector<int>& v) { return v[rng() % v.size()]; };
  auto in = [&](int lo, int hi) { return lo + static_cast<int>(rng() % uint64_t(hi - lo + 1)); };
  for (;;) {
    ArchConfig a;
    a.c = in(2, 8);
    a.k = in(1, a.c);
    a.I = a.c * in(1, 4);
    a.H = a.c * in(1, 4);
    a.T = in(2, 10);
    a.classes = in(1, 12);
    std::vector<int> g;
    for (int d : divisors(a.I / a.c))
      if ((a.H / a.c) % d == 0) g.push_back(d);
    a.mvm_groups = pick(g);
    const int R = pick(divisors(a.H));
    a.mvm_lanes = 4 * a.k * a.mvm_groups * R;
    std::vector<int> e;
    for (int d : divisors(R))
      if (R / d <= a.u_beats()) e.push_back(d);
    if (e.empty()) continue;
    a.ewu_lanes = pick(e);
    a.fc_lanes = a.k * pick(divisors(a.H / a.c));
    a.pixels_per_beat = pick(divisors(a.I));
    a.spx_buffers = in(2, 3);
    try {
      validate_arch(a, "random config");
    } catch (const InputError&) {
      continue;  // e.g. an FC too slow for this LSTM: draw again
    }
    return a;
  }
}

// Adds 1 or 2 layers of random valid parallelism above `a`'s layer 1 (and
// a new FC lane count for the last layer); false when none fits.
bool add_random_layers(ArchConfig& a, std::mt19937_64& rng) {
  auto pick = [&](const std::vector<int>& v) { return v[rng() % v.size()]; };
  auto in = [&](int lo, int hi) { return lo + static_cast<int>(rng() % uint64_t(hi - lo + 1)); };
  const int extra = in(1, 2);
  for (int tries = 0; tries < 50; ++tries) {
    ArchConfig b = a;
    b.more_layers.clear();
    int below = a.H;
    for (int l = 0; l < extra; ++l) {
      LayerArch y;
      y.H = a.c * in(1, 4);
      std::vector<int> g;
      for (int d : divisors(below / a.c))
        if ((y.H / a.c) % d == 0) g.push_back(d);
      y.mvm_groups = pick(g);
      const int R = pick(divisors(y.H));
      y.mvm_lanes = 4 * a.k * y.mvm_groups * R;
      b.more_layers.push_back(y);
      const ArchConfig v = b.layer(l + 1);
      std::vector<int> e;
      for (int d : divisors(R))
        if (R / d <= v.u_beats()) e.push_back(d);
      if (e.empty()) break;
      b.more_layers.back().ewu_lanes = pick(e);
      b.more_layers.back().spx_buffers = in(2, 3);
      below = y.H;
    }
    if (b.num_layers() != 1 + extra) continue;
    b.fc_lanes = a.k * pick(divisors(b.hidden() / a.c));
    try {
      validate_arch(b, "random stacked config");
    } catch (const InputError&) {
      continue;
    }
    a = b;
    return true;
  }
  return false;
}


// Runs the cycle-accurate model in a child process; returns per image
// {class, first beat, result cycle, logits...} flattened.
std::vector<int64_t> simulate_in_child(const Model& m, const ArchConfig& a, const ImageSet& imgs, uint64_t sink_hold) {
  int fd[2];
  REQUIRE(pipe(fd) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fd[0]);
    std::vector<size_t> order(imgs.count);
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    accel::SimOptions so;
    so.sink_hold = sink_hold;
    const accel::SimReport rep = accel::simulate(m, a, imgs, order, so);
    std::vector<int64_t> out;
    out.push_back(rep.error.empty() ? 1 : 0);
    for (size_t n = 0; n < rep.results.size(); ++n) {
      out.push_back(rep.results[n].cls);
      out.push_back(static_cast<int64_t>(rep.first_beat[n]));
      out.push_back(static_cast<int64_t>(rep.results[n].cycle));
      for (int64_t l : rep.results[n].logits) out.push_back(l);
    }
    const size_t bytes = out.size() * sizeof(int64_t);
    const char* p = reinterpret_cast<const char*>(out.data());
    for (size_t done = 0; done < bytes;) {
      const ssize_t w = write(fd[1], p + done, bytes - done);
      if (w <= 0) _exit(3);
      done += static_cast<size_t>(w);
    }
    close(fd[1]);
    _exit(0);
  }
  close(fd[1]);
  std::vector<int64_t> in;
  int64_t v;
  while (read(fd[0], &v, sizeof v) == static_cast<ssize_t>(sizeof v)) in.push_back(v);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return in;
}

// Compares a fast run with a cycle-accurate one (simulate_in_child's
// layout): classes, logits, and every image's latency and interval (cycle
// numbering differs by a constant, the reset). Returns the images compared.
size_t compare_with_ca(const FastRun& f, const std::vector<int64_t>& ca, const ArchConfig& a, size_t count) {
  REQUIRE(ca.size() == 1 + count * (3 + a.classes));
  REQUIRE(ca[0] == 1);
  size_t at = 1;
  int64_t prev = 0;
  for (size_t n = 0; n < count; ++n) {
    const int64_t cls = ca[at], first = ca[at + 1], res = ca[at + 2];
    std::vector<int64_t> logits(ca.begin() + at + 3, ca.begin() + at + 3 + a.classes);
    at += 3 + a.classes;
    CHECK(cls == f.results[n].cls);
    CHECK(logits == f.results[n].logits);
    CHECK(res - first == int64_t(f.schedule.result[n] - f.schedule.first_beat[n]));
    if (n > 0) CHECK(res - prev == int64_t(f.schedule.result[n] - f.schedule.result[n - 1]));
    prev = res;
  }
  return count;
}

}  // namespace

TEST_CASE("fast model equals the cycle-accurate model on 50 random configs x 20 images", "[fast]") {
  std::mt19937_64 rng(2026);
  size_t images_checked = 0, held_configs = 0;
  for (int cfg = 0; cfg < 50; ++cfg) {
    const ArchConfig a = random_arch(rng);
    const Model m = random_model(model_shape(a), rng());
    ImageSet imgs;
    imgs.rows = a.T;
    imgs.cols = a.I;
    imgs.count = 20;
    for (size_t i = 0; i < imgs.count * size_t(a.T * a.I); ++i) imgs.pixels.push_back(static_cast<uint8_t>(rng()));
    // A slow result consumer in two of three configs: ready low for half to
    // three image intervals after each result, so the wait reaches arg-max,
    // FC and the LSTM (S-P-H's bank order) in most of them.
    const uint64_t iv = timing(a).interval;
    const uint64_t hold = cfg % 3 == 0 ? 0 : iv / 2 + rng() % (3 * iv);
    const FastRun f = run_fast(m, a, imgs, imgs.count, hold);
    if (hold > 0 && f.schedule.result != schedule(a, imgs.count).result) ++held_configs;
    const std::vector<int64_t> ca = simulate_in_child(m, a, imgs, hold);
    INFO("config " << cfg << ": I=" << a.I << " H=" << a.H << " T=" << a.T << " c=" << a.c << " k=" << a.k
                   << " classes=" << a.classes << " lanes=" << a.mvm_lanes << " groups=" << a.mvm_groups
                   << " ewu=" << a.ewu_lanes << " fc=" << a.fc_lanes << " P=" << a.pixels_per_beat
                   << " NB=" << a.spx_buffers << " sink_hold=" << hold);
    images_checked += compare_with_ca(f, ca, a, imgs.count);
  }
  CHECK(images_checked == 1000);
  // The slow consumer changed the timing in most of its configs.
  CHECK(held_configs >= 20);
}

namespace {

// A random config with a CNN front end that validate_arch accepts: the
// LSTM part from random_arch, then image columns, multipliers (dividing or
// a multiple of 3 x columns), pixels per beat and pooled-row buffers.
ArchConfig random_cnn_arch(std::mt19937_64& rng) {
  auto pick = [&](const std::vector<int>& v) { return v[rng() % v.size()]; };
  for (;;) {
    ArchConfig a = random_arch(rng);
    a.T = 1 + static_cast<int>(rng() % 5);  // 2..10 image rows
    a.cnn_in = 1 + static_cast<int>(rng() % 9);
    const int taps = 3 * a.cnn_in;
    std::vector<int> lanes = divisors(taps);
    for (int pc : divisors(a.I)) lanes.push_back(pc * taps);
    a.conv_lanes = pick(lanes);
    a.pixels_per_beat = pick(divisors(a.cnn_in));
    a.spx_buffers = 2 + static_cast<int>(rng() % 2);
    try {
      validate_arch(a, "random cnn config");
    } catch (const InputError&) {
      continue;
    }
    return a;
  }
}

}  // namespace

TEST_CASE("fast model equals the cycle-accurate model on 30 random CNN-LSTM configs x 20 images", "[fast][cnn]") {
  std::mt19937_64 rng(2027);
  size_t images_checked = 0;
  for (int cfg = 0; cfg < 30; ++cfg) {
    const ArchConfig a = random_cnn_arch(rng);
    const Model m = random_model(model_shape(a), rng());
    ImageSet imgs;
    imgs.rows = a.cnn_steps();
    imgs.cols = a.cnn_in;
    imgs.count = 20;
    for (size_t i = 0; i < imgs.count * size_t(imgs.rows * imgs.cols); ++i)
      imgs.pixels.push_back(static_cast<uint8_t>(rng()));
    // A slow result consumer in two of three configs, as above.
    const uint64_t iv = timing(a).interval;
    const uint64_t hold = cfg % 3 == 0 ? 0 : iv / 2 + rng() % (3 * iv);
    const FastRun f = run_fast(m, a, imgs, imgs.count, hold);
    const std::vector<int64_t> ca = simulate_in_child(m, a, imgs, hold);
    INFO("config " << cfg << ": cnn_in=" << a.cnn_in << " conv_lanes=" << a.conv_lanes << " I=" << a.I
                   << " H=" << a.H << " T=" << a.T << " c=" << a.c << " k=" << a.k << " lanes=" << a.mvm_lanes
                   << " groups=" << a.mvm_groups << " ewu=" << a.ewu_lanes << " fc=" << a.fc_lanes
                   << " P=" << a.pixels_per_beat << " NB=" << a.spx_buffers << " sink_hold=" << hold);
    images_checked += compare_with_ca(f, ca, a, imgs.count);
  }
  CHECK(images_checked >= 500);
}

TEST_CASE("fast model equals the cycle-accurate model on 50 random stacked configs x 20 images", "[fast][stacked]") {
  std::mt19937_64 rng(2028);
  size_t images_checked = 0, configs = 0, held = 0;
  while (configs < 50) {
    // Every third with the CNN front end ahead of the stack.
    ArchConfig a = configs % 3 == 2 ? random_cnn_arch(rng) : random_arch(rng);
    if (!add_random_layers(a, rng)) continue;
    const Model m = random_model(model_shape(a), rng());
    ImageSet imgs;
    imgs.rows = a.image_rows();
    imgs.cols = a.image_cols();
    imgs.count = 20;
    for (size_t i = 0; i < imgs.count * size_t(imgs.rows * imgs.cols); ++i) imgs.pixels.push_back(static_cast<uint8_t>(rng()));
    const uint64_t iv = timing(a).interval;
    const uint64_t hold = configs % 4 == 1 ? iv / 2 + rng() % (2 * iv) : 0;
    const FastRun f = run_fast(m, a, imgs, imgs.count, hold);
    held += hold > 0;
    const std::vector<int64_t> ca = simulate_in_child(m, a, imgs, hold);
    std::string layers;
    for (int l = 0; l < a.num_layers(); ++l) {
      const ArchConfig v = a.layer(l);
      layers += " [H=" + std::to_string(v.H) + " lanes=" + std::to_string(v.mvm_lanes) + " G=" + std::to_string(v.mvm_groups) +
                " E=" + std::to_string(v.ewu_lanes) + " NB=" + std::to_string(v.spx_buffers) + "]";
    }
    INFO("stacked config " << configs << ": I=" << a.I << " T=" << a.T << " c=" << a.c << " k=" << a.k
                           << " classes=" << a.classes << " fc=" << a.fc_lanes << " P=" << a.pixels_per_beat
                           << " cnn_in=" << a.cnn_in << " conv_lanes=" << a.conv_lanes << layers << " sink_hold=" << hold);
    images_checked += compare_with_ca(f, ca, a, imgs.count);
    ++configs;
  }
  CHECK(images_checked == 50 * 20);
  CHECK(held >= 10);
}
