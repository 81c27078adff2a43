// lstmsim arch (docs/rtl.md, "Derived parameters"): a config's RTL
// parameters and every derived value (text, or --json for CMake and the
// scripts), --headers DIR: the generated rtl/derived/<module>.vh, and
// --params NAME=VALUE...: what a block's parameter set derives (the cosims),
// --sample SEED: sampled valid configs and their feature coverage.
// Also built alone at configure time as lstm-arch (cmake/arch.cmake), so
// CMake can ask before anything else is built.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

struct ArchCmdOpts {
  std::string arch;     // config JSON
  bool json = false;
  std::string headers;  // write the RTL headers into this directory
  bool check = false;   // with --headers: compare instead of writing
  std::vector<std::string> params;  // NAME=VALUE: a block's parameter set instead of a config
  // --sample SEED: write `count` sampled configs into `out` (arch/sample.hpp)
  // and print what they cover.
  long long sample_seed = -1;
  int count = 8;
  std::string out;
};

// Adds the options to `cmd` (the `arch` subcommand, or lstm-arch's app).
void add_arch_options(CLI::App& cmd, ArchCmdOpts& o);
// Runs it; InputError propagates (exit 1).
int run_arch_command(const ArchCmdOpts& o);
