// lstm-arch: `lstmsim arch` alone, built at configure time (cmake/arch.cmake)
// from the pure C++ arch sources, so CMake derives nothing itself.
#include <cstdio>
#include <string>

#include "arch_cmd.hpp"
#include "formats/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"lstm-arch: RTL parameters and derived values of an architecture config"};
  ArchCmdOpts o;
  add_arch_options(app, o);
  // `lstm-arch arch ...` = `lstmsim arch ...`, so a script can call either.
  if (argc > 1 && std::string(argv[1]) == "arch") {
    argv[1] = argv[0];
    ++argv;
    --argc;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    return run_arch_command(o);
  } catch (const lstm::formats::InputError& e) {
    std::fprintf(stderr, "lstm-arch: error: %s\n", e.what());
    return 1;
  }
}
