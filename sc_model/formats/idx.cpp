#include "formats/idx.hpp"

#include <zlib.h>

#include <fstream>
#include <initializer_list>
#include <memory>

#include "formats/error.hpp"

namespace lstm::formats {
namespace {

// Anything above this many bytes of pixel data is not an image set we can
// mean to simulate; it is almost certainly a corrupt header.
constexpr uint64_t kMaxBytes = uint64_t(1) << 31;

// Reads gzip or plain transparently (zlib passes plain files through).
class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path), gz_(gzopen(path.c_str(), "rb")) {
    if (!gz_) throw file_error(path, 0, "cannot open file");
    gzbuffer(gz_, 1 << 17);
  }
  ~Reader() { gzclose(gz_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Reads up to n bytes; returns how many were read. Throws on a corrupt or
  // truncated gzip stream.
  size_t read(uint8_t* dst, size_t n) {
    size_t got = 0;
    while (got < n) {
      const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - got, 1u << 30));
      const int r = gzread(gz_, dst + got, chunk);
      if (r < 0) throw gz_error();
      if (r == 0) {
        int err = 0;
        gzerror(gz_, &err);
        if (err != Z_OK && err != Z_STREAM_END) throw gz_error();
        break;
      }
      got += static_cast<size_t>(r);
    }
    return got;
  }

  uint32_t be32(const char* what) {
    uint8_t b[4];
    if (read(b, 4) != 4) throw file_error(path_, 0, std::string("truncated header (") + what + ")");
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
  }

  // Reads exactly n bytes, growing the buffer as data arrives so that a
  // header claiming gigabytes does not allocate them up front.
  void read_exact(std::vector<uint8_t>& out, uint64_t n, const std::string& what) {
    out.clear();
    const size_t step = 1 << 20;
    while (out.size() < n) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(step, n - out.size()));
      const size_t old = out.size();
      out.resize(old + want);
      const size_t got = read(out.data() + old, want);
      if (got < want)
        throw file_error(path_, 0, "truncated: header promises " + std::to_string(n) + " bytes of " + what +
                                       ", file holds " + std::to_string(old + got));
    }
  }

  bool at_end() {
    uint8_t b;
    return read(&b, 1) == 0;
  }

  const std::string& path() const { return path_; }

  // zlib's reason ("unexpected end of file", "invalid block type", ...)
  // without the "path: " prefix zlib puts in front of it.
  InputError gz_error() {
    int err = 0;
    const char* m = gzerror(gz_, &err);
    std::string msg = m ? m : "";
    if (msg.rfind(path_ + ": ", 0) == 0) msg = msg.substr(path_.size() + 2);
    return file_error(path_, 0, "corrupt or truncated gzip data" + (msg.empty() ? "" : ": " + msg));
  }

 private:
  std::string path_;
  gzFile gz_;
};

// Reads the magic; returns it when it is one of `want` (same dimension
// count, data types differ), else throws naming what was expected.
uint32_t check_magic(Reader& r, std::initializer_list<uint32_t> want, int dims, const char* what) {
  const uint32_t magic = r.be32("magic");
  for (uint32_t w : want)
    if (magic == w) return magic;
  char buf[160];
  snprintf(buf, sizeof buf, "bad magic 0x%08x, expected %s", magic, what);
  bool same_type = false;
  for (uint32_t w : want) same_type = same_type || (magic >> 8) == (w >> 8);
  if (same_type && static_cast<int>(magic & 0xFF) != dims)
    snprintf(buf, sizeof buf, "has %u dimensions, expected %d (%s)", magic & 0xFF, dims, what);
  throw file_error(r.path(), 0, buf);
}

uint32_t dim(Reader& r, const char* name) {
  const uint32_t d = r.be32(name);
  if (d == 0) throw file_error(r.path(), 0, std::string("dimension '") + name + "' is 0");
  if (d > kMaxBytes)
    throw file_error(r.path(), 0, std::string("dimension '") + name + "' = " + std::to_string(d) + " is absurd");
  return d;
}

}  // namespace

ImageSet read_idx_images(const std::string& path, size_t max_count, bool words_ok) {
  Reader r(path);
  ImageSet s;
  s.is_words = check_magic(r, {0x00000803, 0x00000B03}, 3,
                           "0x00000803 (IDX images of bytes) or 0x00000b03 (of Q2.13 words)") == 0x00000B03;
  if (s.is_words && !words_ok)
    throw file_error(path, 0, "holds Q2.13 input words (IDX type 0x0B); this reader takes byte images (type 0x08) "
                              "only (lstmsim and the TLM host take either)");
  const uint32_t n = dim(r, "count");
  s.rows = static_cast<int>(dim(r, "rows"));
  s.cols = static_cast<int>(dim(r, "cols"));
  const uint64_t per = uint64_t(s.rows) * uint64_t(s.cols), bytes = s.is_words ? 2 : 1;
  if (per > 1u << 20) throw file_error(path, 0, "image size " + std::to_string(s.rows) + "x" +
                                                    std::to_string(s.cols) + " is absurd");
  if (uint64_t(n) * per * bytes > kMaxBytes)
    throw file_error(path, 0, "header promises " + std::to_string(uint64_t(n) * per * bytes) +
                                  (s.is_words ? " bytes of Q2.13 words" : " bytes of pixels") +
                                  ", more than this tool reads (2 GiB)");
  s.count = max_count ? std::min<size_t>(n, max_count) : n;
  if (s.is_words) {
    std::vector<uint8_t> raw;
    r.read_exact(raw, uint64_t(s.count) * per * 2, "Q2.13 words");
    s.words.resize(raw.size() / 2);
    for (size_t i = 0; i < s.words.size(); ++i)  // big-endian two's complement
      s.words[i] = static_cast<int16_t>(uint16_t(raw[2 * i]) << 8 | raw[2 * i + 1]);
  } else {
    r.read_exact(s.pixels, uint64_t(s.count) * per, "pixels");
  }
  if (s.count == n && !r.at_end()) throw file_error(path, 0, "trailing data after the last image");
  return s;
}

std::vector<uint8_t> read_idx_labels(const std::string& path, size_t max_count) {
  Reader r(path);
  check_magic(r, {0x00000801}, 1, "0x00000801 (IDX labels)");
  const uint32_t n = dim(r, "count");
  const size_t count = max_count ? std::min<size_t>(n, max_count) : n;
  std::vector<uint8_t> labels;
  r.read_exact(labels, count, "labels");
  if (count == n && !r.at_end()) throw file_error(path, 0, "trailing data after the last label");
  return labels;
}

namespace {
void put_be32(std::ofstream& f, uint32_t v) {
  const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  f.write(b, 4);
}
}  // namespace

void write_idx_images(const std::string& path, const ImageSet& s) {
  std::ofstream f(path, std::ios::binary);
  if (!f) throw file_error(path, 0, "cannot write file");
  put_be32(f, s.is_words ? 0x00000B03 : 0x00000803);
  put_be32(f, static_cast<uint32_t>(s.count));
  put_be32(f, static_cast<uint32_t>(s.rows));
  put_be32(f, static_cast<uint32_t>(s.cols));
  if (s.is_words) {
    for (int16_t w : s.words) {
      const char b[2] = {char(uint16_t(w) >> 8), char(uint16_t(w) & 0xFF)};
      f.write(b, 2);
    }
  } else {
    f.write(reinterpret_cast<const char*>(s.pixels.data()), static_cast<std::streamsize>(s.pixels.size()));
  }
}

void write_idx_labels(const std::string& path, const std::vector<uint8_t>& labels) {
  std::ofstream f(path, std::ios::binary);
  if (!f) throw file_error(path, 0, "cannot write file");
  put_be32(f, 0x00000801);
  put_be32(f, static_cast<uint32_t>(labels.size()));
  f.write(reinterpret_cast<const char*>(labels.data()), static_cast<std::streamsize>(labels.size()));
}

}  // namespace lstm::formats
