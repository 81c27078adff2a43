// IDX files (MNIST / Fashion-MNIST), gzipped or plain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lstm::formats {

struct ImageSet {
  size_t count = 0;
  int rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols, row-major per image
  const uint8_t* image(size_t n) const { return pixels.data() + n * rows * cols; }
};

// Throw InputError naming the file on a bad magic, wrong number of
// dimensions, zero or absurd dimensions, truncation, trailing data or a
// corrupt gzip stream. `max_count` (0 = all) stops reading after that many
// items, so a sample of a large file costs little.
ImageSet read_idx_images(const std::string& path, size_t max_count = 0);
std::vector<uint8_t> read_idx_labels(const std::string& path, size_t max_count = 0);

// Writes plain (uncompressed) IDX files; used by tests and tools.
void write_idx_images(const std::string& path, const ImageSet& images);
void write_idx_labels(const std::string& path, const std::vector<uint8_t>& labels);

}  // namespace lstm::formats
