// Catch2 runner for the TLM tests. libsystemc provides main() and calls
// sc_main. SystemC allows one elaboration per process, so each TEST_CASE is
// its own ctest entry (catch_discover_tests) and runs in its own process.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

#include "simulation.hpp"

int sc_main(int argc, char** argv) {
  accel::quiet_systemc();
  return Catch::Session().run(argc, argv);
}
