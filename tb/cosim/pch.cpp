// The donor of the cosimulations' precompiled headers (CMakeLists.txt:
// cosim_pch); it compiles nothing of its own.
