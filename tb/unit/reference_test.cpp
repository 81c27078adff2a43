// The reference against hand-worked SPEC arithmetic, and against the Python
// export's own integer evaluation on all 10,000 Fashion-MNIST test images.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/fast_model.hpp"
#include "numerics/reference.hpp"
#include "test_util.hpp"

using namespace lstm::formats; using namespace lstm::numerics;

namespace {

SparseMatrix dense1(uint8_t code, WeightCode kind) {
  SparseMatrix s;
  s.rows = s.cols = s.c = s.k = 1;
  s.kind = kind;
  s.code = {code};
  s.idx = {0};
  return s;
}

// I = H = 1, c = k = 1, T = 2, two classes. Every number below is worked out
// by hand from SPEC Part A (see the comments).
Model tiny_model() {
  Model m;
  m.I = m.layers[0].H = m.c = m.k = 1;
  m.T = 2;
  m.classes = 2;
  for (int g = 0; g < kGates; ++g) {
    m.layers[0].W[g] = dense1(0x1, WeightCode::Log4);  // +0.5
    m.layers[0].U[g] = dense1(0x9, WeightCode::Log4);  // -0.5
    m.layers[0].b[g] = {0};
  }
  m.layers[0].b[1] = {8192};  // forget bias 1.0
  m.W_fc.rows = 2;
  m.W_fc.cols = m.W_fc.c = m.W_fc.k = 1;
  m.W_fc.kind = WeightCode::Int4;
  m.W_fc.code = {0x3, 0xE};  // q = 3, -2
  m.W_fc.idx = {0, 0};
  m.b_fc = {100, -100};
  return m;
}

struct LogitRow {
  int label, cls;
  std::vector<int64_t> logits;
};

std::vector<LogitRow> read_logits_csv(const std::string& path, int classes) {
  std::ifstream f(path);
  REQUIRE(f.good());
  std::string line;
  std::getline(f, line);  // header
  REQUIRE(line.rfind("index,label,class,logit0", 0) == 0);
  std::vector<LogitRow> rows;
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string cell;
    std::vector<int64_t> v;
    while (std::getline(ss, cell, ',')) v.push_back(std::stoll(cell));
    REQUIRE(v.size() == size_t(3 + classes));
    REQUIRE(v[0] == int64_t(rows.size()));
    rows.push_back({int(v[1]), int(v[2]), std::vector<int64_t>(v.begin() + 3, v.end())});
  }
  return rows;
}

// The C++ reference against the model directory's test_logits.csv, input by
// input. The inputs are the directory's own test_inputs.idx.gz and
// test_labels.idx.gz when it has them (weights/import.py writes them: bytes,
// IDX 0x08, or Q2.13 words, 0x0B), else Fashion-MNIST's 10,000 t10k images.
void check_against_python(const std::string& name) {
  const std::string dir = testutil::model_dir(name);
  const Model m = load_model(dir);
  const bool own = std::filesystem::exists(dir + "/test_inputs.idx.gz");
  const ImageSet imgs = own ? read_idx_images(dir + "/test_inputs.idx.gz", 0, /*words_ok=*/true)
                            : read_idx_images(testutil::fmnist_dir() + "/t10k-images-idx3-ubyte.gz");
  const auto labels = read_idx_labels(own ? dir + "/test_labels.idx.gz"
                                          : testutil::fmnist_dir() + "/t10k-labels-idx1-ubyte.gz");
  const auto rows = read_logits_csv(dir + "/test_logits.csv", m.classes);
  if (!own) REQUIRE(imgs.count == 10000);
  REQUIRE(imgs.count > 0);
  REQUIRE(imgs.rows == m.T);
  REQUIRE(imgs.cols == m.I);
  REQUIRE(labels.size() == imgs.count);
  REQUIRE(rows.size() == imgs.count);
  size_t class_mismatch = 0, logit_mismatch = 0, correct = 0;
  for (size_t n = 0; n < imgs.count; ++n) {
    const Inference r = imgs.is_words ? infer_words(m, imgs.word_image(n)) : infer(m, imgs.image(n));
    REQUIRE(rows[n].label == labels[n]);
    class_mismatch += r.cls != rows[n].cls;
    logit_mismatch += r.logits != rows[n].logits;
    correct += r.cls == labels[n];
    if (r.logits != rows[n].logits && logit_mismatch == 1) {
      UNSCOPED_INFO("first mismatch at input " << n);
      for (int j = 0; j < m.classes; ++j) UNSCOPED_INFO("logit " << j << ": C++ " << r.logits[j] << " python " << rows[n].logits[j]);
    }
  }
  CHECK(class_mismatch == 0);
  CHECK(logit_mismatch == 0);
  WARN(name << ": C++ reference accuracy " << 100.0 * correct / imgs.count << "% on " << imgs.count
            << (imgs.is_words ? " Q2.13 word sequences" : " images"));
}

}  // namespace

TEST_CASE("reference on a hand-worked two-step model", "[reference]") {
  const Model m = tiny_model();
  const uint8_t pixels[2] = {128, 255};  // x = 4096, 8160
  const Inference r = infer(m, pixels, true);
  REQUIRE(r.h.size() == 2);
  // Step 1: a_i = a_g = a_o = 2048, a_f = 10240; i = o = 4608, f = 6656, g = 2048;
  // c = (4608 * 2048) >> 13 = 1152; h = (4608 * 1152) >> 13 = 648.
  CHECK(r.c[0][0] == 1152);
  CHECK(r.h[0][0] == 648);
  // Step 2: W.x = 4080, U.h = -324: a = 3756 (a_f = 11948); i = o = 5035,
  // f = 7083, g = 3756; c = 996 + 2308 = 3304; h = (5035 * 3304) >> 13 = 2030.
  CHECK(r.c[1][0] == 3304);
  CHECK(r.h[1][0] == 2030);
  // Logits: (100 << 3) + 3 * 2030 = 6890; (-100 << 3) - 2 * 2030 = -4860.
  REQUIRE(r.logits.size() == 2);
  CHECK(r.logits[0] == 6890);
  CHECK(r.logits[1] == -4860);
  CHECK(r.cls == 0);
}

TEST_CASE("reference on a hand-worked two-layer model", "[reference][stacked]") {
  // Layer 2 = a copy of layer 1 (W = +0.5, U = -0.5, forget bias 1.0); its
  // input at step t is layer 1's h_t (648, 2030 from the test above).
  Model m = tiny_model();
  m.layers.push_back(m.layers[0]);
  const uint8_t pixels[2] = {128, 255};
  const Inference r = infer(m, pixels, true);
  REQUIRE(r.layer_h.size() == 2);
  CHECK(r.layer_h[0][0][0] == 648);
  CHECK(r.layer_h[0][1][0] == 2030);
  // Step 1: W.x = 648 >> 1 = 324, U.h0 = 0: a_i = a_g = a_o = 324,
  // a_f = 8516; i = o = 81 + 4096 = 4177, f = 2129 + 4096 = 6225, g = 324;
  // c = (4177 * 324) >> 13 = 165; h = (4177 * 165) >> 13 = 84.
  CHECK(r.layer_c[1][0][0] == 165);
  CHECK(r.layer_h[1][0][0] == 84);
  // Step 2: W.x = 2030 >> 1 = 1015, U.h = -(84 >> 1) = -42: a = 973,
  // a_f = 9165; i = o = 243 + 4096 = 4339, f = 2291 + 4096 = 6387, g = 973;
  // c = ((6387 * 165) >> 13) + ((4339 * 973) >> 13) = 128 + 515 = 643;
  // h = (4339 * 643) >> 13 = 340.
  CHECK(r.layer_c[1][1][0] == 643);
  CHECK(r.layer_h[1][1][0] == 340);
  CHECK(r.h == r.layer_h[1]);
  // Logits on the last layer's h_T: 800 + 3 * 340 = 1820; -800 - 2 * 340 = -1480.
  CHECK(r.logits == std::vector<int64_t>{1820, -1480});
  CHECK(r.cls == 0);
}

TEST_CASE("fast model numbers equal the reference on random stacked models", "[reference][stacked]") {
  for (ModelKind kind : {ModelKind::Lstm, ModelKind::CnnLstm}) {
    for (const std::vector<int>& hidden : {std::vector<int>{14}, {21, 7}, {7, 28, 14}}) {
      Model shape;
      shape.kind = kind;
      shape.I = 14;
      shape.T = 6;
      shape.classes = 5;
      shape.c = 7;
      shape.k = 3;
      shape.conv_out = kind == ModelKind::CnnLstm ? 21 : 0;
      shape.set_hidden(hidden);
      const Model m = random_model(shape, 7 + hidden.size());
      const lstm::numerics::FastNet net(m);
      std::vector<uint8_t> px(size_t(m.T) * m.I);
      uint64_t state = 12345;
      for (int n = 0; n < 20; ++n) {
        for (auto& p : px) p = static_cast<uint8_t>((state = state * 6364136223846793005ull + 1442695040888963407ull) >> 56);
        const Inference ref = infer(m, px.data()), fast = net.infer(px.data());
        INFO("kind " << kind_name(kind) << ", " << hidden.size() << " layers, image " << n);
        CHECK(fast.logits == ref.logits);
        CHECK(fast.cls == ref.cls);
      }
    }
  }
}

TEST_CASE("CNN front end on a hand-worked input", "[reference]") {
  Model m = tiny_model();
  m.kind = ModelKind::CnnLstm;
  m.conv_out = 1;
  m.conv_w = {8192, 4096, -8192};  // w[0][0][kk] = 1.0, 0.5, -1.0
  m.conv_b = {0};
  const uint8_t pixels[2] = {128, 255};
  // t = 0: (4096 * 4096 - 8192 * 8160) >> 13 = -6112 -> ReLU 0.
  // t = 1: (8192 * 4096 + 4096 * 8160) >> 13 = 8176. Pool: max(0, 8176).
  const auto x = lstm_inputs(m, pixels);
  REQUIRE(x.size() == 1);
  REQUIRE(x[0].size() == 1);
  CHECK(x[0][0] == 8176);
}

TEST_CASE("reference equals the Python integer evaluation: fmnist-lstm", "[reference][slow]") {
  check_against_python("fmnist-lstm");
}

TEST_CASE("reference equals the Python integer evaluation: fmnist-cnn-lstm", "[reference][slow]") {
  check_against_python("fmnist-cnn-lstm");
}

TEST_CASE("reference equals the Python integer evaluation: fmnist-lstm2 (two layers)", "[reference][slow][stacked]") {
  check_against_python("fmnist-lstm2");
}

TEST_CASE("reference equals the Python integer evaluation: an imported float model (weights/examples)",
          "[reference][slow][stacked]") {
  // Worked example 1 of docs/import.md: a plain PyTorch 2-layer nn.LSTM
  // imported with weights/import.py; its test inputs are Fashion-MNIST's.
  check_against_python("examples/fmnist-lstm2-import");
}

TEST_CASE("reference equals the Python integer evaluation: an imported model with real-valued inputs (weights/examples)",
          "[reference][slow]") {
  // Worked example 2 of docs/import.md: noisy waveforms, 5 classes, a plain
  // PyTorch nn.LSTM(8, 16) imported with weights/import.py; its 1,000 test
  // inputs are Q2.13 words (IDX 0x0B) in the directory.
  check_against_python("examples/waves-lstm-import");
}

TEST_CASE("C++ writer reproduces the exported files byte for byte", "[format]") {
  for (const char* name : {"fmnist-lstm", "fmnist-cnn-lstm", "fmnist-lstm2"}) {
    const std::string dir = testutil::model_dir(name);
    const Model m = load_model(dir);
    testutil::TempDir tmp;
    write_model(m, tmp.str());
    size_t compared = 0;
    for (const auto& e : std::filesystem::directory_iterator(tmp.str())) {
      const std::string fname = e.path().filename().string();
      if (fname == "manifest.json") continue;
      INFO(name << "/" << fname);
      CHECK(testutil::slurp(e.path().string()) == testutil::slurp(dir + "/" + fname));
      ++compared;
    }
    CHECK(compared >= 28);
    const Model again = load_model(tmp.str());
    CHECK(again.layers.back().W[2].code == m.layers.back().W[2].code);
  }
}

TEST_CASE("Q2.13 input words: a word sequence x = p << 5 gives the pixels' inference exactly", "[reference]") {
  const ImageSet imgs = read_idx_images(testutil::repo_dir() + "/weights/samples/fmnist-test-16-images-idx3-ubyte.gz");
  for (const char* name : {"fmnist-lstm", "fmnist-lstm2", "fmnist-cnn-lstm"}) {
    const Model m = load_model(testutil::model_dir(name));
    for (size_t n = 0; n < imgs.count; ++n) {
      std::vector<int16_t> words(size_t(m.T) * m.I);
      for (size_t i = 0; i < words.size(); ++i) words[i] = int16_t(imgs.image(n)[i] << 5);
      const Inference a = infer(m, imgs.image(n)), b = infer_words(m, words.data());
      INFO(name << " image " << n);
      CHECK(a.logits == b.logits);
    }
  }
  // Words beyond the pixels' range (negative, above 255 << 5) change the result.
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  std::vector<int16_t> neg(size_t(m.T) * m.I, -8192), pos(size_t(m.T) * m.I, 8192);
  CHECK(infer_words(m, neg.data()).logits != infer_words(m, pos.data()).logits);
}
