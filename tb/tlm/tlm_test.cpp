// The TLM-2.0 host interface (docs/tlm.md). The device is always built with
// random weights; the host flow through b_transport alone (weight windows,
// commit, image, START, STATUS polling, result registers) must give exactly
// lstm::numerics::infer's class and logits for the model the host loaded, and CYCLES
// must equal lstm::arch::timing(arch).latency. Plus: malformed transactions get
// TLM error responses, device errors set STATUS.ERROR / ERR_CODE / ERR_ADDR,
// the ID/CONFIG/window registers describe the config, the timeout, and
// debug transport. The same for the CNN-LSTM top (cnn_lstm_accel) with its
// conv_w/conv_b windows, and for a stacked model (interface 1.2: CFG_LAYERS,
// per-layer CONFIG, the windows of layers 2..L).
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <random>

#include "host_driver.hpp"
#include "arch/arch.hpp"
#include "formats/error.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/reference.hpp"
#include "arch/timing.hpp"
#include "lstm_accel_tlm.hpp"
#include "simulation.hpp"
#include "test_util.hpp"

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::numerics;
using accel::host_initiator;
using accel::RunResult;
namespace R = accel::regs;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

ArchConfig config(const std::string& name) {
  return load_arch(testutil::repo_dir() + "/sc_model/configs/" + name + ".json");
}

ImageSet sample_images() {
  return read_idx_images(testutil::repo_dir() + "/weights/samples/fmnist-test-16-images-idx3-ubyte.gz");
}

sc_time period(const ArchConfig& a) { return sc_time(1000.0 / a.clock_mhz, SC_NS); }

// One elaboration: the device with `initial` in its ROMs (after `setup`) and
// a host thread running `body`; rethrows what the body threw.
void simulate(const Model& initial, const ArchConfig& a, host_initiator::Body body,
              const std::function<void(accel::lstm_accel_tlm&)>& setup = {}) {
  accel::lstm_accel_tlm dev("accel", initial, a);
  if (setup) setup(dev);
  host_initiator host("host", std::move(body));
  host.socket.bind(dev.socket);
  sc_core::sc_start();
  if (host.failure) std::rethrow_exception(host.failure);
  REQUIRE(host.finished);
}

// The whole host flow on `count` images. Also shows that the weights arrive
// through the windows: before the commit the device computes with its
// random initial weights, even after the windows were written.
void host_flow(const Model& m, const ArchConfig& a, const ImageSet& imgs, size_t count) {
  REQUIRE(imgs.count >= count);
  const Model initial = random_model(m, 4242);
  const sc_time gap = period(a) * 8.0;
  RunResult before, staged;
  std::vector<RunResult> runs;
  uint32_t st_staged = 0, commits_staged = 0, st_after = 0, commits_after = 0, inferences = 0;
  const int nwin = R::layout(a).count();  // 17, or more with stacked layers
  std::vector<std::vector<uint32_t>> readback(static_cast<size_t>(nwin));
  simulate(initial, a, [&](host_initiator& h) {
    const accel::DeviceInfo d = accel::probe(h);
    accel::write_image(h, d, imgs, 0);
    before = accel::run_inference(h, d, gap);
    // Stage every weight window, no commit yet.
    for (int n = R::kWinW; n < nwin; ++n) h.write_words(d.layout.base(n), R::window_words(m, n));
    st_staged = h.read(R::STATUS);
    commits_staged = h.read(R::COMMITS);
    staged = accel::run_inference(h, d, gap);
    for (int n = R::kWinW; n < nwin; ++n) readback[n] = h.read_words(d.layout.base(n), d.layout.entries[n]);
    // The host flow proper: write all windows, commit, then run the images.
    accel::load_weights(h, d, m);
    st_after = h.read(R::STATUS);
    commits_after = h.read(R::COMMITS);
    for (size_t i = 0; i < count; ++i) {
      accel::write_image(h, d, imgs, i);
      runs.push_back(accel::run_inference(h, d, gap));
    }
    inferences = h.read(R::INFERENCES);
  });

  const uint64_t latency = timing(a).latency;
  const Inference ref_init = infer(initial, imgs, 0), ref0 = infer(m, imgs, 0);
  CHECK(before.cls == ref_init.cls);
  CHECK(before.logits == ref_init.logits);
  CHECK(before.logits != ref0.logits);  // the initial weights are not the model's
  CHECK(before.cycles == latency);
  CHECK((st_staged & R::STATUS_DIRTY) != 0);
  CHECK(commits_staged == 0);
  CHECK(staged.logits == ref_init.logits);  // staged weights are not used before COMMIT
  for (int n = R::kWinW; n < nwin; ++n) {
    INFO("window " << R::window_name(n));
    CHECK(readback[n] == R::window_words(m, n));
  }
  CHECK((st_after & R::STATUS_DIRTY) == 0);
  CHECK((st_after & R::STATUS_ERROR) == 0);
  CHECK(commits_after == 1);
  REQUIRE(runs.size() == count);
  size_t cls_bad = 0, logit_bad = 0, cyc_bad = 0;
  for (size_t i = 0; i < count; ++i) {
    const Inference ref = infer(m, imgs, i);
    cls_bad += runs[i].cls != ref.cls;
    logit_bad += runs[i].logits != ref.logits;
    if (runs[i].cycles != latency && cyc_bad++ == 0)
      UNSCOPED_INFO("image " << i << ": CYCLES " << runs[i].cycles << ", timing latency " << latency);
  }
  CHECK(cls_bad == 0);
  CHECK(logit_bad == 0);
  CHECK(cyc_bad == 0);
  CHECK(inferences == count + 2);
}

}  // namespace

TEST_CASE("tlm: host flow on 16 Fashion-MNIST test images, default config, fmnist-lstm", "[tlm]") {
  host_flow(load_model(testutil::model_dir("fmnist-lstm")), config("default"), sample_images(), 16);
}

TEST_CASE("tlm: host flow, wide config (4 pixels per beat), fmnist-lstm", "[tlm]") {
  host_flow(load_model(testutil::model_dir("fmnist-lstm")), config("wide"), sample_images(), 8);
}

TEST_CASE("tlm: host flow, random model read back from a model directory, minimal config", "[tlm]") {
  testutil::TempDir tmp;
  Model shape;
  write_model(random_model(shape, 11), tmp.str());
  host_flow(load_model(tmp.str()), config("minimal"), sample_images(), 4);
}

TEST_CASE("tlm: host flow, other dimensions (image not a multiple of 4 pixels)", "[tlm]") {
  Model shape;
  shape.I = 18;
  shape.T = 7;  // 126 pixels: the last image word is half padding
  shape.set_hidden({12});
  shape.classes = 5;
  shape.c = 6;
  shape.k = 2;
  const Model m = random_model(shape, 23);
  ArchConfig a = arch_for_model(m);
  a.mvm_lanes = 4 * 2 * 6;  // 6 rows per block, 2 blocks
  a.ewu_lanes = 3;
  a.fc_lanes = 2;
  a.pixels_per_beat = 3;
  validate_arch(a, "test");
  ImageSet imgs;
  imgs.rows = 7;
  imgs.cols = 18;
  imgs.count = 5;
  for (size_t i = 0; i < imgs.count * 126; ++i) imgs.pixels.push_back(static_cast<uint8_t>((i * 53 + i / 5) & 0xFF));
  host_flow(m, a, imgs, imgs.count);
}

TEST_CASE("tlm: host flow on 16 Fashion-MNIST test images, cnn_default config, fmnist-cnn-lstm", "[tlm][cnn]") {
  host_flow(load_model(testutil::model_dir("fmnist-cnn-lstm")), config("cnn_default"), sample_images(), 16);
}

TEST_CASE("tlm: host flow, cnn_small config (4 Conv1d beats per channel), fmnist-cnn-lstm", "[tlm][cnn]") {
  host_flow(load_model(testutil::model_dir("fmnist-cnn-lstm")), config("cnn_small"), sample_images(), 4);
}

TEST_CASE("tlm: host flow, cnn_fast config (4 pixels per beat), fmnist-cnn-lstm", "[tlm][cnn]") {
  host_flow(load_model(testutil::model_dir("fmnist-cnn-lstm")), config("cnn_fast"), sample_images(), 8);
}

TEST_CASE("tlm: host flow, random cnn-lstm model of other dimensions (image not a multiple of 4 pixels)",
          "[tlm][cnn]") {
  Model shape;
  shape.kind = ModelKind::CnnLstm;
  shape.I = 9;   // image columns = Conv1d input channels
  shape.T = 10;  // image rows: 90 pixels, the last image word is half padding
  shape.conv_out = 12;
  shape.set_hidden({12});
  shape.classes = 5;
  shape.c = 6;
  shape.k = 2;
  const Model m = random_model(shape, 29);
  ArchConfig a = arch_for_model(m);
  a.conv_lanes = 9;  // 27 taps: 3 beats per output channel
  a.mvm_lanes = 4 * 2 * 6;
  a.ewu_lanes = 3;
  a.fc_lanes = 2;
  a.pixels_per_beat = 3;
  validate_arch(a, "test");
  REQUIRE(a.image_rows() * a.image_cols() == 90);
  ImageSet imgs;
  imgs.rows = 10;
  imgs.cols = 9;
  imgs.count = 4;
  for (size_t i = 0; i < imgs.count * 90; ++i) imgs.pixels.push_back(static_cast<uint8_t>((i * 71 + i / 3) & 0xFF));
  host_flow(m, a, imgs, imgs.count);
}

namespace {
Model words_shape(bool cnn) {
  Model shape;
  shape.I = cnn ? 5 : 8;  // odd: the IMAGE window's last word half used
  shape.T = cnn ? 10 : 7;
  shape.set_hidden({16});
  shape.classes = 4;
  shape.c = 8;
  shape.k = 2;
  shape.input = InputKind::Words;
  if (cnn) {
    shape.kind = ModelKind::CnnLstm;
    shape.conv_out = 8;
  }
  return shape;
}
}  // namespace

TEST_CASE("tlm: Q2.13 input words: VERSION 1.3, CFG_INPUT_WORDS, a word IMAGE window, pixels refused", "[tlm][words]") {
  const Model m = random_model(words_shape(false), 61);
  const ArchConfig a = arch_for_model(m);
  REQUIRE(a.input_words);
  const ImageSet imgs = testutil::random_words(7, 8, 6, 2);
  uint32_t version = 0, words_reg = 0, img_bytes = 0;
  std::string err;
  simulate(m, a, [&](host_initiator& h) {
    version = h.read(R::VERSION);
    words_reg = h.read(R::CFG_INPUT_WORDS);
    CHECK(h.read(R::CFG_LAYERS) == 1);  // 1.3 includes 1.2's registers
    img_bytes = h.read(R::WIN_BYTES(R::kWinImage));
    const accel::DeviceInfo d = accel::probe(h);
    CHECK(d.arch.input_words);
    const std::vector<uint8_t> pixels(7 * 8, 1);
    try {
      accel::write_image(h, d, pixels.data());
    } catch (const accel::DeviceError& e) {
      err = e.what();
    }
  });
  CHECK_THAT(err, Catch::Matchers::Contains("CFG_INPUT_WORDS"));
  CHECK(version == R::kVersionWords);
  CHECK(words_reg == 1);
  CHECK(img_bytes == 4 * ((7 * 8 + 1) / 2));
  // A word IMAGE window holds the words, 2 per 32-bit word, little-endian.
  const std::vector<uint32_t> w = R::image_words(imgs.word_image(0), 3);
  REQUIRE(w.size() == 2);
  CHECK(w[0] == (uint32_t(uint16_t(imgs.word_image(0)[0])) | uint32_t(uint16_t(imgs.word_image(0)[1])) << 16));
  CHECK(w[1] == uint32_t(uint16_t(imgs.word_image(0)[2])));
}

TEST_CASE("tlm: host flow, Q2.13 input words, random model", "[tlm][words]") {
  const Model m = random_model(words_shape(false), 62);
  host_flow(m, arch_for_model(m), testutil::random_words(7, 8, 5, 3), 5);
}

TEST_CASE("tlm: host flow, Q2.13 input words, random cnn-lstm model (Conv1d reads the words)", "[tlm][words][cnn]") {
  const Model m = random_model(words_shape(true), 63);
  host_flow(m, arch_for_model(m), testutil::random_words(10, 5, 4, 4), 4);
}

TEST_CASE("tlm: a pixel device reports 1.1 and refuses Q2.13 word images", "[tlm][words]") {
  const Model m = load_model(testutil::model_dir("fmnist-lstm"));
  std::string err_pixel_dev, err_words_dev;
  uint32_t version = 0;
  simulate(m, config("default"), [&](host_initiator& h) {
    const accel::DeviceInfo d = accel::probe(h);
    version = h.read(R::VERSION);
    CHECK_FALSE(d.arch.input_words);
    try {
      accel::write_image(h, d, testutil::random_words(28, 28, 1, 5), 0);
    } catch (const accel::DeviceError& e) {
      err_pixel_dev = e.what();
    }
  });
  CHECK(version == R::kVersionValue);
  CHECK_THAT(err_pixel_dev, Catch::Matchers::Contains("no Q2.13 word input"));
}

TEST_CASE("tlm: ID, VERSION, CONFIG and window table registers give the config", "[tlm]") {
  const ArchConfig a = config("fast4");
  Model shape;
  const Model m = random_model(shape, 3);
  const R::Layout lay = R::layout(a);
  std::vector<uint32_t> single, burst, table, status_regs;
  accel::DeviceInfo d;
  uint32_t dbg_id = 0;
  unsigned dbg_n = 0;
  simulate(m, a, [&](host_initiator& h) {
    for (uint32_t r = R::CFG_FIRST; r <= R::CFG_LAST; r += 4) single.push_back(h.read(r));
    burst = h.read_words(R::ID, 11);  // ID .. TIMEOUT
    table = h.read_words(R::WIN_TABLE, 2 * R::kWindows);
    status_regs = h.read_words(R::LOGITS, size_t(a.classes));
    d = accel::probe(h);
    dbg_n = h.debug(tlm::TLM_READ_COMMAND, R::ID, &dbg_id, 4);
  });
  const std::vector<uint32_t> want = {uint32_t(a.I),         uint32_t(a.H),
                                      uint32_t(a.T),         uint32_t(a.classes),
                                      uint32_t(a.c),         uint32_t(a.k),
                                      uint32_t(a.mvm_lanes), uint32_t(a.mvm_groups),
                                      uint32_t(a.ewu_lanes), uint32_t(a.fc_lanes),
                                      uint32_t(a.pixels_per_beat), uint32_t(a.spx_buffers),
                                      uint32_t(a.clock_mhz * 1000), uint32_t(idx_bits(a.c)),
                                      uint32_t(R::kWindows), lay.stride,
                                      0,                     0,  // no CNN front end
                                      uint32_t(a.T),         uint32_t(a.I)};
  CHECK(single == want);
  REQUIRE(burst.size() == 11);
  CHECK(burst[0] == R::kIdValue);
  CHECK(burst[R::VERSION / 4] == R::kVersionValue);
  CHECK(burst[R::CTRL / 4] == 0);
  CHECK(burst[R::STATUS / 4] == 0);  // idle, nothing done, no error, ROMs = windows
  CHECK(burst[R::ERR_CODE / 4] == R::kErrNone);
  CHECK(burst[R::CYCLES / 4] == 0);
  CHECK(burst[R::INFERENCES / 4] == 0);
  CHECK(burst[R::COMMITS / 4] == 0);
  CHECK(burst[R::TIMEOUT / 4] > timing(a).latency);
  CHECK(lay.stride == 0x10000);
  for (int n = 0; n < R::kWindows; ++n) {
    INFO("window " << R::window_name(n));
    CHECK(table[2 * n] == uint32_t(n + 1) * 0x10000);
    CHECK(table[2 * n + 1] == lay.bytes(n));
    CHECK(d.layout.base(n) == lay.base(n));
    CHECK(d.layout.entries[n] == lay.entries[n]);
  }
  // Sizes of the default network: 784 pixels, 28 rows x 4 groups x 4 entries.
  CHECK(lay.bytes(R::kWinImage) == 784);
  CHECK(lay.bytes(R::kWinW) == 4 * 28 * 16);
  CHECK(lay.bytes(R::kWinB) == 4 * 28);
  CHECK(lay.bytes(R::kWinWfc) == 4 * 10 * 16);
  CHECK(lay.bytes(R::kWinBfc) == 4 * 10);
  CHECK(lay.bytes(R::kWinConvW) == 0);  // no CNN front end: the conv windows are absent
  CHECK(lay.bytes(R::kWinConvB) == 0);
  CHECK(d.arch.cnn_in == 0);
  CHECK(status_regs == std::vector<uint32_t>(size_t(a.classes), 0));
  CHECK(d.arch.mvm_lanes == a.mvm_lanes);
  CHECK(d.arch.pixels_per_beat == a.pixels_per_beat);
  CHECK(d.arch.clock_mhz == a.clock_mhz);
  CHECK(dbg_n == 4);
  CHECK(dbg_id == R::kIdValue);
}

TEST_CASE("tlm: malformed transactions get TLM error responses and change nothing", "[tlm]") {
  const ArchConfig a = config("default");
  Model shape;
  const Model m = random_model(shape, 5);
  const R::Layout lay = R::layout(a);
  using tlm::tlm_response_status;
  struct Case {
    std::string what;
    tlm::tlm_command cmd;
    uint64_t addr;
    unsigned len;
    tlm_response_status want;
    std::vector<unsigned char> be = {};
    unsigned sw = 0;
  };
  const uint64_t wi = lay.base(R::kWinW), wi_end = wi + lay.bytes(R::kWinW);
  const std::vector<Case> cases = {
      {"misaligned register", tlm::TLM_READ_COMMAND, R::STATUS + 2, 4, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"misaligned window", tlm::TLM_WRITE_COMMAND, wi + 1, 4, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"reserved after TIMEOUT", tlm::TLM_READ_COMMAND, R::TIMEOUT + 4, 4, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"reserved after CONFIG", tlm::TLM_READ_COMMAND, R::CFG_LAST + 4, 4, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"after the window table", tlm::TLM_READ_COMMAND, R::WIN_TABLE + 8 * R::kWindows, 4,
       tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"after LOGITS", tlm::TLM_READ_COMMAND, R::LOGITS + 4 * a.classes, 4, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"after a window", tlm::TLM_READ_COMMAND, wi_end, 4, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"conv_w without a CNN front end", tlm::TLM_READ_COMMAND, lay.base(R::kWinConvW), 4,
       tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"conv_b without a CNN front end", tlm::TLM_WRITE_COMMAND, lay.base(R::kWinConvB), 4,
       tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"beyond the last window", tlm::TLM_READ_COMMAND, uint64_t(R::kWindows + 1) * lay.stride, 4,
       tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"above 4 GiB", tlm::TLM_READ_COMMAND, 1ull << 32, 4, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"burst running off a window", tlm::TLM_WRITE_COMMAND, wi_end - 4, 8, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"burst running off the registers", tlm::TLM_READ_COMMAND, R::TIMEOUT, 8, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"zero length", tlm::TLM_READ_COMMAND, R::ID, 0, tlm::TLM_BURST_ERROR_RESPONSE},
      {"2 bytes", tlm::TLM_READ_COMMAND, R::ID, 2, tlm::TLM_BURST_ERROR_RESPONSE},
      {"6 bytes", tlm::TLM_WRITE_COMMAND, wi, 6, tlm::TLM_BURST_ERROR_RESPONSE},
      {"streaming", tlm::TLM_READ_COMMAND, R::ID, 8, tlm::TLM_BURST_ERROR_RESPONSE, {}, 4},
      {"partial byte enables", tlm::TLM_WRITE_COMMAND, wi, 4, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
       {0xFF, 0xFF, 0x00, 0xFF}},
      {"write ID", tlm::TLM_WRITE_COMMAND, R::ID, 4, tlm::TLM_COMMAND_ERROR_RESPONSE},
      {"write STATUS", tlm::TLM_WRITE_COMMAND, R::STATUS, 4, tlm::TLM_COMMAND_ERROR_RESPONSE},
      {"write CYCLES", tlm::TLM_WRITE_COMMAND, R::CYCLES, 4, tlm::TLM_COMMAND_ERROR_RESPONSE},
      {"write CFG_I", tlm::TLM_WRITE_COMMAND, R::CFG_I, 4, tlm::TLM_COMMAND_ERROR_RESPONSE},
      {"write WIN_BASE", tlm::TLM_WRITE_COMMAND, R::WIN_BASE(3), 4, tlm::TLM_COMMAND_ERROR_RESPONSE},
      {"write LOGITS", tlm::TLM_WRITE_COMMAND, R::LOGITS, 4, tlm::TLM_COMMAND_ERROR_RESPONSE},
      {"burst into a read-only register", tlm::TLM_WRITE_COMMAND, R::CTRL, 8, tlm::TLM_COMMAND_ERROR_RESPONSE},
      {"ignore, mapped", tlm::TLM_IGNORE_COMMAND, R::ID, 4, tlm::TLM_OK_RESPONSE},
      {"ignore, unmapped", tlm::TLM_IGNORE_COMMAND, R::TIMEOUT + 4, 4, tlm::TLM_ADDRESS_ERROR_RESPONSE},
      {"all byte enables", tlm::TLM_READ_COMMAND, R::ID, 4, tlm::TLM_OK_RESPONSE, {0xFF}},
      {"register burst", tlm::TLM_READ_COMMAND, R::ID, 44, tlm::TLM_OK_RESPONSE},
  };
  std::vector<tlm_response_status> got;
  std::vector<sc_time> took;
  std::vector<uint32_t> wi_before, wi_after;
  uint32_t status_after = 0, commits_after = 0;
  simulate(m, a, [&](host_initiator& h) {
    wi_before = h.read_words(wi, lay.entries[R::kWinW]);
    for (const Case& c : cases) {
      std::vector<uint32_t> buf(c.len / 4 + 2, 0x11);  // 0x11: a valid entry for the writes
      const sc_time t0 = sc_core::sc_time_stamp();
      got.push_back(h.transact(c.cmd, c.addr, buf.data(), c.len, c.be.empty() ? nullptr : c.be.data(),
                               unsigned(c.be.size()), c.sw));
      took.push_back(sc_core::sc_time_stamp() - t0);
    }
    wi_after = h.read_words(wi, lay.entries[R::kWinW]);
    status_after = h.read(R::STATUS);
    commits_after = h.read(R::COMMITS);
  });
  REQUIRE(got.size() == cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].what);
    CHECK(got[i] == cases[i].want);
    // Bus time: 2 cycles for the first word, 1 per further word.
    const unsigned words = cases[i].len / 4;
    CHECK(took[i] == period(a) * double(accel::lstm_accel_tlm::kAccessCycles + (words > 1 ? words - 1 : 0)));
  }
  CHECK(wi_after == wi_before);                // no rejected write changed a window
  CHECK(status_after == 0);                    // bus errors are not device errors
  CHECK(commits_after == 0);
}

TEST_CASE("tlm: device errors set STATUS.ERROR, ERR_CODE and ERR_ADDR", "[tlm]") {
  const ArchConfig a = config("default");
  Model shape;
  const Model m = random_model(shape, 6);
  const R::Layout lay = R::layout(a);
  const uint64_t wi = lay.base(R::kWinW), wfc = lay.base(R::kWinWfc), bi = lay.base(R::kWinB);
  struct Snap {
    uint32_t status, code, addr;
  };
  std::map<std::string, Snap> s;
  std::map<std::string, tlm::tlm_response_status> rsp;
  std::map<std::string, uint32_t> val;
  simulate(m, a, [&](host_initiator& h) {
    auto snap = [&](const std::string& k) { s[k] = {h.read(R::STATUS), h.read(R::ERR_CODE), h.read(R::ERR_ADDR)}; };
    auto wr = [&](const std::string& k, uint64_t addr, uint32_t v) {
      rsp[k] = h.transact(tlm::TLM_WRITE_COMMAND, addr, &v, 4);
    };
    const uint32_t w0 = h.read(wi), w1 = h.read(wi + 4);
    // Values that do not fit the entry format (c = 7: idx 0..6, 3 idx bits).
    wr("idx7", wi, 0x70);
    val["w0_after_idx7"] = h.read(wi);
    snap("idx7");
    wr("wide_fc", wfc, 0x80);  // a second error keeps the first one's code and address
    snap("wide_fc");
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);
    snap("cleared");
    // Q2.13 words: raw 16-bit or sign-extended; read back sign-extended.
    wr("bias_17bit", bi, 0x00018000);
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);
    wr("bias_raw", bi, 0x8000);
    val["bias_raw"] = h.read(bi);
    wr("bias_sext", bi + 4, 0xFFFFFFFE);
    val["bias_sext"] = h.read(bi + 4);
    wr("bias_pos", bi + 8, 0x7FFF);
    val["bias_pos"] = h.read(bi + 8);
    snap("values_ok");
    // A repeated idx in a group is caught by COMMIT, which then changes nothing.
    wr("repeat_idx", wi + 4, (w0 & 0xF0) | (w1 & 0xF));
    h.write(R::CTRL, R::CTRL_COMMIT);
    snap("bad_commit");
    val["commits_bad"] = h.read(R::COMMITS);
    wr("restore", wi + 4, w1);
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR | R::CTRL_COMMIT);
    snap("good_commit");
    val["commits_good"] = h.read(R::COMMITS);
    // While an inference runs: START, COMMIT and IMAGE writes are refused.
    h.write(R::CTRL, R::CTRL_START);
    snap("running");
    h.write(R::CTRL, R::CTRL_START);
    snap("start_busy");
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR | R::CTRL_COMMIT);
    snap("commit_busy");
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);
    wr("image_busy", lay.base(R::kWinImage) + 8, 0x01020304);
    snap("image_busy");
    wr("weights_busy", wi, w0);  // staging weights while running is fine
    while (h.read(R::STATUS) & R::STATUS_BUSY) sc_core::wait(period(a) * 10.0);
    snap("finished");
    val["inferences"] = h.read(R::INFERENCES);
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);
    snap("final");
  });
  using namespace R;
  CHECK(rsp["idx7"] == tlm::TLM_GENERIC_ERROR_RESPONSE);
  CHECK(val["w0_after_idx7"] != 0x70);
  CHECK(s["idx7"].status == STATUS_ERROR);
  CHECK(s["idx7"].code == kErrValue);
  CHECK(s["idx7"].addr == wi);
  CHECK(rsp["wide_fc"] == tlm::TLM_GENERIC_ERROR_RESPONSE);
  CHECK(s["wide_fc"].code == kErrValue);
  CHECK(s["wide_fc"].addr == wi);
  CHECK(s["cleared"].status == 0);
  CHECK(s["cleared"].code == kErrNone);
  CHECK(s["cleared"].addr == 0);
  CHECK(rsp["bias_17bit"] == tlm::TLM_GENERIC_ERROR_RESPONSE);
  CHECK(rsp["bias_raw"] == tlm::TLM_OK_RESPONSE);
  CHECK(val["bias_raw"] == 0xFFFF8000u);
  CHECK(val["bias_sext"] == 0xFFFFFFFEu);
  CHECK(val["bias_pos"] == 0x7FFFu);
  CHECK(s["values_ok"].status == STATUS_DIRTY);
  CHECK(rsp["repeat_idx"] == tlm::TLM_OK_RESPONSE);
  CHECK(s["bad_commit"].status == (STATUS_ERROR | STATUS_DIRTY));
  CHECK(s["bad_commit"].code == kErrWeights);
  CHECK(s["bad_commit"].addr == wi + 4);
  CHECK(val["commits_bad"] == 0);
  CHECK(s["good_commit"].status == 0);
  CHECK(val["commits_good"] == 1);
  CHECK(s["running"].status == STATUS_BUSY);
  CHECK(s["start_busy"].status == (STATUS_BUSY | STATUS_ERROR));
  CHECK(s["start_busy"].code == kErrBusy);
  CHECK(s["start_busy"].addr == CTRL);
  CHECK(s["commit_busy"].code == kErrBusy);
  CHECK(rsp["image_busy"] == tlm::TLM_GENERIC_ERROR_RESPONSE);
  CHECK(s["image_busy"].code == kErrBusy);
  CHECK(s["image_busy"].addr == lay.base(kWinImage) + 8);
  CHECK(rsp["weights_busy"] == tlm::TLM_OK_RESPONSE);
  CHECK(s["finished"].status == (STATUS_DONE | STATUS_ERROR | STATUS_DIRTY));
  CHECK(val["inferences"] == 1);
  CHECK(s["final"].status == (STATUS_DONE | STATUS_DIRTY));
}

TEST_CASE("tlm: TIMEOUT resets a stuck pipeline and reports ERR_TIMEOUT", "[tlm]") {
  const ArchConfig a = config("default");
  Model shape;
  const Model m = random_model(shape, 7);
  uint32_t status = 0, code = 0, inferences = 0;
  uint64_t t_start = 0, t_end = 0;
  accel::lstm_accel_tlm* dev = nullptr;
  simulate(
      m, a,
      [&](host_initiator& h) {
        h.write(R::TIMEOUT, 3000);
        t_start = dev->cycle();
        h.write(R::CTRL, R::CTRL_START);
        while (h.read(R::STATUS) & R::STATUS_BUSY) sc_core::wait(period(a) * 50.0);
        t_end = dev->cycle();
        status = h.read(R::STATUS);
        code = h.read(R::ERR_CODE);
        inferences = h.read(R::INFERENCES);
      },
      [&](accel::lstm_accel_tlm& d) {
        dev = &d;
        REQUIRE(accel::freeze(d.top(), "fc"));
      });
  CHECK(status == R::STATUS_ERROR);  // not busy, not done
  CHECK(code == R::kErrTimeout);
  CHECK(inferences == 0);
  CHECK(t_end - t_start > 3000);
  CHECK(t_end - t_start < 3000 + 200);
}

TEST_CASE("tlm: transport_dbg reads everything, writes windows, takes no time and sets no status", "[tlm]") {
  const ArchConfig a = config("default");
  Model shape;
  const Model m = random_model(shape, 8);
  const R::Layout lay = R::layout(a);
  const uint64_t img = lay.base(R::kWinImage), bfc = lay.base(R::kWinBfc);
  unsigned n_rd = 0, n_wr = 0, n_ro = 0, n_bad = 0, n_off = 0;
  uint32_t cfg[2] = {0, 0}, rb[2] = {0, 0}, status = 0, bfc_last = 0;
  sc_time dt;
  simulate(m, a, [&](host_initiator& h) {
    const sc_time t0 = sc_core::sc_time_stamp();
    n_rd = h.debug(tlm::TLM_READ_COMMAND, R::CFG_I, cfg, 8);
    uint32_t px[2] = {0x04030201, 0x08070605};
    n_wr = h.debug(tlm::TLM_WRITE_COMMAND, img, px, 8);
    uint32_t v = 1;
    n_ro = h.debug(tlm::TLM_WRITE_COMMAND, R::TIMEOUT, &v, 4);  // registers are not debug-writable
    v = 0x7F;
    n_bad = h.debug(tlm::TLM_WRITE_COMMAND, lay.base(R::kWinW), &v, 4);  // idx 7 >= c
    uint32_t two[2] = {0, 0};
    n_off = h.debug(tlm::TLM_READ_COMMAND, bfc + lay.bytes(R::kWinBfc) - 4, two, 8);  // runs off the end
    bfc_last = two[0];
    dt = sc_core::sc_time_stamp() - t0;
    rb[0] = h.read(img);
    rb[1] = h.read(img + 4);
    status = h.read(R::STATUS);
  });
  CHECK(dt == sc_core::SC_ZERO_TIME);
  CHECK(n_rd == 8);
  CHECK(cfg[0] == uint32_t(a.I));
  CHECK(cfg[1] == uint32_t(a.H));
  CHECK(n_wr == 8);
  CHECK(rb[0] == 0x04030201u);
  CHECK(rb[1] == 0x08070605u);
  CHECK(n_ro == 0);
  CHECK(n_bad == 0);
  CHECK(n_off == 4);
  CHECK(bfc_last == static_cast<uint32_t>(int32_t(m.b_fc.back())));
  CHECK(status == 0);
}

TEST_CASE("tlm: CONFIG and window registers with a CNN front end (cnn_small)", "[tlm][cnn]") {
  const ArchConfig a = config("cnn_small");
  const Model m = random_model(load_model(testutil::model_dir("fmnist-cnn-lstm")), 31);
  const R::Layout lay = R::layout(a);
  std::vector<uint32_t> cfg, table, conv_w, conv_b;
  accel::DeviceInfo d;
  uint32_t version = 0;
  std::string lstm_model_error;
  simulate(m, a, [&](host_initiator& h) {
    version = h.read(R::VERSION);
    cfg = h.read_words(R::CFG_FIRST, (R::CFG_LAST - R::CFG_FIRST) / 4 + 1);
    table = h.read_words(R::WIN_TABLE, 2 * R::kWindows);
    d = accel::probe(h);
    conv_w = h.read_words(d.layout.base(R::kWinConvW), d.layout.entries[R::kWinConvW]);
    conv_b = h.read_words(d.layout.base(R::kWinConvB), d.layout.entries[R::kWinConvB]);
    // A kind lstm model does not fit this device: refused before any write.
    try {
      accel::load_weights(h, d, load_model(testutil::model_dir("fmnist-lstm")));
    } catch (const InputError& e) {
      lstm_model_error = e.what();
    }
  });
  auto reg = [&](uint32_t r) { return cfg.at((r - R::CFG_FIRST) / 4); };
  CHECK(version == 0x00010001u);
  CHECK(reg(R::CFG_I) == 28);  // Conv1d output channels = LSTM input
  CHECK(reg(R::CFG_T) == 14);  // pooled steps
  CHECK(reg(R::CFG_CNN_IN) == 28);
  CHECK(reg(R::CFG_CONV_LANES) == 21);
  CHECK(reg(R::CFG_IMAGE_ROWS) == 28);
  CHECK(reg(R::CFG_IMAGE_COLS) == 28);
  CHECK(reg(R::CFG_WIN_COUNT) == 17);
  CHECK(reg(R::CFG_WIN_STRIDE) == 0x10000);
  for (int n = 0; n < R::kWindows; ++n) {
    INFO("window " << R::window_name(n));
    CHECK(table[2 * n] == uint32_t(n + 1) * 0x10000);
    CHECK(table[2 * n + 1] == lay.bytes(n));
    CHECK(d.layout.entries[n] == lay.entries[n]);
  }
  CHECK(lay.bytes(R::kWinImage) == 784);       // 28 x 28 pixels
  CHECK(lay.bytes(R::kWinConvW) == 4 * 2352);  // 28 out x 28 in x 3 taps
  CHECK(lay.bytes(R::kWinConvB) == 4 * 28);
  CHECK(lay.bytes(R::kWinW) == 4 * 28 * 16);
  CHECK(d.arch.cnn_in == a.cnn_in);
  CHECK(d.arch.conv_lanes == a.conv_lanes);
  CHECK(d.arch.image_rows() == 28);
  CHECK(d.arch.T == 14);
  // The conv windows read back as the initial model's Q2.13 words, sign-extended.
  CHECK(conv_w == R::window_words(m, R::kWinConvW));
  CHECK(conv_b == R::window_words(m, R::kWinConvB));
  REQUIRE(conv_w.size() == m.conv_w.size());
  CHECK(conv_w[7] == static_cast<uint32_t>(int32_t(m.conv_w[7])));
  CHECK_THAT(lstm_model_error, Catch::Contains("the config has a CNN front end (cnn_in > 0) but the model is kind lstm"));
}

TEST_CASE("tlm: conv window errors: VALUE on a conv word, COMMIT all or nothing, conv weights used after COMMIT",
          "[tlm][cnn]") {
  const ArchConfig a = config("cnn_default");
  const Model m0 = random_model(load_model(testutil::model_dir("fmnist-cnn-lstm")), 37);
  // m1: m0 with another Conv1d.
  Model m1 = m0;
  const Model other = random_model(m0, 38);
  m1.conv_w = other.conv_w;
  m1.conv_b = other.conv_b;
  const R::Layout lay = R::layout(a);
  const uint64_t cw = lay.base(R::kWinConvW), cb = lay.base(R::kWinConvB), wi = lay.base(R::kWinW);
  const ImageSet imgs = sample_images();
  const sc_time gap = period(a) * 8.0;
  struct Snap {
    uint32_t status, code, addr;
  };
  std::map<std::string, Snap> s;
  std::map<std::string, tlm::tlm_response_status> rsp;
  std::map<std::string, uint32_t> val;
  RunResult after_bad, after_good;
  simulate(m0, a, [&](host_initiator& h) {
    const accel::DeviceInfo d = accel::probe(h);
    auto snap = [&](const std::string& k) { s[k] = {h.read(R::STATUS), h.read(R::ERR_CODE), h.read(R::ERR_ADDR)}; };
    auto wr = [&](const std::string& k, uint64_t addr, uint32_t v) {
      rsp[k] = h.transact(tlm::TLM_WRITE_COMMAND, addr, &v, 4);
    };
    val["cw5_before"] = h.read(cw + 20);
    wr("cw_17bit", cw + 20, 0x00012345);  // not a 16-bit word
    val["cw5_after"] = h.read(cw + 20);
    snap("cw_17bit");
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);
    wr("cb_17bit", cb + 4, 0xFFFF0000);  // neither raw nor sign-extended
    snap("cb_17bit");
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);
    wr("cw_raw", cw, 0x8000);
    val["cw_raw"] = h.read(cw);
    snap("values_ok");
    // Stage m1's Conv1d and a W_i group with a repeated idx: COMMIT fails
    // and loads nothing, the Conv1d included.
    h.write_words(cw, R::window_words(m1, R::kWinConvW));
    h.write_words(cb, R::window_words(m1, R::kWinConvB));
    const uint32_t w0 = h.read(wi), w1 = h.read(wi + 4);
    wr("repeat_idx", wi + 4, (w0 & 0xF0) | (w1 & 0xF));
    h.write(R::CTRL, R::CTRL_COMMIT);
    snap("bad_commit");
    val["commits_bad"] = h.read(R::COMMITS);
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);  // run_inference refuses a sticky ERROR
    accel::write_image(h, d, imgs.image(0));
    after_bad = accel::run_inference(h, d, gap);
    // Restore the group: COMMIT now loads the new Conv1d.
    wr("restore", wi + 4, w1);
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR | R::CTRL_COMMIT);
    snap("good_commit");
    val["commits_good"] = h.read(R::COMMITS);
    after_good = accel::run_inference(h, d, gap);
  });
  using namespace R;
  CHECK(rsp["cw_17bit"] == tlm::TLM_GENERIC_ERROR_RESPONSE);
  CHECK(val["cw5_after"] == val["cw5_before"]);
  CHECK(s["cw_17bit"].status == STATUS_ERROR);
  CHECK(s["cw_17bit"].code == kErrValue);
  CHECK(s["cw_17bit"].addr == cw + 20);
  CHECK(rsp["cb_17bit"] == tlm::TLM_GENERIC_ERROR_RESPONSE);
  CHECK(s["cb_17bit"].code == kErrValue);
  CHECK(s["cb_17bit"].addr == cb + 4);
  CHECK(rsp["cw_raw"] == tlm::TLM_OK_RESPONSE);
  CHECK(val["cw_raw"] == 0xFFFF8000u);
  CHECK(s["values_ok"].status == STATUS_DIRTY);
  CHECK(s["bad_commit"].status == (STATUS_ERROR | STATUS_DIRTY));
  CHECK(s["bad_commit"].code == kErrWeights);
  CHECK(s["bad_commit"].addr == wi + 4);
  CHECK(val["commits_bad"] == 0);
  CHECK(s["good_commit"].status == STATUS_DONE);
  CHECK(val["commits_good"] == 1);
  const Inference r0 = infer(m0, imgs.image(0)), r1 = infer(m1, imgs.image(0));
  REQUIRE(r0.logits != r1.logits);  // the two Conv1d differ in their results
  CHECK(after_bad.logits == r0.logits);
  CHECK(after_good.cls == r1.cls);
  CHECK(after_good.logits == r1.logits);
  CHECK(after_good.cycles == timing(a).latency);
}

TEST_CASE("tlm: the device refuses a model whose kind does not match the config", "[tlm][cnn]") {
  // Elaboration stops at the first module: one construction per process.
  const Model cnn = load_model(testutil::model_dir("fmnist-cnn-lstm"));
  CHECK_THROWS_WITH(accel::lstm_accel_tlm("accel", cnn, config("default")),
                    Catch::Contains("the model is kind cnn-lstm but the config has no CNN front end"));
}

// ---- Stacked layers (interface 1.2) -----------------------------------------

TEST_CASE("tlm: stacked fmnist-lstm2: VERSION 1.2, CFG_LAYERS, per-layer CONFIG and the layer-2 windows",
          "[tlm][stacked]") {
  const ArchConfig a = config("stacked/fmnist-lstm2");
  const Model m = load_model(testutil::model_dir("fmnist-lstm2"));
  const Model initial = random_model(m, 41);
  const R::Layout lay = R::layout(a);
  const int nwin = R::window_count(2);
  uint32_t version = 0, layers = 0, win_count = 0;
  std::vector<uint32_t> l2, table;
  std::vector<std::vector<uint32_t>> readback(static_cast<size_t>(nwin));
  std::map<std::string, tlm::tlm_response_status> rsp;
  accel::DeviceInfo d;
  std::string one_layer_error;
  simulate(initial, a, [&](host_initiator& h) {
    version = h.read(R::VERSION);
    layers = h.read(R::CFG_LAYERS);
    win_count = h.read(R::CFG_WIN_COUNT);
    l2 = h.read_words(R::CFG_LAYER(2, 0), R::kLayerCfgWords);
    table = h.read_words(R::WIN_TABLE, 2 * size_t(nwin));
    d = accel::probe(h);
    for (int n = R::kWinW; n < nwin; ++n) readback[size_t(n)] = h.read_words(lay.base(n), lay.entries[size_t(n)]);
    auto rd = [&](const std::string& k, uint64_t addr) {
      uint32_t v = 0;
      rsp[k] = h.transact(tlm::TLM_READ_COMMAND, addr, &v, 4);
    };
    rd("layer block reserved", R::CFG_LAYER(2, 4 * R::kLayerCfgWords));
    rd("layer 3 block", R::CFG_LAYER(3, 0));
    rd("after the window table", R::WIN_TABLE + 8u * uint32_t(nwin));
    rd("after l2_W_i", lay.base(R::window_of_layer(1, 0)) + lay.bytes(R::window_of_layer(1, 0)));
    rd("beyond the last window", uint64_t(nwin + 1) * lay.stride);
    rd("CFG_LAYERS", R::CFG_LAYERS);
    // A one-layer model does not fit this device: refused before any write.
    try {
      accel::load_weights(h, d, load_model(testutil::model_dir("fmnist-lstm")));
    } catch (const InputError& e) {
      one_layer_error = e.what();
    }
  });
  CHECK(version == 0x00010002u);
  CHECK(version == R::kVersionStacked);
  CHECK(layers == 2);
  CHECK(win_count == 29);
  CHECK(l2 == std::vector<uint32_t>{28, 64, 1, 4, 2});  // H, mvm_lanes, mvm_groups, ewu_lanes, spx_buffers
  REQUIRE(lay.count() == 29);
  CHECK(lay.stride == 0x10000);
  for (int n = 0; n < nwin; ++n) {
    INFO("window " << R::window_name(n));
    CHECK(table[2 * size_t(n)] == uint32_t(n + 1) * 0x10000);
    CHECK(table[2 * size_t(n) + 1] == lay.bytes(n));
  }
  // Layer 1's windows and the FC keep their 1.1 numbers; layer 2's follow 16.
  CHECK(R::window_name(17) == "l2_W_i");
  CHECK(R::window_name(21) == "l2_U_i");
  CHECK(R::window_name(28) == "l2_b_o");
  CHECK(R::window_of_layer(1, 0) == 17);
  CHECK(lay.bytes(R::kWinW) == 4 * 28 * 16);
  CHECK(lay.bytes(R::kWinWfc) == 4 * 10 * 16);  // the FC reads the last layer's h_T
  CHECK(lay.bytes(R::kWinConvW) == 0);
  for (int p = 0; p < 4; ++p) {
    CHECK(lay.bytes(R::window_of_layer(1, p)) == 4 * 28 * 4 * 4);      // W: H x (H_1/c) x k
    CHECK(lay.bytes(R::window_of_layer(1, 4 + p)) == 4 * 28 * 4 * 4);  // U: H x (H/c) x k
    CHECK(lay.bytes(R::window_of_layer(1, 8 + p)) == 4 * 28);          // b
  }
  REQUIRE(d.arch.num_layers() == 2);
  CHECK(d.version == R::kVersionStacked);
  CHECK(d.arch.more_layers[0].H == 28);
  CHECK(d.arch.more_layers[0].mvm_lanes == 64);
  CHECK(d.arch.more_layers[0].ewu_lanes == 4);
  CHECK(d.arch.mvm_lanes == 64);
  CHECK(d.layout.count() == 29);
  CHECK(d.layout.entries == lay.entries);
  for (int n = R::kWinW; n < nwin; ++n) {
    INFO("window " << R::window_name(n));
    CHECK(readback[size_t(n)] == R::window_words(initial, n));
  }
  CHECK(R::window_words(m, R::window_of_layer(1, 0)).size() == 448);
  CHECK(R::window_words(load_model(testutil::model_dir("fmnist-lstm")), R::window_of_layer(1, 0)).empty());
  CHECK(rsp["layer block reserved"] == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  CHECK(rsp["layer 3 block"] == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  CHECK(rsp["after the window table"] == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  CHECK(rsp["after l2_W_i"] == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  CHECK(rsp["beyond the last window"] == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  CHECK(rsp["CFG_LAYERS"] == tlm::TLM_OK_RESPONSE);
  CHECK_THAT(one_layer_error, Catch::Contains("the config has 2 LSTM layers but the model 1"));
}

TEST_CASE("tlm: host flow on 16 Fashion-MNIST test images, stacked config, fmnist-lstm2", "[tlm][stacked]") {
  host_flow(load_model(testutil::model_dir("fmnist-lstm2")), config("stacked/fmnist-lstm2"), sample_images(), 16);
}

TEST_CASE("tlm: host flow, random 3-layer model of other hidden sizes (28, 14, 21)", "[tlm][stacked]") {
  Model shape;
  shape.set_hidden({28, 14, 21});  // layer 2's W is 14 x (28/7)k, layer 3's 21 x (14/7)k
  const Model m = random_model(shape, 47);
  ArchConfig a = arch_for_model(m);
  a.more_layers[0].mvm_lanes = 32;  // 2 rows per block
  a.more_layers[0].ewu_lanes = 2;
  validate_arch(a, "test");
  const R::Layout lay = R::layout(a);
  REQUIRE(lay.count() == 41);
  CHECK(lay.entries[size_t(R::window_of_layer(1, 0))] == 14 * 4 * 4);
  CHECK(lay.entries[size_t(R::window_of_layer(1, 4))] == 14 * 2 * 4);
  CHECK(lay.entries[size_t(R::window_of_layer(2, 0))] == 21 * 2 * 4);
  CHECK(lay.entries[size_t(R::window_of_layer(2, 11))] == 21);
  CHECK(lay.entries[R::kWinWfc] == 10 * 3 * 4);  // the FC reads layer 3's h_T
  host_flow(m, a, sample_images(), 4);
}

TEST_CASE("tlm: host flow, random stacked cnn-lstm model (2 layers)", "[tlm][stacked][cnn]") {
  Model shape = load_model(testutil::model_dir("fmnist-cnn-lstm"));
  shape.set_hidden({28, 14});
  const Model m = random_model(shape, 53);
  host_flow(m, arch_for_model(m), sample_images(), 4);
}

TEST_CASE("tlm: stacked: a layer-2 weight window write changes the results only after COMMIT", "[tlm][stacked]") {
  const ArchConfig a = config("stacked/fmnist-lstm2");
  const Model m0 = load_model(testutil::model_dir("fmnist-lstm2"));
  // m1: m0 with another layer 2 (layer 1 and the FC unchanged).
  Model m1 = m0;
  m1.layers[1] = random_model(m0, 43).layers[1];
  const R::Layout lay = R::layout(a);
  const int first = R::window_of_layer(1, 0), last = R::window_of_layer(1, R::kLayerWindows - 1);
  const uint64_t l2wi = lay.base(first), l2uo = lay.base(R::window_of_layer(1, 7));
  const ImageSet imgs = sample_images();
  const sc_time gap = period(a) * 8.0;
  struct Snap {
    uint32_t status, code, addr;
  };
  std::map<std::string, Snap> s;
  std::map<std::string, tlm::tlm_response_status> rsp;
  std::map<std::string, uint32_t> val;
  RunResult before, staged, after_bad, after;
  simulate(m0, a, [&](host_initiator& h) {
    const accel::DeviceInfo d = accel::probe(h);
    auto snap = [&](const std::string& k) { s[k] = {h.read(R::STATUS), h.read(R::ERR_CODE), h.read(R::ERR_ADDR)}; };
    accel::write_image(h, d, imgs, 0);
    before = accel::run_inference(h, d, gap);
    // A layer-2 word that does not fit the entry format (idx 7 >= c).
    uint32_t bad = 0x70;
    rsp["l2_idx7"] = h.transact(tlm::TLM_WRITE_COMMAND, l2wi, &bad, 4);
    snap("l2_idx7");
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);
    // Stage m1's layer 2: the device keeps computing with m0.
    for (int n = first; n <= last; ++n) h.write_words(lay.base(n), R::window_words(m1, n));
    snap("staged");
    staged = accel::run_inference(h, d, gap);
    // A repeated idx in a layer-2 group: COMMIT fails and loads nothing.
    const uint32_t u0 = h.read(l2uo), u1 = h.read(l2uo + 4);
    h.write(l2uo + 4, (u0 & 0xF0) | (u1 & 0xF));
    h.write(R::CTRL, R::CTRL_COMMIT);
    snap("bad_commit");
    val["commits_bad"] = h.read(R::COMMITS);
    h.write(R::CTRL, R::CTRL_CLEAR_ERROR);
    after_bad = accel::run_inference(h, d, gap);
    h.write(l2uo + 4, u1);
    h.write(R::CTRL, R::CTRL_COMMIT);
    snap("good_commit");
    val["commits_good"] = h.read(R::COMMITS);
    after = accel::run_inference(h, d, gap);
  });
  using namespace R;
  const Inference r0 = infer(m0, imgs.image(0)), r1 = infer(m1, imgs.image(0));
  REQUIRE(r0.logits != r1.logits);  // the two layer 2s differ in their results
  CHECK(before.logits == r0.logits);
  CHECK(rsp["l2_idx7"] == tlm::TLM_GENERIC_ERROR_RESPONSE);
  CHECK(s["l2_idx7"].code == kErrValue);
  CHECK(s["l2_idx7"].addr == l2wi);
  CHECK(s["staged"].status == (STATUS_DONE | STATUS_DIRTY));
  CHECK(staged.cls == r0.cls);
  CHECK(staged.logits == r0.logits);  // staged layer-2 weights are not used before COMMIT
  CHECK(s["bad_commit"].status == (STATUS_DONE | STATUS_ERROR | STATUS_DIRTY));
  CHECK(s["bad_commit"].code == kErrWeights);
  CHECK(s["bad_commit"].addr == l2uo + 4);
  CHECK(val["commits_bad"] == 0);
  CHECK(after_bad.logits == r0.logits);
  CHECK(s["good_commit"].status == STATUS_DONE);
  CHECK(val["commits_good"] == 1);
  CHECK(after.cls == r1.cls);
  CHECK(after.logits == r1.logits);
  CHECK(after.cycles == timing(a).latency);
}
