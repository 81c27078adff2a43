// libFuzzer entry point (and the replay driver's per-input call): writes the
// input to a scratch file and runs the target's parser on it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.hpp"
#include "formats/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string path = fuzz::scratch_dir() + "/input";
  fuzz::write_file(path, text);
  try {
    fuzz::fuzz_one(text, path);
  } catch (const lstm::formats::InputError&) {
    // Rejected with a message: the intended outcome for bad input.
  }
  return 0;
}
