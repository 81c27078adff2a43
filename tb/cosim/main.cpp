// Catch2 runner for the cosimulation tests (SystemC provides main()).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdlib>
#include <systemc>
#include <verilated.h>

#include "simulation.hpp"

int sc_main(int argc, char** argv) {
  accel::quiet_systemc();
  Verilated::commandArgs(argc, argv);
  return Catch::Session().run(argc, argv);
}

// Our own main, so SystemC's banner is off before the kernel starts.
int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
