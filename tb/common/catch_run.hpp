// Runs Catch2's session on the command line (tb/common/catch_impl.cpp:
// Catch2's implementation is compiled there, once).
#pragma once

int catch_run(int argc, char** argv);
