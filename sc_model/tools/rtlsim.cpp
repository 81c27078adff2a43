// rtlsim: classifies images with the Verilated RTL top in a plain C++ loop
// (no SystemC kernel): the speed anchor for the benchmarks. Built for one
// architecture config (CMake option RTL_ARCH); the model's weights are
// loaded at run time (ROM images in a temporary directory, +rom_dir).
// rtlsim_cnn is the same loop around the CNN-LSTM top (cnn_lstm_accel),
// built for RTL_CNN_ARCH (RTLSIM_CNN = 1).
//
//   rtlsim --model DIR --arch CFG --images IDX [--labels IDX] [--count N] [--json FILE]
//
// Exit status: 0 success, 1 user error, 2 internal error or a result that
// differs from the bit-exact reference.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <type_traits>

#include RTL_HEADER
#include "lstm/arch.hpp"
#include "lstm/error.hpp"
#include "lstm/idx.hpp"
#include "lstm/model.hpp"
#include "lstm/reference.hpp"
#include "lstm/timing.hpp"
#include "lstm/rom_layout.hpp"
#include "verilated.h"

using namespace lstm;
using json = nlohmann::ordered_json;

namespace {

const std::string kName = RTLSIM_CNN ? "rtlsim_cnn" : "rtlsim";

// A Verilated port is an integer up to 64 bits and a VlWide (32-bit words)
// above; these read / write 32-bit word j of either.
template <typename T>
uint32_t word_of(const T& v, int j) {
  if constexpr (std::is_integral_v<T>) return static_cast<uint32_t>(static_cast<uint64_t>(v) >> (32 * j));
  else return v[j];
}
template <typename T>
void set_bytes(T& port, const uint8_t* px, int n) {
  if constexpr (std::is_integral_v<T>) {
    uint64_t d = 0;
    for (int i = 0; i < n; ++i) d |= uint64_t(px[i]) << (8 * i);
    port = static_cast<T>(d);
  } else {
    for (int w = 0; w < (n + 3) / 4; ++w) {
      uint32_t d = 0;
      for (int i = 0; i < 4 && 4 * w + i < n; ++i) d |= uint32_t(px[4 * w + i]) << (8 * i);
      port[w] = d;
    }
  }
}

struct Opts {
  std::string model, arch, images, labels, json_out;
  size_t count = 0;
  bool quiet = false;
  uint64_t max_cycles = 0, sink_hold = 0;
  uint64_t watchdog = 0;  // 0: max(20000, 2 x the formula's latency)
};

int run(const Opts& o, int argc, char** argv) {
  const Model m = load_model(o.model);
  if (m.has_cnn() != bool(RTLSIM_CNN))
    throw file_error(o.model, 0, RTLSIM_CNN ? "rtlsim_cnn runs kind cnn-lstm models only (rtlsim runs kind lstm)"
                                            : "rtlsim runs kind lstm models only (rtlsim_cnn runs kind cnn-lstm)");
  const ArchConfig a = o.arch.empty() ? arch_for_model(m) : load_arch(o.arch);
  check_arch_matches_model(a, m, o.arch.empty() ? o.model : o.arch);
  const std::string built = RTL_PARAMS;
  if (lstm::verilator_params(a) != built)
    throw InputError((o.arch.empty() ? std::string("default config") : o.arch) +
                     ": " + kName + " was built for another config (" + built + "); reconfigure with -D" +
                     (RTLSIM_CNN ? "RTL_CNN_ARCH" : "RTL_ARCH") + "=<config.json> to simulate this one");
  ImageSet imgs = read_idx_images(o.images, o.count);
  if (imgs.rows != m.T || imgs.cols != m.I)
    throw file_error(o.images, 0, "images are " + std::to_string(imgs.rows) + "x" + std::to_string(imgs.cols) +
                                      ", the model expects " + std::to_string(m.T) + "x" + std::to_string(m.I));
  std::vector<uint8_t> labels;
  if (!o.labels.empty()) {
    labels = read_idx_labels(o.labels, imgs.count);
    if (labels.size() < imgs.count)
      throw file_error(o.labels, 0, "has " + std::to_string(labels.size()) + " labels for " +
                                        std::to_string(imgs.count) + " images");
    for (size_t n = 0; n < labels.size(); ++n)
      if (labels[n] >= m.classes)
        throw file_error(o.labels, 0, "label " + std::to_string(labels[n]) + " of item " + std::to_string(n) +
                                          " is not a class of the model (0.." + std::to_string(m.classes - 1) + ")");
  }
  if (!o.json_out.empty() && !std::filesystem::is_directory(std::filesystem::absolute(o.json_out).parent_path()))
    throw file_error(o.json_out, 0, "cannot write JSON report: directory " +
                                        std::filesystem::absolute(o.json_out).parent_path().string() + " does not exist");
  // No pixel taken and no result for this many cycles: the RTL is stuck.
  const uint64_t watchdog = o.watchdog ? o.watchdog : std::max<uint64_t>(20000, 2 * timing(a).latency);

  // The weights, as ROM images the RTL reads at start-up.
  std::random_device rd;
  const auto romdir = std::filesystem::temp_directory_path() / ("rtlsim_rom_" + std::to_string(rd()));
  lstm::write_rom_images(m, a, romdir.string());
  const std::string plus = "+rom_dir=" + romdir.string();
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  const char* extra[] = {"rtlsim", plus.c_str()};
  ctx->commandArgsAdd(2, extra);
  auto top = std::make_unique<RTL_TOP>(ctx.get());
  const int P = a.pixels_per_beat, px_per_img = imgs.rows * imgs.cols;
  size_t img = 0, pos = 0;
  std::vector<uint64_t> first_beat, res_cycle;
  std::vector<int> classes;
  std::vector<std::vector<int64_t>> logits;
  uint64_t cycle = 0, hold_left = 0, last_move = 0;
  auto tick = [&] {
    top->clk_i = 1;
    top->eval();
    top->clk_i = 0;
    top->eval();
  };
  top->rst_ni = 0;
  top->pix_valid_i = 0;
  top->res_ready_i = 1;
  top->clk_i = 0;
  top->eval();
  tick();
  tick();
  top->rst_ni = 1;
  const auto t0 = std::chrono::steady_clock::now();
  while (res_cycle.size() < imgs.count) {
    // Inputs for this cycle.
    const bool offer = img < imgs.count;
    top->pix_valid_i = offer;
    top->res_ready_i = hold_left == 0;
    if (offer) {
      set_bytes(top->pix_data_i, imgs.image(img) + pos, P);
    }
    top->eval();
    const bool pix_fire = offer && top->pix_ready_o;
    const bool res_fire = top->res_valid_o && top->res_ready_i;
    if (hold_left > 0) --hold_left;
    if (res_fire) hold_left = o.sink_hold;
    if (res_fire) {
      classes.push_back(static_cast<int>(top->res_class_o));
      std::vector<int64_t> l(a.classes);
      for (int j = 0; j < a.classes; ++j) l[j] = static_cast<int32_t>(word_of(top->res_logits_o, j));
      logits.push_back(std::move(l));
    }
    tick();
    ++cycle;
    if (res_fire) res_cycle.push_back(cycle);
    if (pix_fire) {
      if (pos == 0) first_beat.push_back(cycle);
      pos += P;
      if (pos == static_cast<size_t>(px_per_img)) {
        pos = 0;
        ++img;
      }
    }
    if (pix_fire || res_fire || hold_left > 0) last_move = cycle;  // a held sink is not a stuck pipeline
    if (cycle - last_move >= watchdog) {
      std::fprintf(stderr,
                   "rtlsim: watchdog: no pixel taken and no result for %llu cycles (at cycle %llu, %zu of %zu "
                   "results, pix_ready_o = %d, res_valid_o = %d): the RTL top is stuck\n",
                   static_cast<unsigned long long>(watchdog), static_cast<unsigned long long>(cycle),
                   res_cycle.size(), imgs.count, int(top->pix_ready_o), int(top->res_valid_o));
      return 2;
    }
    if (o.max_cycles && cycle >= o.max_cycles) {
      std::fprintf(stderr, "%s: cycle limit %llu reached with %zu of %zu results\n", kName.c_str(),
                   static_cast<unsigned long long>(o.max_cycles), res_cycle.size(), imgs.count);
      return 2;
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  top->final();
  std::filesystem::remove_all(romdir);

  size_t ref_ok = 0, correct = 0;
  json items = json::array();
  for (size_t n = 0; n < imgs.count; ++n) {
    const Inference ref = infer(m, imgs.image(n));
    ref_ok += ref.cls == classes[n] && ref.logits == logits[n];
    const uint64_t cyc = n == 0 ? res_cycle[0] - first_beat[0] : res_cycle[n] - res_cycle[n - 1];
    json it = {{"index", n}, {"class", classes[n]}};
    if (!labels.empty()) {
      it["label"] = labels[n];
      correct += labels[n] == classes[n];
    }
    it["logits"] = logits[n];
    it["cycles"] = cyc;
    items.push_back(it);
    if (!o.quiet) std::printf("image %zu: class %d  cycles %llu\n", n, classes[n], static_cast<unsigned long long>(cyc));
  }
  const size_t N = imgs.count;
  const double cpi = N > 1 ? double(res_cycle[N - 1] - res_cycle[0]) / double(N - 1) : double(res_cycle[0] - first_beat[0]);
  const Timing tm = timing(a);
  std::printf("images: %zu", N);
  if (!labels.empty()) std::printf("  accuracy: %.2f%%", 100.0 * correct / N);
  std::printf("\nreference: equal %zu/%zu\ncycles per inference: %.1f (formula %llu)\n", ref_ok, N, cpi,
              static_cast<unsigned long long>(tm.interval));
  std::printf("simulated %llu cycles in %.3f s: %.0f cycles/s, %.0f images/s (Verilator, plain C++ loop)\n",
              static_cast<unsigned long long>(cycle), wall, cycle / std::max(wall, 1e-9), N / std::max(wall, 1e-9));
  if (!o.json_out.empty()) {
    json summary = {{"images", N}, {"cycles_per_inference", cpi}, {"reference_matches", ref_ok},
                    {"total_cycles", cycle}, {"wall_seconds", wall}, {"cycles_per_second", cycle / std::max(wall, 1e-9)},
                    {"level", "rtl"}};
    if (!labels.empty()) summary["accuracy"] = double(correct) / double(N);
    std::ofstream f(o.json_out);
    if (!f) throw file_error(o.json_out, 0, "cannot write JSON report");
    f << json{{"images", items}, {"summary", summary}}.dump(1) << "\n";
  }
  return ref_ok == N ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rtlsim: the Verilated RTL top in a plain C++ loop"};
  Opts o;
  app.add_option("--model", o.model, "model directory")->required();
  app.add_option("--arch", o.arch, "architecture config JSON (must be the one rtlsim was built for)");
  app.add_option("--images", o.images, "IDX image file")->required();
  app.add_option("--labels", o.labels, "IDX label file");
  app.add_option("--count", o.count, "first N images")->check(CLI::PositiveNumber);
  app.add_option("--json", o.json_out, "JSON report");
  app.add_option("--max-cycles", o.max_cycles, "fail after N cycles");
  app.add_flag("--quiet,-q", o.quiet, "summary only");
  app.add_option("--sink-hold", o.sink_hold, "result consumer not ready for N cycles after each result");
  app.add_option("--watchdog", o.watchdog, "fail after N cycles with no pixel taken and no result")
      ->check(CLI::PositiveNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    return run(o, argc, argv);
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s: error: %s\n", kName.c_str(), e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: internal error: %s\n", kName.c_str(), e.what());
    return 2;
  }
}
