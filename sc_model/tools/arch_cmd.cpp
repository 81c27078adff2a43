#include "arch_cmd.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arch/arch.hpp"
#include "arch/derived.hpp"
#include "arch/sample.hpp"
#include "formats/error.hpp"

void add_arch_options(CLI::App& cmd, ArchCmdOpts& o) {
  cmd.add_option("config", o.arch, "architecture config JSON");
  cmd.add_flag("--json", o.json, "print JSON: name, top, rtl_params, verilator_params, derived");
  cmd.add_option("--headers", o.headers, "write the RTL's derived-parameter headers (<module>.vh) into DIR");
  cmd.add_option("--params", o.params,
                 "a block's RTL parameters NAME=VALUE...: print NAME=VALUE of every value they derive");
  cmd.add_option("--sample", o.sample_seed,
                 "write --count configs sampled with this seed (valid, biased to the edges of the space) into --out "
                 "DIR as sampled<i>.json (and sampled<i>.layer.json: layer i mod L as a one-layer config, for the "
                 "block cosims, with that layer's WORDS_IN and STREAM in sampled<i>.layer_flags.json), and print "
                 "the config features they cover")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--count", o.count, "with --sample: how many configs")->check(CLI::Range(1, 100000));
  cmd.add_option("--out", o.out, "with --sample: the directory for the configs (none: coverage only)");
  cmd.add_flag("--check", o.check, "with --headers: exit 1 if a header in DIR differs from the generated one");
}

namespace {

int headers(const ArchCmdOpts& o) {
  int stale = 0;
  for (const lstm::arch::RtlModuleDerived& m : lstm::arch::rtl_module_derived()) {
    const std::string path = o.headers + "/" + m.module + ".vh", text = lstm::arch::verilog_header(m);
    if (o.check) {
      std::ifstream f(path);
      std::stringstream have;
      have << f.rdbuf();
      if (!f || have.str() != text) {
        std::fprintf(stderr, "lstmsim: %s is %s (regenerate: lstmsim arch --headers %s)\n", path.c_str(),
                     f ? "stale" : "missing", o.headers.c_str());
        ++stale;
      }
      continue;
    }
    std::ofstream f(path);
    if (!(f << text)) throw lstm::formats::file_error(path, 0, "cannot write");
  }
  if (o.check && stale) return 1;
  if (!o.check) std::printf("wrote %zu headers to %s\n", lstm::arch::rtl_module_derived().size(), o.headers.c_str());
  return 0;
}

// A block's parameter set, not a whole config (the block cosims): every
// rule whose inputs are given, one NAME=VALUE per line.
int block_params(const ArchCmdOpts& o) {
  lstm::arch::ParamEnv given;
  for (const std::string& p : o.params) {
    const size_t eq = p.find('=');
    long long v = 0;
    size_t used = 0;
    try {
      if (eq == std::string::npos) throw std::invalid_argument(p);
      v = std::stoll(p.substr(eq + 1), &used);
    } catch (const std::exception&) {
      used = std::string::npos;
    }
    if (eq == std::string::npos || used != p.size() - eq - 1)
      throw lstm::formats::InputError("arch --params: '" + p + "' is not NAME=INTEGER");
    given[p.substr(0, eq)] = v;
  }
  lstm::arch::ParamEnv env;
  try {
    env = lstm::arch::derive_partial(given);
  } catch (const std::invalid_argument& e) {
    throw lstm::formats::InputError(std::string("arch --params: ") + e.what());
  }
  for (const lstm::arch::DerivedRule& r : lstm::arch::derived_rules())
    if (env.count(r.name)) std::printf("%s=%lld\n", r.name, static_cast<long long>(env.at(r.name)));
  return 0;
}

// Sampled configs (the sampled-config cosims) and the table of what they
// cover: one line per feature, "<configs with it>/<configs>  <feature>".
int sample(const ArchCmdOpts& o) {
  std::vector<lstm::arch::ArchConfig> configs;
  if (!o.out.empty()) std::filesystem::create_directories(o.out);
  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream f(path);
    if (!(f << text)) throw lstm::formats::file_error(path, 0, "cannot write");
  };
  for (int i = 0; i < o.count; ++i) {
    configs.push_back(lstm::arch::sample_config(static_cast<uint64_t>(o.sample_seed), i));
    if (o.out.empty()) continue;
    const std::string stem = o.out + "/sampled" + std::to_string(i);
    const lstm::arch::ArchConfig& a = configs.back();
    write(stem + ".json", lstm::arch::arch_json_text(a));
    write(stem + ".layer.json", lstm::arch::arch_json_text(lstm::arch::sampled_view(a, i)));  // the block cosims' layer
    // What that layer's S-P-X and S-P-H do in the stack (the view, a config
    // of its own, cannot say): their WORDS_IN and STREAM parameters.
    const lstm::arch::ArchConfig v = a.layer(lstm::arch::sampled_layer(a, i));
    write(stem + ".layer_flags.json",
          nlohmann::json{{"WORDS_IN", int(v.input_words)}, {"STREAM", int(v.stream_h)}}.dump() + "\n");
  }
  std::printf("config features of %d configs sampled with seed %lld:\n", o.count, o.sample_seed);
  for (const auto& [feature, n] : lstm::arch::sample_coverage(configs)) std::printf("%5d/%-5d %s\n", n, o.count, feature.c_str());
  return 0;
}

}  // namespace

int run_arch_command(const ArchCmdOpts& o) {
  if (!o.headers.empty()) return headers(o);
  if (!o.params.empty()) return block_params(o);
  if (o.sample_seed >= 0) return sample(o);
  if (o.arch.empty()) throw lstm::formats::InputError("arch: give a config JSON (or --headers DIR)");
  const lstm::arch::ArchConfig a = lstm::arch::load_arch(o.arch);
  const auto j = lstm::arch::describe(a);
  if (o.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%s: top %s\n  %s\n", a.name.c_str(), j["top"].get<std::string>().c_str(),
              j["verilator_params"].get<std::string>().c_str());
  const auto env = lstm::arch::derive(a);
  for (const lstm::arch::DerivedRule& r : lstm::arch::derived_rules())
    std::printf("  %-15s %8lld  %s = %s\n", r.name, static_cast<long long>(env.at(r.name)), r.what, r.expr);
  return 0;
}
