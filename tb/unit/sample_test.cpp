// The config sampler (arch/sample.hpp; docs/rtl.md, "Sampled configs"):
// every config valid and reproducible, its file reading back the same,
// its block-cosim layer a valid one-layer config, the edge targets met and
// the coverage table counting what the configs have.
#include <catch2/catch.hpp>

#include "arch/arch.hpp"
#include "arch/sample.hpp"
#include "test_util.hpp"

using namespace lstm::arch;

TEST_CASE("sampled configs are valid, reproducible, and read back from their files", "[sample]") {
  testutil::TempDir tmp;
  for (uint64_t seed : {1u, 2u, 77u}) {
    for (int i = 0; i < 40; ++i) {
      const ArchConfig a = sample_config(seed, i);
      INFO("seed " << seed << " index " << i);
      CHECK_NOTHROW(validate_arch(a, a.name));
      CHECK(a.name == "sampled-" + std::to_string(seed) + "-" + std::to_string(i));
      const std::string text = arch_json_text(a);
      CHECK(arch_json_text(sample_config(seed, i)) == text);
      const std::string path = tmp.file("c.json");
      testutil::spit(path, text);
      CHECK(arch_json_text(load_arch(path)) == text);
      const ArchConfig v = sampled_view(a, i);
      CHECK(v.num_layers() == 1);
      CHECK_NOTHROW(validate_arch(v, v.name));
      const ArchConfig l = a.layer(sampled_layer(a, i));
      CHECK(v.I == l.I);
      CHECK(v.H == l.H);
      CHECK(v.mvm_lanes == l.mvm_lanes);
      CHECK(v.ewu_lanes == l.ewu_lanes);
      CHECK(v.pixels_per_beat == l.pixels_per_beat);
    }
  }
  CHECK(arch_json_text(sample_config(1, 0)) != arch_json_text(sample_config(2, 0)));
}

TEST_CASE("sampled configs meet their edge targets and the coverage table counts them", "[sample]") {
  std::vector<ArchConfig> configs;
  for (int i = 0; i < 24; ++i) configs.push_back(sample_config(31, i));
  for (int i : {0, 12}) {  // target 0: S >= 3 at the tested layer
    const ArchConfig& a = configs[size_t(i)];
    CHECK(a.layer(sampled_layer(a, i)).derived("S") >= 3);
  }
  CHECK((configs[2].has_cnn() && sampled_layer(configs[2], 2) == 0));
  CHECK(sampled_layer(configs[3], 3) > 0);  // a stacked layer's words in
  CHECK(configs[5].T == 1);
  CHECK((configs[7].c == 16 && configs[7].k == 16));
  CHECK(configs[8].num_layers() == 3);
  CHECK((configs[9].has_cnn() && configs[9].input_words));  // Conv1d reads Q2.13 words
  int s3 = 0, stacked3 = 0, t1 = 0;
  for (size_t i = 0; i < configs.size(); ++i) {
    s3 += configs[i].layer(sampled_layer(configs[i], int(i))).derived("S") >= 3;
    stacked3 += configs[i].num_layers() == 3;
    t1 += configs[i].T == 1;
  }
  const auto cov = sample_coverage(configs);
  auto count = [&](const std::string& f) {
    for (const auto& [name, n] : cov)
      if (name == f) return n;
    FAIL("no feature " << f);
    return -1;
  };
  CHECK(count("S >= 3") == s3);
  CHECK(count("3 layers") == stacked3);
  CHECK(count("T = 1") == t1);
  CHECK(s3 >= 2);
}
