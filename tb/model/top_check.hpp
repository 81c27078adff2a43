// Shared by the top tests (lstm_accel_test.cpp, cnn_lstm_accel_test.cpp):
// run images through the SystemC top and check classes and logits against
// the bit-exact reference and every image's cycles against lstm::arch::schedule.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <string>

#include "arch/arch.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/reference.hpp"
#include "arch/timing.hpp"
#include "simulation.hpp"
#include "test_util.hpp"

namespace topcheck {

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::numerics;

inline std::vector<size_t> first_n(size_t n) {
  std::vector<size_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

inline ImageSet test_images(size_t n) { return read_idx_images(testutil::fmnist_dir() + "/t10k-images-idx3-ubyte.gz", n); }

inline ArchConfig config(const std::string& name) { return load_arch(testutil::repo_dir() + "/sc_model/configs/" + name + ".json"); }

// Runs the images and checks results against the reference and, when
// `check_cycles`, every image's latency and interval against the schedule.
inline void run_and_check(const Model& m, const ArchConfig& a, const ImageSet& imgs, bool check_cycles,
                   const accel::SimOptions& opt = {}) {
  const auto order = first_n(imgs.count);
  const accel::SimReport rep = accel::simulate(m, a, imgs, order, opt);
  REQUIRE(rep.error.empty());
  REQUIRE(rep.results.size() == imgs.count);
  size_t cls_bad = 0, logit_bad = 0;
  for (size_t n = 0; n < imgs.count; ++n) {
    const Inference ref = infer(m, imgs, n);
    cls_bad += rep.results[n].cls != ref.cls;
    logit_bad += rep.results[n].logits != ref.logits;
  }
  CHECK(cls_bad == 0);
  CHECK(logit_bad == 0);
  if (!check_cycles) return;
  const Schedule s = schedule(a, imgs.count);
  size_t cyc_bad = 0;
  for (size_t n = 0; n < imgs.count; ++n) {
    const uint64_t lat = rep.results[n].cycle - rep.first_beat[n];
    const uint64_t lat_f = s.result[n] - s.first_beat[n];
    if (lat != lat_f && cyc_bad++ == 0) UNSCOPED_INFO("image " << n << ": latency " << lat << ", schedule " << lat_f);
    if (n > 0) {
      const uint64_t iv = rep.results[n].cycle - rep.results[n - 1].cycle;
      const uint64_t iv_f = s.result[n] - s.result[n - 1];
      if (iv != iv_f && cyc_bad++ == 0) UNSCOPED_INFO("image " << n << ": interval " << iv << ", schedule " << iv_f);
    }
  }
  CHECK(cyc_bad == 0);
  const Timing t = timing(a);
  const uint64_t steady = rep.results[imgs.count - 1].cycle - rep.results[imgs.count - 2].cycle;
  CHECK(steady == t.interval);
  CHECK(rep.results[0].cycle - rep.first_beat[0] == t.latency);
}

// The VCD variables as "scope.name" (scope: the innermost module).
inline std::set<std::string> vcd_vars(const std::string& path) {
  std::ifstream f(path);
  std::set<std::string> vars;
  std::vector<std::string> scope;
  std::string tok;
  while (f >> tok) {
    if (tok == "$scope") {
      std::string kind, name;
      f >> kind >> name;
      scope.push_back(name);
    } else if (tok == "$upscope") {
      if (!scope.empty()) scope.pop_back();
    } else if (tok == "$var") {
      std::string kind, width, id, name;
      f >> kind >> width >> id >> name;
      vars.insert((scope.empty() ? "" : scope.back()) + "." + name);
    } else if (tok == "$enddefinitions") {
      break;
    }
  }
  return vars;
}

}  // namespace topcheck
