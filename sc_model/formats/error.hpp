#pragma once
#include <stdexcept>
#include <string>

namespace lstm::formats {

// A problem with something the user gave us (file, flag, config). The message
// names the file (and line where there is one). lstmsim exits 1 on it.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

// "file:line: message" (line 0 = the file as a whole).
inline InputError file_error(const std::string& file, size_t line, const std::string& msg) {
  return InputError(line ? file + ":" + std::to_string(line) + ": " + msg : file + ": " + msg);
}

}  // namespace lstm::formats
