// rtlsim: classifies images with the Verilated RTL top in a plain C++ loop
// (no SystemC kernel): the speed anchor for the benchmarks. Built for one
// architecture config (CMake option RTL_ARCH); the model's weights are
// loaded at run time (ROM images in a temporary directory, +rom_dir).
// rtlsim_cnn is the same loop around the CNN-LSTM top (cnn_lstm_accel),
// built for RTL_CNN_ARCH (RTLSIM_CNN = 1).
//
//   rtlsim --model DIR --arch CFG --images IDX [--labels IDX] [--count N] [--json FILE]
//
// It prints and writes (--json) the same report as `lstmsim run --level
// fast|ca` through lstm::report, and is what `lstmsim run --level rtl` runs.
// The driver loop (reset, feed pixels, take results) is rtl_driver.hpp.
//
// Exit status: 0 success, 1 user error, 2 internal error or a result that
// differs from the bit-exact reference.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include RTL_HEADER
#include "arch/arch.hpp"
#include "formats/error.hpp"
#include "formats/model.hpp"
#include "report/report.hpp"
#include "rtlgen/rom_layout.hpp"
#include "arch/timing.hpp"
#include "rtl_driver.hpp"
#include "verilated.h"

namespace report = lstm::report;
namespace rtl = lstm::rtl;
using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::rtlgen;

namespace {

const std::string kName = RTLSIM_CNN ? "rtlsim_cnn" : "rtlsim";

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
  ArchConfig a = o.arch.empty() ? arch_for_model(m) : load_arch(o.arch);
  check_arch_matches_model(a, m, o.arch.empty() ? o.model : o.arch, /*stacked_ok=*/true);  // lstm_stack
  const report::Dataset d = report::load_dataset(m, o.images, o.labels, o.count, o.arch.empty() ? nullptr : &a, o.arch);
  if (o.arch.empty()) a.input_words = d.images.is_words;  // the default design takes what the file holds
  const std::string built = RTL_PARAMS;
  if (lstm::arch::verilator_params(a) != built)
    throw InputError((o.arch.empty() ? std::string("default config") : o.arch) +
                     ": " + kName + " was built for another config (" + built + "); reconfigure with -D" +
                     (RTLSIM_CNN ? "RTL_CNN_ARCH" : "RTL_ARCH") + "=<config.json> to simulate this one");
  report::check_writable(o.json_out);

  // The weights, as ROM images the RTL reads at start-up.
  std::random_device rd;
  const auto romdir = std::filesystem::temp_directory_path() / ("rtlsim_rom_" + std::to_string(rd()));
  lstm::rtlgen::write_rom_images(m, a, romdir.string());
  const std::string plus = "+rom_dir=" + romdir.string();
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  const char* extra[] = {"rtlsim", plus.c_str()};
  ctx->commandArgsAdd(2, extra);
  auto top = std::make_unique<RTL_TOP>(ctx.get());
  rtl::DriveOptions dopt;
  dopt.pixels_per_beat = a.pixels_per_beat;
  dopt.classes = a.classes;
  dopt.sink_hold = o.sink_hold;
  dopt.max_cycles = o.max_cycles;
  // No pixel taken and no result for this many cycles: the RTL is stuck.
  dopt.watchdog = o.watchdog ? o.watchdog : std::max<uint64_t>(20000, 2 * timing(a).latency);
  const auto t0 = std::chrono::steady_clock::now();
  rtl::DriveResult dr = rtl::drive(*top, d.images, d.images.count, dopt);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  top->final();
  std::filesystem::remove_all(romdir);
  if (!dr.error.empty()) {
    std::fprintf(stderr, "%s: %s\n", kName.c_str(), dr.error.c_str());
    return 2;
  }

  // The same report as `lstmsim run --level fast|ca`; the RTL's ports show
  // no MVM beats or block counters (null in the report).
  report::Results r;
  r.level = "rtl";
  r.cls = std::move(dr.cls);
  r.logits = std::move(dr.logits);
  r.first_beat = std::move(dr.first_beat);
  r.result_cycle = std::move(dr.result_cycle);
  r.total_cycles = dr.cycles;
  r.wall_seconds = wall;
  const report::json rep = report::build(m, o.model, &a, d, r);
  report::print(rep, o.quiet);
  if (!o.json_out.empty()) report::write(o.json_out, rep);
  return report::matches_reference(rep) ? 0 : 2;
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
  app.add_option("--json", o.json_out, "write the JSON report (SPEC Part C, docs/formats.md) to FILE");
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
