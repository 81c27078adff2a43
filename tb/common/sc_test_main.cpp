// Catch2 runner for every SystemC test executable (model, netlist, TLM and
// each cosim variant). libsystemc calls sc_main. SystemC allows one
// elaboration per process, so each TEST_CASE is its own ctest entry
// (catch_discover_tests) and runs in its own process. Compiled once
// (library sc_test_main; Catch2's implementation: catch_impl.cpp).
#include <cstdlib>
#include <systemc>

#include "catch_run.hpp"
#include "simulation.hpp"

int sc_main(int argc, char** argv) {
  accel::quiet_systemc();
  return catch_run(argc, argv);
}

// Our own main, so SystemC's banner is off before the kernel starts.
int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
