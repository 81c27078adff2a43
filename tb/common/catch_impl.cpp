// Catch2's implementation, compiled once for every test executable (the
// slowest file of the test suite to compile: 17 s in Release, 40 s under
// ASan). Each executable brings its own main and runs Catch2 through
// catch_run(): tb/unit/main.cpp, and tb/common/sc_test_main.cpp for the
// SystemC ones.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "catch_run.hpp"

int catch_run(int argc, char** argv) { return Catch::Session().run(argc, argv); }
