// Every fault the model loader must catch, each with the file (and line)
// named in the message. Each case starts from a valid generated model,
// breaks one thing and, where the check under test sits behind the checksum,
// re-signs the file so the deeper check is the one that fires.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "formats/error.hpp"
#include "formats/model.hpp"
#include "test_util.hpp"

using namespace lstm::formats;
using Catch::Matchers::Contains;
using json = nlohmann::ordered_json;

namespace {

Model small_shape(ModelKind kind = ModelKind::Lstm) {
  Model s;
  s.kind = kind;
  s.I = 14;
  s.set_hidden({14});
  s.T = 4;
  s.classes = 3;
  s.c = 7;
  s.k = 4;
  if (kind == ModelKind::CnnLstm) s.conv_out = 7;
  return s;
}

struct Fixture {
  testutil::TempDir tmp;
  Model model;
  explicit Fixture(ModelKind kind = ModelKind::Lstm, std::vector<int> hidden = {14}) : model(shaped(kind, hidden)) {
    write_model(model, tmp.str());
  }
  static Model shaped(ModelKind kind, const std::vector<int>& hidden) {
    Model s = small_shape(kind);
    s.set_hidden(hidden);
    return random_model(s, 42);
  }
  std::string path(const std::string& f) const { return tmp.file(f); }
  json manifest() const { return json::parse(testutil::slurp(path("manifest.json"))); }
  void set_manifest(const json& j) const { testutil::spit(path("manifest.json"), j.dump(2)); }
  // Replaces a file's text and records its new checksum in the manifest.
  void rewrite(const std::string& f, const std::string& text) const {
    testutil::spit(path(f), text);
    json j = manifest();
    j["files"][f] = sha256_file(path(f));
    set_manifest(j);
  }
  std::vector<std::string> lines(const std::string& f) const {
    std::vector<std::string> out;
    std::string text = testutil::slurp(path(f)), cur;
    for (char ch : text) {
      if (ch == '\n') { out.push_back(cur); cur.clear(); } else cur += ch;
    }
    return out;
  }
  void rewrite_lines(const std::string& f, const std::vector<std::string>& ls) const {
    std::string text;
    for (auto& l : ls) text += l + "\n";
    rewrite(f, text);
  }
  // Sets line n (1-based) of both the .mem and the .coe, so only the check under test fires.
  void set_entry(const std::string& base, size_t n, const std::string& value) const {
    auto m = lines(base + ".mem");
    m.at(n - 1) = value;
    rewrite_lines(base + ".mem", m);
    auto c = lines(base + ".coe");
    const std::string& old = c.at(n + 2);  // three header lines: comment, radix, vector
    c.at(n + 2) = value + old.substr(old.size() - 1);
    rewrite_lines(base + ".coe", c);
  }
  void expect_error(const std::string& file_part, const std::string& msg_part) const {
    try {
      load_model(tmp.str());
      FAIL("load_model accepted a broken model; expected: " << msg_part);
    } catch (const InputError& e) {
      INFO("message: " << e.what());
      CHECK_THAT(e.what(), Contains(file_part));
      CHECK_THAT(e.what(), Contains(msg_part));
    }
  }
};

}  // namespace

TEST_CASE("loader: a generated model round-trips", "[loader]") {
  for (ModelKind kind : {ModelKind::Lstm, ModelKind::CnnLstm}) {
    Fixture fx(kind);
    const Model m = load_model(fx.tmp.str());
    CHECK(m.kind == kind);
    CHECK(m.layers[0].W[3].code == fx.model.layers[0].W[3].code);
    CHECK(m.layers[0].U[1].idx == fx.model.layers[0].U[1].idx);
    CHECK(m.layers[0].b[2] == fx.model.layers[0].b[2]);
    CHECK(m.W_fc.code == fx.model.W_fc.code);
    CHECK(m.conv_w == fx.model.conv_w);
  }
}

TEST_CASE("loader: missing directory and manifest", "[loader]") {
  CHECK_THROWS_WITH(load_model("/nonexistent/model"), Contains("/nonexistent/model") && Contains("does not exist"));
  Fixture fx;
  std::filesystem::remove(fx.path("manifest.json"));
  fx.expect_error("manifest.json", "cannot open");
}

TEST_CASE("loader: manifest names a missing file", "[loader]") {
  Fixture fx;
  std::filesystem::remove(fx.path("U_f.mem"));
  fx.expect_error("manifest.json", "missing file 'U_f.mem'");
}

TEST_CASE("loader: manifest lacks a required file", "[loader]") {
  Fixture fx;
  json j = fx.manifest();
  j["files"].erase("b_fc.coe");
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "lacks 'b_fc.coe'");
}

TEST_CASE("loader: checksum mismatch", "[loader]") {
  Fixture fx;
  auto l = fx.lines("W_g.mem");
  l[5] = l[5] == "00" ? "01" : "00";
  std::string text;
  for (auto& s : l) text += s + "\n";
  testutil::spit(fx.path("W_g.mem"), text);  // manifest not updated
  fx.expect_error("W_g.mem", "checksum mismatch");
}

TEST_CASE("loader: wrong entry count", "[loader]") {
  Fixture fx;
  auto l = fx.lines("W_i.mem");
  l.pop_back();
  fx.rewrite_lines("W_i.mem", l);
  fx.expect_error("W_i.mem", "entries, expected");
  l.push_back("00");
  l.push_back("00");
  fx.rewrite_lines("W_i.mem", l);
  fx.expect_error("W_i.mem:" + std::to_string(l.size()), "extra entry");
  Fixture fb;
  auto b = fb.lines("b_o.mem");
  b.pop_back();
  fb.rewrite_lines("b_o.mem", b);
  fb.expect_error("b_o.mem", "has 13 entries, expected 14");
}

TEST_CASE("loader: idx out of range", "[loader]") {
  Fixture fx;
  fx.set_entry("U_o", 4, "7a");  // idx 7 with c = 7, last of a group
  fx.expect_error("U_o.mem:4", "idx 7 out of range 0..6");
}

TEST_CASE("loader: repeated and descending idx", "[loader]") {
  Fixture fx;
  const auto l = fx.lines("W_f.mem");
  // Line 2 is the second entry of the first group: copy line 1's idx.
  const std::string rep = std::string(1, l[0][0]) + "3";
  fx.set_entry("W_f", 2, rep);
  fx.expect_error("W_f.mem:2", "repeated idx");
  Fixture fy;
  fy.set_entry("W_f", 1, "63");
  fy.set_entry("W_f", 2, "53");
  fy.expect_error("W_f.mem:2", "not ascending");
}

TEST_CASE("loader: bits above the idx field", "[loader]") {
  Fixture fx;
  const auto l = fx.lines("W_fc.mem");
  fx.set_entry("W_fc", 1, "8" + l[0].substr(1));
  fx.expect_error("W_fc.mem:1", "bits above");
}

TEST_CASE("loader: bad hex digit and wrong digit count", "[loader]") {
  Fixture fx;
  auto l = fx.lines("b_i.mem");
  l[2] = "12g4";
  fx.rewrite_lines("b_i.mem", l);
  fx.expect_error("b_i.mem:3", "bad hex digit 'g'");
  l[2] = "12345";  // five digits in a 16-bit word file
  fx.rewrite_lines("b_i.mem", l);
  fx.expect_error("b_i.mem:3", "expected 4 hex digits");
  l[2] = "";
  fx.rewrite_lines("b_i.mem", l);
  fx.expect_error("b_i.mem:3", "expected 4 hex digits");
}

TEST_CASE("loader: .coe differs from .mem or is malformed", "[loader]") {
  Fixture fx;
  auto c = fx.lines("W_o.coe");
  c[3] = c[3] == "00," ? "01," : "00,";  // the first value (after comment, radix, vector)
  fx.rewrite_lines("W_o.coe", c);
  fx.expect_error("W_o.coe:4", "differs from the .mem");
  Fixture fy;
  auto d = fy.lines("b_g.coe");
  d.back().back() = ',';  // vector never closed
  fy.rewrite_lines("b_g.coe", d);
  fy.expect_error("b_g.coe", "not closed");
  Fixture fz;
  auto e = fz.lines("b_g.coe");
  e[1] = "memory_initialization_radix=2;";
  fz.rewrite_lines("b_g.coe", e);
  fz.expect_error("b_g.coe:2", "radix=16");
}

TEST_CASE("loader: dimensions that break the top-k scheme", "[loader]") {
  struct Case { const char* key; int value; const char* msg; };
  for (const Case& cs : {Case{"I", 13, "I = 13 is not a multiple of c = 7"},
                         Case{"H", 15, "H = 15 is not a multiple of c = 7"},
                         Case{"k", 8, "k = 8 must be in 1..c"},
                         Case{"c", 17, "c = 17 out of range"},
                         Case{"T", 0, "'T' = 0 out of range"},
                         Case{"classes", -3, "'classes' = -3 out of range"}}) {
    Fixture fx;
    json j = fx.manifest();
    j[cs.key] = cs.value;
    fx.set_manifest(j);
    fx.expect_error("manifest.json", cs.msg);
  }
  Fixture fc(ModelKind::CnnLstm);
  json j = fc.manifest();
  j["cnn"]["out_channels"] = 9;
  fc.set_manifest(j);
  fc.expect_error("manifest.json", "cnn.out_channels = 9 is not a multiple of c = 7");
  j["cnn"]["out_channels"] = 7;
  j["T"] = 5;
  fc.set_manifest(j);
  fc.expect_error("manifest.json", "must be even");
}

TEST_CASE("loader: unknown kind, bad JSON, unknown and missing fields", "[loader]") {
  Fixture fx;
  json j = fx.manifest();
  j["kind"] = "gru";
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "unknown model kind 'gru'");
  j = fx.manifest();
  j["kind"] = "lstm";
  j["hidden"] = 28;
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "unknown field 'hidden'");
  j.erase("hidden");
  j.erase("H");
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "missing field 'H'");
  j["H"] = "28";
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "'H' is not an integer");
  j["H"] = 14;
  j["formats"]["lstm_weight"] = "int8";
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "formats.lstm_weight");
  j["formats"]["lstm_weight"] = "log4";
  j["files"]["../escape.mem"] = "00";
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "not a plain file name");
  testutil::spit(fx.path("manifest.json"), "{\"format\": \"sparse-lstm-model\", ");
  fx.expect_error("manifest.json", "invalid JSON");
  testutil::spit(fx.path("manifest.json"), "");
  fx.expect_error("manifest.json", "invalid JSON");
}

TEST_CASE("loader: manifest \"input\" (pixels or Q2.13 words) round-trips, absent reads either, others refused",
          "[loader][words]") {
  Fixture fx;
  CHECK(load_model(fx.tmp.str()).input == InputKind::Any);  // a manifest without the key
  for (InputKind k : {InputKind::Pixels, InputKind::Words}) {
    Model m = load_model(fx.tmp.str());
    m.input = k;
    testutil::TempDir out;
    write_model(m, out.str());
    CHECK(load_model(out.str()).input == k);
    const json j = json::parse(testutil::slurp(out.file("manifest.json")));
    CHECK(j.at("input") == (k == InputKind::Words ? "words" : "pixels"));
  }
  json j = fx.manifest();
  j["input"] = "bytes";
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "field 'input' must be \"pixels\"");
}

TEST_CASE("loader: stacked layers (version 2) round-trip, for both kinds", "[loader][stacked]") {
  for (ModelKind kind : {ModelKind::Lstm, ModelKind::CnnLstm}) {
    Fixture fx(kind, {21, 7, 14});
    const json j = fx.manifest();
    CHECK(j["version"] == 2);
    CHECK(j["H"] == json::array({21, 7, 14}));
    CHECK(j["files"].contains("l3_U_o.mem"));
    CHECK(!j["files"].contains("W_i.mem"));
    const Model m = load_model(fx.tmp.str());
    REQUIRE(m.num_layers() == 3);
    CHECK(m.hidden() == 14);
    for (int l = 0; l < 3; ++l) {
      CHECK(m.layers[l].H == fx.model.layers[l].H);
      CHECK(m.layer_in(l) == (l == 0 ? m.lstm_in() : m.layers[l - 1].H));
      for (int g = 0; g < kGates; ++g) {
        CHECK(m.layers[l].W[g].cols == m.layer_in(l));
        CHECK(m.layers[l].W[g].code == fx.model.layers[l].W[g].code);
        CHECK(m.layers[l].U[g].idx == fx.model.layers[l].U[g].idx);
        CHECK(m.layers[l].b[g] == fx.model.layers[l].b[g]);
      }
    }
    CHECK(m.W_fc.cols == 14);
    CHECK(m.W_fc.code == fx.model.W_fc.code);
  }
}

TEST_CASE("loader: a one-layer model is written as version 1, version 2 with one layer reads the same", "[loader][stacked]") {
  Fixture fx;
  json j = fx.manifest();
  CHECK(j["version"] == 1);
  CHECK(j["H"] == 14);
  const Model v1 = load_model(fx.tmp.str());
  j["version"] = 2;
  j["H"] = json::array({14});
  fx.set_manifest(j);
  const Model v2 = load_model(fx.tmp.str());
  REQUIRE(v2.num_layers() == 1);
  CHECK(v2.layers[0].W[1].code == v1.layers[0].W[1].code);
  CHECK(v2.layers[0].b[3] == v1.layers[0].b[3]);
}

TEST_CASE("loader: bad stacked manifests name the field", "[loader][stacked]") {
  Fixture fx(ModelKind::Lstm, {14, 7});
  json j = fx.manifest();
  j["H"] = 14;
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "version 2: field 'H' must be a non-empty list");
  j["H"] = json::array();
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "non-empty list");
  j["H"] = json::array({14, 8});
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "H[1] = 8 is not a multiple of c = 7");
  j["H"] = json::array({14, "7"});
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "'H' is not an integer");
  j["H"] = json::array({14, 7, 7});
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "lacks 'l3_W_i.mem'");
  j["H"] = json::array({14, 7});
  j["version"] = 3;
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "unsupported 'version'");
  j["version"] = 2;
  j["H"] = json::array({7, 7, 7, 7, 7, 7, 7, 7, 7});
  fx.set_manifest(j);
  fx.expect_error("manifest.json", "9 LSTM layers; at most 8");
}
