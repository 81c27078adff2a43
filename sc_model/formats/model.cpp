#include "formats/model.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "formats/error.hpp"
#include "formats/json_strict.hpp"
#include "numerics/numerics.hpp"

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace lstm::formats {

const char* const kGateNames[kGates] = {"i", "f", "g", "o"};

std::string kind_name(ModelKind k) { return k == ModelKind::Lstm ? "lstm" : "cnn-lstm"; }

int idx_bits(int c) {
  int b = 1;
  while ((1 << b) < c) ++b;
  return b;
}

namespace {

constexpr const char* kManifest = "manifest.json";
constexpr int kMaxDim = 1 << 16;  // far above any FPGA design; stops absurd allocations

// The formats this loader implements (docs/formats.md).
const std::vector<std::pair<std::string, std::string>> kFormats = {
    {"data", "Q2.13"},      {"bias", "Q2.13"},        {"lstm_weight", "log4"},
    {"fc_weight", "int4"},  {"conv_weight", "Q2.13"}, {"entry", "idx:code"}};

// One memory file of a model: either a sparse matrix or a vector of words.
struct MemFile {
  std::string name;         // without extension
  SparseMatrix* sparse;     // null for word vectors
  std::vector<int16_t>* words;
  size_t word_count;        // for word vectors
};

// Layer l's files: version 1 (one layer) unprefixed, version 2 "l<l+1>_".
std::string layer_prefix(const Model& m, int l) {
  return m.num_layers() == 1 ? "" : "l" + std::to_string(l + 1) + "_";
}

std::vector<MemFile> mem_files(Model& m) {
  std::vector<MemFile> out;
  for (int l = 0; l < m.num_layers(); ++l) {
    LstmLayer& L = m.layers[l];
    const std::string p = layer_prefix(m, l);
    for (int g = 0; g < kGates; ++g) out.push_back({p + "W_" + kGateNames[g], &L.W[g], nullptr, 0});
    for (int g = 0; g < kGates; ++g) out.push_back({p + "U_" + kGateNames[g], &L.U[g], nullptr, 0});
    for (int g = 0; g < kGates; ++g)
      out.push_back({p + "b_" + kGateNames[g], nullptr, &L.b[g], static_cast<size_t>(L.H)});
  }
  out.push_back({"W_fc", &m.W_fc, nullptr, 0});
  out.push_back({"b_fc", nullptr, &m.b_fc, static_cast<size_t>(m.classes)});
  if (m.has_cnn()) {
    out.push_back({"conv_w", nullptr, &m.conv_w,
                   static_cast<size_t>(m.conv_out) * m.I * m.conv_kernel});
    out.push_back({"conv_b", nullptr, &m.conv_b, static_cast<size_t>(m.conv_out)});
  }
  return out;
}

// Sets each sparse matrix's shape from the model's dimensions.
void shape_matrices(Model& m) {
  auto shape = [&](SparseMatrix& s, int rows, int cols, WeightCode kind) {
    s.rows = rows;
    s.cols = cols;
    s.c = m.c;
    s.k = m.k;
    s.kind = kind;
  };
  for (int l = 0; l < m.num_layers(); ++l)
    for (int g = 0; g < kGates; ++g) {
      LstmLayer& L = m.layers[l];
      shape(L.W[g], L.H, m.layer_in(l), WeightCode::Log4);
      shape(L.U[g], L.H, L.H, WeightCode::Log4);
    }
  shape(m.W_fc, m.classes, m.hidden(), WeightCode::Int4);
}

int sparse_digits(int c) { return (idx_bits(c) + 4 + 3) / 4; }

std::string hex(unsigned v, int digits) {
  static const char* d = "0123456789abcdef";
  std::string s(digits, '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) s[i] = d[v & 0xF];
  return s;
}

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw file_error(path, 0, "cannot open file");
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Splits text into lines (dropping one trailing '\r' per line and the empty
// tail after a final '\n').
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    pos = nl + 1;
  }
  return lines;
}

int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

// Parses a hex token; throws naming file:line on a bad digit.
unsigned parse_hex(const std::string& tok, const std::string& file, size_t line) {
  if (tok.empty()) throw file_error(file, line, "empty value");
  if (tok.size() > 8) throw file_error(file, line, "value '" + tok + "' too long");
  unsigned v = 0;
  for (char ch : tok) {
    int d = hex_digit(ch);
    if (d < 0) throw file_error(file, line, std::string("bad hex digit '") + ch + "' in '" + tok + "'");
    v = v * 16 + static_cast<unsigned>(d);
  }
  return v;
}

// Reads a .mem file of exactly `count` entries of `digits` hex digits.
std::vector<unsigned> read_mem(const std::string& path, size_t count, int digits) {
  const auto lines = split_lines(read_text(path));
  std::vector<unsigned> vals;
  vals.reserve(std::min(count, lines.size()));  // count comes from the manifest: do not trust it
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string& l = lines[n];
    if (vals.size() == count)
      throw file_error(path, n + 1, "extra entry: expected " + std::to_string(count) + " entries");
    if (l.size() != static_cast<size_t>(digits))
      throw file_error(path, n + 1, "expected " + std::to_string(digits) + " hex digits, got '" + l + "'");
    vals.push_back(parse_hex(l, path, n + 1));
  }
  if (vals.size() != count)
    throw file_error(path, 0, "has " + std::to_string(vals.size()) + " entries, expected " +
                                  std::to_string(count));
  return vals;
}

// Reads a .coe file and checks it holds exactly `expect`.
void check_coe(const std::string& path, const std::vector<unsigned>& expect) {
  const auto lines = split_lines(read_text(path));
  bool radix = false, vector = false, ended = false;
  size_t n_val = 0;
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string l;
    for (char ch : lines[n])
      if (!std::isspace(static_cast<unsigned char>(ch))) l += ch;
    if (l.empty() || l[0] == ';') continue;
    if (ended) throw file_error(path, n + 1, "text after the closing ';'");
    if (!vector) {
      if (l == "memory_initialization_radix=16;") { radix = true; continue; }
      if (l.rfind("memory_initialization_radix=", 0) == 0)
        throw file_error(path, n + 1, "only memory_initialization_radix=16 is supported");
      if (l.rfind("memory_initialization_vector=", 0) == 0) {
        if (!radix) throw file_error(path, n + 1, "memory_initialization_vector before the radix");
        vector = true;
        l = l.substr(std::string("memory_initialization_vector=").size());
        if (l.empty()) continue;
      } else {
        throw file_error(path, n + 1, "unexpected line '" + lines[n] + "'");
      }
    }
    // Values separated by ',' and ended by ';'.
    size_t pos = 0;
    while (pos < l.size() && !ended) {
      size_t end = l.find_first_of(",;", pos);
      std::string tok = l.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      if (end != std::string::npos && l[end] == ';') ended = true;
      if (!tok.empty()) {
        unsigned v = parse_hex(tok, path, n + 1);
        if (n_val >= expect.size())
          throw file_error(path, n + 1, "more values than the .mem file (" +
                                            std::to_string(expect.size()) + ")");
        if (v != expect[n_val])
          throw file_error(path, n + 1, "value " + tok + " differs from the .mem file's entry " +
                                            std::to_string(n_val) + " (" + hex(expect[n_val], 4) + ")");
        ++n_val;
      } else if (end != std::string::npos && l[end] == ',') {
        throw file_error(path, n + 1, "empty value");
      }
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    if (ended && pos < l.size())
      throw file_error(path, n + 1, "text after the closing ';'");
  }
  if (!vector) throw file_error(path, 0, "no memory_initialization_vector");
  if (!ended) throw file_error(path, 0, "vector not closed by ';'");
  if (n_val != expect.size())
    throw file_error(path, 0, "has " + std::to_string(n_val) + " values, the .mem file " +
                                  std::to_string(expect.size()));
}

void decode_sparse(const std::vector<unsigned>& vals, SparseMatrix& s, const std::string& path) {
  const int ib = idx_bits(s.c);
  const size_t n = vals.size();
  s.code.assign(n, 0);
  s.idx.assign(n, 0);
  for (size_t e = 0; e < n; ++e) {
    const size_t line = e + 1;
    const unsigned v = vals[e];
    if (v >> (ib + 4))
      throw file_error(path, line, "value " + hex(v, 2) + " has bits above the " +
                                       std::to_string(ib) + "-bit idx field");
    const unsigned idx = v >> 4;
    if (idx >= static_cast<unsigned>(s.c))
      throw file_error(path, line, "idx " + std::to_string(idx) + " out of range 0.." +
                                       std::to_string(s.c - 1));
    const size_t in_group = e % s.k;
    if (in_group > 0) {
      const unsigned prev = s.idx[e - 1];
      if (idx == prev) throw file_error(path, line, "repeated idx " + std::to_string(idx) + " in a group");
      if (idx < prev)
        throw file_error(path, line, "idx " + std::to_string(idx) + " not ascending in its group (after " +
                                         std::to_string(prev) + ")");
    }
    s.code[e] = static_cast<uint8_t>(v & 0xF);
    s.idx[e] = static_cast<uint8_t>(idx);
  }
}

int get_int(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw file_error(where, 0, std::string("missing field '") + key + "'");
  const json& v = j.at(key);
  if (!v.is_number_integer()) throw file_error(where, 0, std::string("field '") + key + "' is not an integer");
  const int64_t x = v.get<int64_t>();
  if (x <= 0 || x > kMaxDim)
    throw file_error(where, 0, std::string("field '") + key + "' = " + std::to_string(x) +
                                   " out of range 1.." + std::to_string(kMaxDim));
  return static_cast<int>(x);
}

void reject_unknown(const json& j, const std::set<std::string>& known, const std::string& where,
                    const std::string& ctx) {
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key())) throw file_error(where, 0, "unknown field '" + ctx + it.key() + "'");
}

bool plain_name(const std::string& n) {
  return !n.empty() && n.find('/') == std::string::npos && n.find('\\') == std::string::npos &&
         n != "." && n != ".." && n != kManifest;
}

}  // namespace

std::string sha256_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw file_error(path, 0, "cannot open file");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buf[1 << 16];
  while (f) {
    f.read(buf, sizeof buf);
    EVP_DigestUpdate(ctx, buf, static_cast<size_t>(f.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::string s;
  for (unsigned i = 0; i < len; ++i) s += hex(md[i], 2);
  return s;
}

void validate_dims(const Model& m, const std::string& where) {
  auto fail = [&](const std::string& msg) { throw file_error(where, 0, msg); };
  if (m.c < 1 || m.c > 16) fail("c = " + std::to_string(m.c) + " out of range 1..16");
  if (m.k < 1 || m.k > m.c)
    fail("k = " + std::to_string(m.k) + " must be in 1..c (c = " + std::to_string(m.c) + ")");
  if (m.I % m.c && !m.has_cnn())
    fail("I = " + std::to_string(m.I) + " is not a multiple of c = " + std::to_string(m.c));
  if (m.layers.empty()) fail("a model needs at least one LSTM layer");
  if (m.num_layers() > kMaxLayers)
    fail(std::to_string(m.num_layers()) + " LSTM layers; at most " + std::to_string(kMaxLayers) + " are supported");
  for (int l = 0; l < m.num_layers(); ++l) {
    const int H = m.layers[l].H;
    const std::string name = m.num_layers() == 1 ? "H" : "H[" + std::to_string(l) + "]";
    if (H < 1 || H > kMaxDim) fail(name + " = " + std::to_string(H) + " out of range 1.." + std::to_string(kMaxDim));
    if (H % m.c) fail(name + " = " + std::to_string(H) + " is not a multiple of c = " + std::to_string(m.c));
  }
  if (m.classes > m.hidden() * 64) fail("classes = " + std::to_string(m.classes) + " is implausible");
  if (m.has_cnn()) {
    if (m.conv_out % m.c)
      fail("cnn.out_channels = " + std::to_string(m.conv_out) + " is not a multiple of c = " +
           std::to_string(m.c));
    if (m.conv_kernel != 3) fail("cnn.kernel must be 3");
    if (m.pool != 2) fail("cnn.pool must be 2");
    if (m.T % 2) fail("T = " + std::to_string(m.T) + " must be even for a cnn-lstm model");
  }
}

Model load_model(const std::string& dir) {
  const std::string mpath = (fs::path(dir) / kManifest).string();
  if (!fs::is_directory(dir)) throw file_error(dir, 0, "model directory does not exist");
  json j;
  try {
    j = parse_json_strict<json>(read_text(mpath), mpath);
  } catch (const json::exception& e) {
    throw file_error(mpath, 0, std::string("invalid JSON: ") + e.what());
  }
  if (!j.is_object()) throw file_error(mpath, 0, "not a JSON object");
  reject_unknown(j, {"format", "version", "kind", "I", "T", "H", "classes", "c", "k", "cnn", "input", "formats",
                     "files", "comment"},
                 mpath, "");
  if (!j.contains("format") || j["format"] != "sparse-lstm-model")
    throw file_error(mpath, 0, "field 'format' must be \"sparse-lstm-model\"");
  if (!j.contains("version") || !j["version"].is_number_integer() || (j["version"] != 1 && j["version"] != 2))
    throw file_error(mpath, 0, "unsupported 'version' (this tool reads versions 1 and 2)");
  const int version = j["version"];

  Model m;
  if (!j.contains("kind") || !j["kind"].is_string()) throw file_error(mpath, 0, "missing field 'kind'");
  const std::string kind = j["kind"];
  if (kind == "lstm") m.kind = ModelKind::Lstm;
  else if (kind == "cnn-lstm") m.kind = ModelKind::CnnLstm;
  else throw file_error(mpath, 0, "unknown model kind '" + kind + "' (expected lstm or cnn-lstm)");
  m.I = get_int(j, "I", mpath);
  m.T = get_int(j, "T", mpath);
  if (j.contains("input")) {
    if (j["input"] == "pixels") m.input = InputKind::Pixels;
    else if (j["input"] == "words") m.input = InputKind::Words;
    else throw file_error(mpath, 0, "field 'input' must be \"pixels\" (IDX 0x08 bytes) or \"words\" (IDX 0x0B Q2.13 words)");
  }
  // Version 1: one layer, "H": n. Version 2: "H": [n1, n2, ...] per layer.
  if (version == 1) {
    m.set_hidden({get_int(j, "H", mpath)});
  } else {
    if (!j.contains("H") || !j["H"].is_array() || j["H"].empty())
      throw file_error(mpath, 0, "version 2: field 'H' must be a non-empty list (hidden size per layer)");
    std::vector<int> sizes;
    for (size_t l = 0; l < j["H"].size(); ++l) {
      json one = {{"H", j["H"][l]}};
      sizes.push_back(get_int(one, "H", mpath + " H[" + std::to_string(l) + "]"));
    }
    m.set_hidden(sizes);
  }
  m.classes = get_int(j, "classes", mpath);
  m.c = get_int(j, "c", mpath);
  m.k = get_int(j, "k", mpath);
  if (m.has_cnn()) {
    if (!j.contains("cnn") || !j["cnn"].is_object())
      throw file_error(mpath, 0, "kind cnn-lstm needs a 'cnn' object");
    const json& cj = j["cnn"];
    reject_unknown(cj, {"out_channels", "kernel", "pool"}, mpath, "cnn.");
    m.conv_out = get_int(cj, "out_channels", mpath);
    m.conv_kernel = get_int(cj, "kernel", mpath);
    m.pool = get_int(cj, "pool", mpath);
  } else if (j.contains("cnn")) {
    throw file_error(mpath, 0, "kind lstm must not have a 'cnn' object");
  }
  validate_dims(m, mpath);

  if (!j.contains("formats") || !j["formats"].is_object()) throw file_error(mpath, 0, "missing field 'formats'");
  for (auto& [key, want] : kFormats) {
    const json& f = j["formats"];
    if (!f.contains(key) || f[key] != want)
      throw file_error(mpath, 0, "formats." + key + " must be \"" + want + "\"");
  }
  std::set<std::string> fkeys;
  for (auto& kv : kFormats) fkeys.insert(kv.first);
  reject_unknown(j["formats"], fkeys, mpath, "formats.");

  // Every listed file must exist and match its checksum.
  if (!j.contains("files") || !j["files"].is_object()) throw file_error(mpath, 0, "missing field 'files'");
  for (auto it = j["files"].begin(); it != j["files"].end(); ++it) {
    const std::string name = it.key();
    if (!plain_name(name)) throw file_error(mpath, 0, "files: '" + name + "' is not a plain file name");
    if (!it.value().is_string()) throw file_error(mpath, 0, "files: checksum of '" + name + "' is not a string");
    const std::string path = (fs::path(dir) / name).string();
    if (!fs::is_regular_file(path)) throw file_error(mpath, 0, "names missing file '" + name + "'");
    const std::string want = it.value();
    const std::string got = sha256_file(path);
    if (got != want)
      throw file_error(path, 0, "checksum mismatch (manifest " + want + ", file " + got + ")");
  }

  shape_matrices(m);
  for (MemFile& mf : mem_files(m)) {
    for (const char* ext : {".mem", ".coe"})
      if (!j["files"].contains(mf.name + ext))
        throw file_error(mpath, 0, "files lacks '" + mf.name + ext + "'");
    const std::string mem = (fs::path(dir) / (mf.name + ".mem")).string();
    const std::string coe = (fs::path(dir) / (mf.name + ".coe")).string();
    if (mf.sparse) {
      SparseMatrix& s = *mf.sparse;
      const auto vals = read_mem(mem, static_cast<size_t>(s.rows) * s.entries_per_row(), sparse_digits(s.c));
      decode_sparse(vals, s, mem);
      check_coe(coe, vals);
    } else {
      const auto vals = read_mem(mem, mf.word_count, 4);
      mf.words->resize(vals.size());
      for (size_t i = 0; i < vals.size(); ++i) (*mf.words)[i] = static_cast<int16_t>(vals[i]);
      check_coe(coe, vals);
    }
  }
  return m;
}

void Model::set_hidden(const std::vector<int>& sizes) {
  layers.assign(sizes.size(), LstmLayer{});
  for (size_t l = 0; l < sizes.size(); ++l) layers[l].H = sizes[l];
}

std::vector<int> Model::hidden_sizes() const {
  std::vector<int> v;
  for (const LstmLayer& L : layers) v.push_back(L.H);
  return v;
}

Model random_model(const Model& shape, uint64_t seed) {
  Model m = shape;
  validate_dims(m, "random model");
  shape_matrices(m);
  std::mt19937_64 rng(seed);
  auto fill_sparse = [&](SparseMatrix& s) {
    s.code.clear();
    s.idx.clear();
    std::vector<int> cols(s.c);
    for (int r = 0; r < s.rows; ++r)
      for (int g = 0; g < s.groups(); ++g) {
        std::iota(cols.begin(), cols.end(), 0);
        std::shuffle(cols.begin(), cols.end(), rng);
        std::sort(cols.begin(), cols.begin() + s.k);
        for (int e = 0; e < s.k; ++e) {
          s.idx.push_back(static_cast<uint8_t>(cols[e]));
          s.code.push_back(static_cast<uint8_t>(rng() & 0xF));
        }
      }
  };
  // Biases within +-1.0 keep the activations away from permanent saturation.
  auto fill_words = [&](std::vector<int16_t>& v, size_t n, int span) {
    std::uniform_int_distribution<int> d(-span, span);
    v.resize(n);
    for (auto& w : v) w = static_cast<int16_t>(d(rng));
  };
  for (LstmLayer& L : m.layers)
    for (int g = 0; g < kGates; ++g) {
      fill_sparse(L.W[g]);
      fill_sparse(L.U[g]);
      fill_words(L.b[g], L.H, numerics::kOne);
    }
  fill_sparse(m.W_fc);
  fill_words(m.b_fc, m.classes, numerics::kOne);
  if (m.has_cnn()) {
    fill_words(m.conv_w, size_t(m.conv_out) * m.I * m.conv_kernel, numerics::kOne / 4);
    fill_words(m.conv_b, m.conv_out, numerics::kOne / 4);
  }
  return m;
}

void write_model(const Model& model, const std::string& dir, const std::vector<std::string>& extra_files) {
  Model m = model;  // mem_files() needs non-const pointers; it only reads here
  validate_dims(m, dir);
  fs::create_directories(dir);
  json files = json::object();
  auto write_file = [&](const std::string& name, const std::string& text) {
    const std::string path = (fs::path(dir) / name).string();
    std::ofstream f(path, std::ios::binary);
    if (!f) throw file_error(path, 0, "cannot write file");
    f << text;
    f.close();
    files[name] = sha256_file(path);
  };
  for (const MemFile& mf : mem_files(m)) {
    std::vector<unsigned> vals;
    int digits = 4;
    if (mf.sparse) {
      const SparseMatrix& s = *mf.sparse;
      digits = sparse_digits(s.c);
      for (size_t e = 0; e < s.code.size(); ++e) vals.push_back((unsigned(s.idx[e]) << 4) | (s.code[e] & 0xF));
    } else {
      for (int16_t w : *mf.words) vals.push_back(static_cast<uint16_t>(w));
    }
    // The comment line says what the words are (same text as weights/export.py).
    std::string comment;
    if (mf.sparse) {
      const SparseMatrix& sm = *mf.sparse;
      comment = mf.name + ": " + std::to_string(sm.rows) + " rows x " + std::to_string(sm.entries_per_row()) +
                " entries {idx[" + std::to_string(idx_bits(sm.c) + 3) + ":4], " +
                (sm.kind == WeightCode::Log4 ? "log4" : "int4") + " code[3:0]}";
    } else if (mf.name == "conv_w") {
      comment = "conv_w: " + std::to_string(m.conv_out) + " x " + std::to_string(m.I) +
                " x 3 Q2.13 words, order [o][ci][kk]";
    } else {
      comment = mf.name + ": " + std::to_string(mf.word_count) + " Q2.13 words";
    }
    std::string mem, coe = "; " + comment + "\nmemory_initialization_radix=16;\nmemory_initialization_vector=\n";
    for (size_t i = 0; i < vals.size(); ++i) {
      mem += hex(vals[i], digits) + "\n";
      coe += hex(vals[i], digits) + (i + 1 == vals.size() ? ";\n" : ",\n");
    }
    write_file(mf.name + ".mem", mem);
    write_file(mf.name + ".coe", coe);
  }
  for (const std::string& name : extra_files) files[name] = sha256_file((fs::path(dir) / name).string());

  json j;
  j["format"] = "sparse-lstm-model";
  j["version"] = m.num_layers() == 1 ? 1 : 2;  // one layer: the version-1 bytes
  j["kind"] = kind_name(m.kind);
  j["I"] = m.I;
  j["T"] = m.T;
  if (m.num_layers() == 1) j["H"] = m.hidden();
  else j["H"] = m.hidden_sizes();
  j["classes"] = m.classes;
  j["c"] = m.c;
  j["k"] = m.k;
  if (m.has_cnn()) j["cnn"] = {{"out_channels", m.conv_out}, {"kernel", m.conv_kernel}, {"pool", m.pool}};
  if (m.input != InputKind::Any) j["input"] = m.input == InputKind::Words ? "words" : "pixels";
  json fmts = json::object();
  for (auto& [key, v] : kFormats) fmts[key] = v;
  j["formats"] = fmts;
  j["files"] = files;
  std::ofstream f((fs::path(dir) / kManifest).string());
  if (!f) throw file_error((fs::path(dir) / kManifest).string(), 0, "cannot write file");
  f << j.dump(2) << "\n";
}

}  // namespace lstm::formats
