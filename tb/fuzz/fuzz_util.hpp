// Shared by every fuzz target (tb/fuzz/CMakeLists.txt generates one .cpp per
// target that defines fuzz_one()). The parsers read files, so each input is
// written to a scratch file first: the fuzzers then exercise exactly the code
// a user's file goes through (gzopen, ifstream, the directory walk).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fuzz {

// Runs one input through the parser under test. Throwing lstm::formats::InputError is
// the parser rejecting bad input (fine); anything else escaping is a bug.
void fuzz_one(const std::string& text, const std::string& path);

// A per-process scratch directory (removed at exit).
const std::string& scratch_dir();

// Writes `text` to `path` (binary).
void write_file(const std::string& path, const std::string& text);

// load_model() on a small valid cnn-lstm model whose file `name` is replaced
// by `text`. For .mem/.coe files the manifest's checksum is updated so the
// parser of that file is reached.
void load_model_with(const std::string& name, const std::string& text);

// The memory files of the template model (W_i.mem, b_i.mem, ... without
// extension), so a selector byte can pick one.
const std::vector<std::string>& model_files();

}  // namespace fuzz
