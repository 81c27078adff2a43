// Shared helpers for the tests: paths of the repo and the dataset, and a
// temporary directory that removes itself.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "formats/idx.hpp"

namespace testutil {

inline std::string repo_dir() { return LSTM_REPO_DIR; }
inline std::string fmnist_dir() { return LSTM_FMNIST_DIR; }
inline std::string model_dir(const std::string& name) { return repo_dir() + "/weights/" + name; }

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("lstm_test_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline void spit(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// `count` random sequences of T x I Q2.13 words over the whole range, runs
// of the extremes included (SPEC Part A, "Input words").
inline lstm::formats::ImageSet random_words(int rows, int cols, size_t count, uint64_t seed) {
  lstm::formats::ImageSet s;
  s.rows = rows, s.cols = cols, s.count = count, s.is_words = true;
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < count * size_t(rows) * size_t(cols); ++i) {
    const int mode = int(rng() % 8);
    s.words.push_back(mode == 0 ? -32768 : mode == 1 ? 32767 : int16_t(rng() >> 48));
  }
  return s;
}

}  // namespace testutil
