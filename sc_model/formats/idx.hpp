// IDX files (MNIST / Fashion-MNIST), gzipped or plain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lstm::formats {

// Input sequences: count items of rows (steps) x cols (inputs), either
// pixels (IDX type 0x08) or Q2.13 words (type 0x0B; SPEC Part A "Input
// words"), row-major per item.
struct ImageSet {
  size_t count = 0;
  int rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // type 0x08
  std::vector<int16_t> words;   // type 0x0B
  bool is_words = false;
  const uint8_t* image(size_t n) const { return pixels.data() + n * rows * cols; }
  const int16_t* word_image(size_t n) const { return words.data() + n * rows * cols; }
};

// Throw InputError naming the file on a bad magic, wrong number of
// dimensions, zero or absurd dimensions, truncation, trailing data or a
// corrupt gzip stream. `max_count` (0 = all) stops reading after that many
// items, so a sample of a large file costs little.
// Pixels only (type 0x08; lstmbench); a file of words (0x0B) is refused
// with a message (`words_ok` = true, every other reader: read either).
ImageSet read_idx_images(const std::string& path, size_t max_count = 0, bool words_ok = false);
std::vector<uint8_t> read_idx_labels(const std::string& path, size_t max_count = 0);

// Writes plain (uncompressed) IDX files, type 0x08 or 0x0B (is_words); used
// by tests and tools.
void write_idx_images(const std::string& path, const ImageSet& images);
void write_idx_labels(const std::string& path, const std::vector<uint8_t>& labels);

}  // namespace lstm::formats
