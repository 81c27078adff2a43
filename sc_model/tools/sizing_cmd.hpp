// lstmsim size / sweep / sweep-merge (docs/sizing.md). lstmsim.cpp registers
// them with add_sizing_commands() and runs them with dispatch().
#pragma once

#include <CLI/CLI.hpp>
#include <memory>

struct SizingCommands;

// Adds the three subcommands to `app`.
std::shared_ptr<SizingCommands> add_sizing_commands(CLI::App& app);
// If one of them was parsed, runs it, stores its exit status in *rc and
// returns true. InputError propagates (lstmsim exits 1 on it).
bool dispatch(const SizingCommands& c, int* rc);
