// Catch2 runner for the cosimulation tests (SystemC provides main()).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>
#include <verilated.h>

#include "simulation.hpp"

int sc_main(int argc, char** argv) {
  accel::quiet_systemc();
  Verilated::commandArgs(argc, argv);
  return Catch::Session().run(argc, argv);
}
