// The unit tests' main.
#include "catch_run.hpp"

int main(int argc, char** argv) { return catch_run(argc, argv); }
