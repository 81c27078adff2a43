#include "fuzz_util.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "formats/error.hpp"
#include "formats/model.hpp"

namespace fs = std::filesystem;

namespace fuzz {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The template model: small so that one load costs microseconds, cnn-lstm so
// that the manifest's 'cnn' object and the conv files are present.
struct Template {
  std::string dir;
  std::vector<std::string> mems;                  // memory files, no extension
  std::vector<std::pair<std::string, std::string>> original;  // name -> bytes

  Template() {
    dir = scratch_dir() + "/model";
    lstm::formats::Model shape;
    shape.kind = lstm::formats::ModelKind::CnnLstm;
    shape.I = 4;
    shape.T = 4;
    shape.set_hidden({4});
    shape.classes = 3;
    shape.c = 4;
    shape.k = 2;
    shape.conv_out = 4;
    lstm::formats::write_model(lstm::formats::random_model(shape, 7), dir);
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      original.emplace_back(n, read_file(e.path().string()));
      if (e.path().extension() == ".mem") mems.push_back(e.path().stem().string());
    }
    std::sort(mems.begin(), mems.end());
  }
  const std::string& bytes(const std::string& name) const {
    for (const auto& [n, b] : original)
      if (n == name) return b;
    static const std::string none;
    return none;
  }
};

Template& model_template() {
  static Template t;
  return t;
}

}  // namespace

const std::string& scratch_dir() {
  // Never destroyed: the atexit cleanup below runs after static destructors
  // registered later.
  static const std::string* dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto* d = new std::string(std::string(tmp && *tmp ? tmp : "/tmp") + "/lstm-fuzz-" + std::to_string(getpid()));
    fs::create_directories(*d);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(scratch_dir(), ec);
    });
    return d;
  }();
  return *dir;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
}

const std::vector<std::string>& model_files() { return model_template().mems; }

void load_model_with(const std::string& name, const std::string& text) {
  Template& t = model_template();
  const std::string path = t.dir + "/" + name;
  write_file(path, text);
  if (name != "manifest.json") {
    auto j = nlohmann::ordered_json::parse(t.bytes("manifest.json"));
    j["files"][name] = lstm::formats::sha256_file(path);
    write_file(t.dir + "/manifest.json", j.dump(2));
  }
  // Put the template back whatever happens.
  struct Restore {
    Template& t;
    std::string name;
    ~Restore() {
      write_file(t.dir + "/" + name, t.bytes(name));
      write_file(t.dir + "/manifest.json", t.bytes("manifest.json"));
    }
  } restore{t, name};
  (void)lstm::formats::load_model(t.dir);
}

}  // namespace fuzz
