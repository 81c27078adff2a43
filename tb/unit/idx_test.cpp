// The IDX reader: plain and gzipped files, and every way a file can be wrong.
#include <zlib.h>

#include <catch2/catch.hpp>

#include "formats/error.hpp"
#include "formats/idx.hpp"
#include "test_util.hpp"

using namespace lstm::formats;
using Catch::Matchers::Contains;

namespace {

ImageSet sample_images(size_t n = 3, int rows = 4, int cols = 5) {
  ImageSet s;
  s.count = n;
  s.rows = rows;
  s.cols = cols;
  for (size_t i = 0; i < n * rows * cols; ++i) s.pixels.push_back(static_cast<uint8_t>(i * 7));
  return s;
}

void gzip_file(const std::string& src, const std::string& dst) {
  const std::string data = testutil::slurp(src);
  gzFile gz = gzopen(dst.c_str(), "wb");
  REQUIRE(gz);
  REQUIRE(gzwrite(gz, data.data(), static_cast<unsigned>(data.size())) == int(data.size()));
  gzclose(gz);
}

std::string be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

template <typename F>
void expect_error(F&& f, const std::string& file, const std::string& msg) {
  try {
    f();
    FAIL("accepted a broken file; expected: " << msg);
  } catch (const InputError& e) {
    INFO("message: " << e.what());
    CHECK_THAT(e.what(), Contains(file));
    CHECK_THAT(e.what(), Contains(msg));
  }
}

}  // namespace

TEST_CASE("idx: plain and gzipped files read back", "[idx]") {
  testutil::TempDir tmp;
  const ImageSet s = sample_images();
  write_idx_images(tmp.file("img"), s);
  gzip_file(tmp.file("img"), tmp.file("img.gz"));
  for (const char* f : {"img", "img.gz"}) {
    const ImageSet r = read_idx_images(tmp.file(f));
    CHECK(r.count == 3);
    CHECK(r.rows == 4);
    CHECK(r.cols == 5);
    CHECK(r.pixels == s.pixels);
    const ImageSet first = read_idx_images(tmp.file(f), 2);
    CHECK(first.count == 2);
    CHECK(first.pixels == std::vector<uint8_t>(s.pixels.begin(), s.pixels.begin() + 40));
  }
  write_idx_labels(tmp.file("lab"), {1, 2, 9});
  gzip_file(tmp.file("lab"), tmp.file("lab.gz"));
  CHECK(read_idx_labels(tmp.file("lab")) == std::vector<uint8_t>{1, 2, 9});
  CHECK(read_idx_labels(tmp.file("lab.gz")) == std::vector<uint8_t>{1, 2, 9});
}

TEST_CASE("idx: the Fashion-MNIST test set", "[idx]") {
  const ImageSet s = read_idx_images(testutil::fmnist_dir() + "/t10k-images-idx3-ubyte.gz");
  CHECK(s.count == 10000);
  CHECK(s.rows == 28);
  CHECK(s.cols == 28);
  const auto l = read_idx_labels(testutil::fmnist_dir() + "/t10k-labels-idx1-ubyte.gz");
  REQUIRE(l.size() == 10000);
  CHECK(l[0] == 9);  // the first test item is an ankle boot
  CHECK(l[1] == 2);
}

TEST_CASE("idx: missing, empty and short files", "[idx]") {
  testutil::TempDir tmp;
  expect_error([&] { read_idx_images(tmp.file("nope")); }, "nope", "cannot open");
  testutil::spit(tmp.file("empty"), "");
  expect_error([&] { read_idx_images(tmp.file("empty")); }, "empty", "truncated header");
  testutil::spit(tmp.file("short"), be32(0x803) + be32(10));
  expect_error([&] { read_idx_images(tmp.file("short")); }, "short", "truncated header");
}

TEST_CASE("idx: wrong magic and wrong kind of file", "[idx]") {
  testutil::TempDir tmp;
  testutil::spit(tmp.file("junk"), "GIF89a....................");
  expect_error([&] { read_idx_images(tmp.file("junk")); }, "junk", "bad magic");
  write_idx_labels(tmp.file("lab"), {1, 2});
  expect_error([&] { read_idx_images(tmp.file("lab")); }, "lab", "has 1 dimensions, expected 3");
  write_idx_images(tmp.file("img"), sample_images());
  expect_error([&] { read_idx_labels(tmp.file("img")); }, "img", "has 3 dimensions, expected 1");
}

TEST_CASE("idx: zero and absurd dimensions", "[idx]") {
  testutil::TempDir tmp;
  testutil::spit(tmp.file("zero"), be32(0x803) + be32(1) + be32(0) + be32(28));
  expect_error([&] { read_idx_images(tmp.file("zero")); }, "zero", "dimension 'rows' is 0");
  // A 2 GB dimension with a few bytes behind it: rejected before allocating.
  testutil::spit(tmp.file("huge"), be32(0x803) + be32(0x7FFFFFFF) + be32(28) + be32(28) + "abc");
  expect_error([&] { read_idx_images(tmp.file("huge")); }, "huge", "more than this tool reads");
  testutil::spit(tmp.file("hugel"), be32(0x801) + be32(0xFFFFFFFF) + "abc");
  expect_error([&] { read_idx_labels(tmp.file("hugel")); }, "hugel", "is absurd");
  testutil::spit(tmp.file("bigl"), be32(0x801) + be32(0x70000000) + "abc");
  expect_error([&] { read_idx_labels(tmp.file("bigl")); }, "bigl", "truncated");
}

TEST_CASE("idx: truncated and trailing data", "[idx]") {
  testutil::TempDir tmp;
  write_idx_images(tmp.file("img"), sample_images());
  std::string data = testutil::slurp(tmp.file("img"));
  testutil::spit(tmp.file("cut"), data.substr(0, data.size() - 1));
  expect_error([&] { read_idx_images(tmp.file("cut")); }, "cut", "truncated");
  testutil::spit(tmp.file("long"), data + "x");
  expect_error([&] { read_idx_images(tmp.file("long")); }, "long", "trailing data");
}

TEST_CASE("idx: truncated and corrupt gzip", "[idx]") {
  testutil::TempDir tmp;
  write_idx_images(tmp.file("img"), sample_images(50, 28, 28));
  gzip_file(tmp.file("img"), tmp.file("img.gz"));
  const std::string gz = testutil::slurp(tmp.file("img.gz"));
  testutil::spit(tmp.file("cut.gz"), gz.substr(0, gz.size() / 2));
  expect_error([&] { read_idx_images(tmp.file("cut.gz")); }, "cut.gz", "");
  // Flip bits in the deflate stream: a CRC or data error.
  std::string bad = gz;
  for (size_t i = 20; i < bad.size() - 10; i += 7) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
  testutil::spit(tmp.file("bad.gz"), bad);
  expect_error([&] { read_idx_images(tmp.file("bad.gz")); }, "bad.gz", "");
  // A valid gzip header followed by garbage.
  testutil::spit(tmp.file("hdr.gz"), gz.substr(0, 10) + std::string(40, '\x7f'));
  expect_error([&] { read_idx_images(tmp.file("hdr.gz")); }, "hdr.gz", "");
}

TEST_CASE("IDX type 0x0B: Q2.13 input words, big-endian, read back equal, other readers refuse them", "[idx]") {
  testutil::TempDir dir;
  ImageSet s;
  s.count = 2, s.rows = 3, s.cols = 2, s.is_words = true;
  s.words = {-32768, -1, 0, 1, 8192, 32767, 100, -100, 4096, -4096, 12345, -12345};
  write_idx_images(dir.file("w.idx"), s);
  // The header and the first words as the SPEC writes them.
  const std::string raw = testutil::slurp(dir.file("w.idx"));
  REQUIRE(raw.size() == 16 + 2 * 12);
  CHECK(uint8_t(raw[2]) == 0x0B);
  CHECK(uint8_t(raw[16]) == 0x80);  // -32768 = 0x8000
  CHECK(uint8_t(raw[17]) == 0x00);
  CHECK(uint8_t(raw[18]) == 0xFF);  // -1 = 0xFFFF
  const ImageSet r = read_idx_images(dir.file("w.idx"), 0, true);
  CHECK(r.is_words);
  CHECK(r.words == s.words);
  CHECK(r.word_image(1)[0] == 100);
  CHECK_THROWS_WITH(read_idx_images(dir.file("w.idx")), Catch::Matchers::Contains("Q2.13 input words (IDX type 0x0B)"));
  // Truncated: the header promises 24 bytes of words.
  testutil::spit(dir.file("t.idx"), raw.substr(0, raw.size() - 3));
  CHECK_THROWS_WITH(read_idx_images(dir.file("t.idx"), 0, true), Catch::Matchers::Contains("truncated"));
}
