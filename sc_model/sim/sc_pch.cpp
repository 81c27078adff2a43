// The donor of the SystemC targets' precompiled headers (sc_model/
// CMakeLists.txt: sc_pch); it compiles nothing of its own.
