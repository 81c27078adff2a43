// lstmsim: the project's one command-line tool. Subcommands:
//   classify     the bit-exact C++ reference
//   run          simulate: --level ca (cycle-accurate SystemC, default),
//                fast (fast timed model) or rtl (the Verilated RTL: runs the
//                rtlsim binary next to this one)
//   gen-model, gen-images   random models and images of any size
//   rtl-gen      ROM images and Verilator parameters for the RTL
//   size, sweep, sweep-merge   FPGA resources and device fit (sizing_cmd.cpp)
// classify and run, at every level, print and write (--json) their report
// through lstm::report (sc_model/report): the same keys and summary lines.
//
// Exit status (SPEC Part C): 0 success, 1 user error (bad input or flag; the
// message on stderr names the file or flag), 2 internal error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "formats/error.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/reference.hpp"
#include "report/report.hpp"
#include "arch/timing.hpp"
#include "rtlgen/rom_layout.hpp"
#include "simulation.hpp"
#include "sizing_cmd.hpp"
#include "arch_cmd.hpp"

#include <chrono>
#include <cstring>
#include <filesystem>
#include "numerics/fast_model.hpp"
#include <unistd.h>
#include <random>

namespace report = lstm::report;
using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::numerics; using namespace lstm::rtlgen;

namespace {

struct ClassifyOpts {
  std::string model, images, labels, json_out;
  size_t count = 0;
  bool quiet = false;
};

int classify(const ClassifyOpts& o) {
  report::check_writable(o.json_out);
  const Model m = load_model(o.model);
  const report::Dataset d = report::load_dataset(m, o.images, o.labels, o.count);
  report::Results r;
  r.level = "ref";
  for (size_t n = 0; n < d.images.count; ++n) {
    Inference x = infer(m, d.images, n);
    r.cls.push_back(x.cls);
    r.logits.push_back(std::move(x.logits));
  }
  const report::json rep = report::build(m, o.model, nullptr, d, r);
  report::print(rep, o.quiet);
  if (!o.json_out.empty()) report::write(o.json_out, rep);
  return 0;
}


struct RunOpts {
  std::string model, arch, images, labels, json_out, vcd, gtkw, level = "ca", freeze;
  size_t count = 0;
  bool quiet = false;
  uint64_t watchdog = 20000, max_cycles = 0, sink_hold = 0;
};

// Progress on stderr: a bar on a terminal, a line every 10% otherwise.
class Progress {
 public:
  explicit Progress(size_t total) : total_(total), tty_(isatty(2)), t0_(std::chrono::steady_clock::now()) {}
  void operator()(size_t done) {
    if (total_ < 50) return;
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    const double rate = done / std::max(el, 1e-9);
    const double left = (total_ - done) / std::max(rate, 1e-9);
    if (tty_) {
      if (done != total_ && el - last_ < 0.2) return;
      last_ = el;
      const int w = 30, fill = static_cast<int>(w * done / total_);
      std::fprintf(stderr, "\r[%s%s] %zu/%zu  %.0f img/s  %.0fs left ", std::string(fill, '#').c_str(),
                   std::string(w - fill, '.').c_str(), done, total_, rate, left);
      if (done == total_) std::fprintf(stderr, "\n");
    } else if (done * 10 / total_ != (done - 1) * 10 / total_) {
      std::fprintf(stderr, "progress: %zu/%zu images, %.0f img/s, %.0fs left\n", done, total_, rate, left);
    }
  }

 private:
  size_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point t0_;
  double last_ = -1;
};

int run(const RunOpts& o) {
  report::check_writable(o.json_out);
  const Model m = load_model(o.model);
  ArchConfig a = o.arch.empty() ? arch_for_model(m) : load_arch(o.arch);
  // Every level runs stacked models (rtl: the rtlsim built for the config).
  check_arch_matches_model(a, m, o.arch.empty() ? o.model : o.arch, /*stacked_ok=*/true);
  const report::Dataset d = report::load_dataset(m, o.images, o.labels, o.count, o.arch.empty() ? nullptr : &a, o.arch);
  if (o.arch.empty()) a.input_words = d.images.is_words;  // the default design takes what the file holds
  std::vector<size_t> order(d.images.count);
  for (size_t n = 0; n < order.size(); ++n) order[n] = n;

  accel::SimReport rep;
  if (o.level == "fast") {
    // Same numbers and cycles as the cycle-accurate model, no clocks.
    const auto t0 = std::chrono::steady_clock::now();
    const FastRun f = run_fast(m, a, d.images, d.images.count, o.sink_hold);
    rep.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (size_t n = 0; n < f.results.size(); ++n) {
      accel::Result r;
      r.cls = f.results[n].cls;
      r.logits = f.results[n].logits;
      r.cycle = f.schedule.result[n];
      rep.results.push_back(std::move(r));
    }
    rep.first_beat = f.schedule.first_beat;
    rep.cycles = f.schedule.result.back();
    rep.mvm_lane_beats = f.mvm_beats;
  } else {
    accel::SimOptions so;
    so.vcd = o.vcd;
    so.gtkw = o.gtkw;
    so.watchdog = o.watchdog;
    so.max_cycles = o.max_cycles;
    so.sink_hold = o.sink_hold;
    so.freeze = o.freeze;
    Progress progress(order.size());
    so.progress = [&](size_t n) { progress(n); };
    rep = accel::simulate(m, a, d.images, order, so);
  }
  if (!rep.error.empty()) {
    std::fprintf(stderr, "lstmsim: simulation failed: %s\n", rep.error.c_str());
    return 2;
  }

  report::Results r;
  r.level = o.level;
  for (accel::Result& x : rep.results) {
    r.cls.push_back(x.cls);
    r.logits.push_back(std::move(x.logits));
    r.result_cycle.push_back(x.cycle);
  }
  r.first_beat = rep.first_beat;
  r.total_cycles = rep.cycles;
  r.wall_seconds = rep.wall_seconds;
  r.mvm_lane_beats = rep.mvm_lane_beats;
  if (o.level == "ca") {  // the fast model has no blocks to count
    r.counters.emplace();
    for (const auto& bc : rep.counters)
      r.counters->push_back({bc.name, bc.counters.busy, bc.counters.stalled, bc.counters.idle});
  }
  const report::json out = report::build(m, o.model, &a, d, r);
  report::print(out, o.quiet);
  if (!o.json_out.empty()) report::write(o.json_out, out);
  return report::matches_reference(out) ? 0 : 2;
}
// `run --level rtl`: the Verilated RTL lives in its own binary (no SystemC
// kernel), next to this one; hand it the same arguments. rtlsim_cnn (the
// CNN-LSTM top) when the config (or, without --arch, the model) has a CNN
// front end.
int exec_rtlsim(int argc, char** argv, bool cnn) {
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) throw std::runtime_error("cannot locate lstmsim");
  self[n] = 0;
  // rtlsim is compiled per config: rtlsim_<config name> if built, else
  // rtlsim_cnn (built for RTL_CNN_ARCH) for a cnn-lstm model, else rtlsim.
  const auto dir = std::filesystem::path(self).parent_path();
  std::string rtlsim = (dir / (cnn ? "rtlsim_cnn" : "rtlsim")).string();
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--arch") {
      const std::string named = (dir / ("rtlsim_" + load_arch(argv[i + 1]).name)).string();
      if (std::filesystem::exists(named)) rtlsim = named;
    }
  std::vector<std::string> args = {rtlsim};
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "run") continue;
    if (s == "--level") { ++i; continue; }
    if (s.rfind("--level=", 0) == 0) continue;
    if (s == "--vcd" || s == "--gtkw" || s == "--freeze") throw InputError(s + " is not available with --level rtl");
    args.push_back(s);
  }
  std::vector<char*> cargs;
  for (auto& s : args) cargs.push_back(s.data());
  cargs.push_back(nullptr);
  std::fflush(stdout);
  execv(rtlsim.c_str(), cargs.data());
  throw std::runtime_error("cannot run " + rtlsim + ": " + std::strerror(errno));
}

struct GenOpts {
  Model shape;
  std::vector<int> hidden = {28};  // per layer
  std::string kind = "lstm", out, input;
  uint64_t seed = 1;
};

int gen_model(GenOpts o) {
  if (o.kind == "lstm") o.shape.kind = ModelKind::Lstm;
  else if (o.kind == "cnn-lstm") o.shape.kind = ModelKind::CnnLstm;
  else throw InputError("--kind: unknown model kind '" + o.kind + "' (lstm or cnn-lstm)");
  if (o.shape.kind == ModelKind::Lstm) o.shape.conv_out = 0;
  if (o.input == "words") o.shape.input = InputKind::Words;
  else if (o.input == "pixels") o.shape.input = InputKind::Pixels;
  o.shape.set_hidden(o.hidden);
  validate_dims(o.shape, "gen-model");
  // Kept weight entries: 4 gates x (W + U) + FC. Beyond 2^28 (a ~1 GB
  // directory) it is a typo, not a design: refuse rather than fill the disk.
  const Model& sh = o.shape;
  uint64_t entries = uint64_t(sh.classes) * (sh.hidden() / sh.c) * sh.k;
  for (int l = 0; l < sh.num_layers(); ++l) {
    const uint64_t H = sh.layers[l].H;
    entries += 4 * H * ((uint64_t(sh.layer_in(l)) + H) / sh.c) * sh.k;
  }
  if (entries > (uint64_t(1) << 28))
    throw InputError("gen-model: " + std::to_string(entries) + " weight entries is too large (limit 2^28)");
  try {
    write_model(random_model(o.shape, o.seed), o.out);
  } catch (const std::filesystem::filesystem_error& e) {
    throw file_error(o.out, 0, std::string("cannot write the model: ") + e.code().message());
  }
  std::string hs;
  for (int h : o.hidden) hs += (hs.empty() ? "" : ",") + std::to_string(h);
  std::printf("wrote %s model I=%d H=%s T=%d classes=%d c=%d k=%d to %s\n", o.kind.c_str(), o.shape.I, hs.c_str(),
              o.shape.T, o.shape.classes, o.shape.c, o.shape.k, o.out.c_str());
  return 0;
}

struct GenImagesOpts {
  int rows = 28, cols = 28;
  size_t count = 16;
  uint64_t seed = 1;
  std::string out;
  bool words = false;
};

// Random test images (uniform pixels) in IDX format: images of any T x I
// for models no data set fits (rows = T steps, cols = I features). --words:
// sequences of Q2.13 words (IDX 0x0B), uniform over the whole range [-4, 4).
int gen_images(const GenImagesOpts& o) {
  ImageSet s;
  s.rows = o.rows;
  s.cols = o.cols;
  s.count = o.count;
  s.is_words = o.words;
  const size_t n = o.count * size_t(o.rows) * size_t(o.cols);
  std::mt19937_64 rng(o.seed);
  if (o.words) {
    s.words.resize(n);
    for (int16_t& w : s.words) w = static_cast<int16_t>(rng() >> 48);
  } else {
    s.pixels.resize(n);
    for (uint8_t& p : s.pixels) p = static_cast<uint8_t>(rng() >> 56);
  }
  write_idx_images(o.out, s);
  std::printf("wrote %zu random %dx%d %s to %s\n", o.count, o.rows, o.cols,
              o.words ? "sequences of Q2.13 words" : "images", o.out.c_str());
  return 0;
}

struct RtlGenOpts {
  std::string model, arch, out;
};

// ROM images and RTL parameters for one (model, config) pair.
int rtl_gen(const RtlGenOpts& o) {
  const Model m = load_model(o.model);
  const ArchConfig a = o.arch.empty() ? arch_for_model(m) : load_arch(o.arch);
  check_arch_matches_model(a, m, o.arch.empty() ? o.model : o.arch, /*stacked_ok=*/true);  // lstm_stack
  try {
    lstm::rtlgen::write_rom_images(m, a, o.out);
  } catch (const std::filesystem::filesystem_error& e) {
    throw file_error(o.out, 0, std::string("cannot write the ROM images: ") + e.code().message());
  }
  const std::string params = lstm::arch::verilator_params(a, true);
  std::ofstream f(o.out + "/verilator_params.f");
  if (!f) throw file_error(o.out + "/verilator_params.f", 0, "cannot write");
  f << params;
  std::printf("wrote ROM images and verilator_params.f to %s\nVerilator: --top-module %s -f %s/verilator_params.f -GROM_DIR='\"%s\"'\n",
              o.out.c_str(), lstm::arch::rtl_top(a).c_str(), o.out.c_str(), o.out.c_str());
  return 0;
}

}  // namespace

int sc_main(int argc, char** argv) {
  accel::quiet_systemc();
  CLI::App app{"lstmsim: sparse quantized LSTM accelerator model"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "lstmsim 0.1");

  ClassifyOpts co;
  auto* cl = app.add_subcommand("classify", "classify images with the bit-exact C++ reference");
  cl->add_option("--model", co.model, "model directory (manifest.json + memory files)")->required();
  cl->add_option("--images", co.images, "IDX file (gzipped or plain): images of bytes (type 0x08) or sequences of Q2.13 words (0x0B)")->required();
  cl->add_option("--labels", co.labels, "IDX label file: adds accuracy");
  cl->add_option("--count", co.count, "classify only the first N images")->check(CLI::PositiveNumber);
  cl->add_option("--json", co.json_out, "write a JSON report (SPEC Part C) to FILE");
  cl->add_flag("--quiet,-q", co.quiet, "print only the summary");

  RunOpts ro;
  auto* rn = app.add_subcommand("run", "simulate the cycle-accurate SystemC model");
  rn->add_option("--model", ro.model, "model directory")->required();
  rn->add_option("--arch", ro.arch, "architecture config JSON (default: built-in default for the model)");
  rn->add_option("--images", ro.images, "IDX image file (gzipped or plain)")->required();
  rn->add_option("--labels", ro.labels, "IDX label file: adds accuracy");
  rn->add_option("--count", ro.count, "simulate only the first N images")->check(CLI::PositiveNumber);
  rn->add_option("--vcd", ro.vcd, "write a VCD trace of every block's ports");
  rn->add_option("--gtkw", ro.gtkw, "write a GTKWave save file (one group per block) for the VCD");
  rn->add_option("--json", ro.json_out, "write a JSON report (SPEC Part C) to FILE");
  rn->add_option("--watchdog", ro.watchdog, "fail after N cycles without progress")->check(CLI::PositiveNumber);
  rn->add_option("--max-cycles", ro.max_cycles, "stop (and fail) after N cycles");
  rn->add_flag("--quiet,-q", ro.quiet, "print only the summary");
  rn->add_option("--sink-hold", ro.sink_hold, "slow result consumer: ready low for N cycles after each result");
  // Fault injection for the tests of the watchdog (docs/robustness.md); not in --help.
  rn->add_option("--freeze", ro.freeze, "stop BLOCK's clock process")->group("");
  rn->add_option("--level", ro.level, "ca: cycle-accurate SystemC (default); fast: fast timed model; rtl: Verilated RTL (rtlsim)")
      ->check(CLI::IsMember({"ca", "fast", "rtl"}));

  GenOpts go;
  go.shape.conv_out = 28;
  auto* gm = app.add_subcommand("gen-model", "write a model directory with random weights");
  gm->add_option("--I", go.shape.I, "features per input step")->check(CLI::Range(1, 65536));
  gm->add_option("--H", go.hidden, "hidden size per LSTM layer, layer 1 first (e.g. 64,32)")
      ->delimiter(',')
      ->check(CLI::Range(1, 65536));
  gm->add_option("--T", go.shape.T, "input steps")->check(CLI::Range(1, 65536));
  gm->add_option("--c", go.shape.c, "group size")->check(CLI::Range(1, 16));
  gm->add_option("--k", go.shape.k, "kept entries per group")->check(CLI::Range(1, 16));
  gm->add_option("--classes", go.shape.classes, "classes")->check(CLI::Range(1, 65536));
  gm->add_option("--kind", go.kind, "lstm or cnn-lstm");
  gm->add_option("--conv-out", go.shape.conv_out, "cnn-lstm: Conv1d output channels")->check(CLI::Range(1, 65536));
  gm->add_option("--seed", go.seed, "random seed");
  gm->add_option("--input", go.input, "what the model reads (manifest \"input\"); unset: either")
      ->check(CLI::IsMember({"pixels", "words"}));
  gm->add_option("--out", go.out, "output directory")->required();

  GenImagesOpts gi;
  auto* gic = app.add_subcommand("gen-images", "write random images (T rows x I columns) as an IDX file");
  gic->add_option("--rows", gi.rows, "rows per image (the model's T)")->check(CLI::Range(1, 65536));
  gic->add_option("--cols", gi.cols, "columns per image (the model's I)")->check(CLI::Range(1, 65536));
  gic->add_option("--count", gi.count, "images")->check(CLI::Range(1, 1000000));
  gic->add_option("--seed", gi.seed, "random seed");
  gic->add_option("--out", gi.out, "output IDX file (plain)")->required();
  gic->add_flag("--words", gi.words, "Q2.13 words (IDX type 0x0B), uniform over [-4, 4), instead of pixels");

  RtlGenOpts rg;
  auto* rgc = app.add_subcommand("rtl-gen", "write the RTL's ROM images and parameters for a model and config");
  rgc->add_option("--model", rg.model, "model directory")->required();
  rgc->add_option("--arch", rg.arch, "architecture config JSON");
  rgc->add_option("--out", rg.out, "output directory")->required();

  ArchCmdOpts ao;
  auto* arc = app.add_subcommand("arch", "RTL parameters and derived values of a config; --headers writes rtl/derived");
  add_arch_options(*arc, ao);

  auto sizing = add_sizing_commands(app);  // size, sweep, sweep-merge (sizing_cmd.cpp)

  // CLI11 reports a mistyped subcommand only as "A subcommand is required".
  std::string names;
  bool known = false;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known = known || (argc > 1 && sub->check_name(argv[1]));
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    std::fprintf(stderr, "lstmsim: error: unknown subcommand '%s' (one of: %s)\n", argv[1], names.c_str());
    return 1;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help or the message naming the flag
    return rc == 0 ? 0 : 1;
  }
  try {
    if (app.got_subcommand(cl)) return classify(co);
    if (app.got_subcommand(rn)) {
      if (ro.level == "rtl")
        return exec_rtlsim(argc, argv, ro.arch.empty() ? load_model(ro.model).has_cnn() : load_arch(ro.arch).has_cnn());
      return run(ro);
    }
    if (app.got_subcommand(gm)) return gen_model(go);
    if (app.got_subcommand(rgc)) return rtl_gen(rg);
    if (app.got_subcommand(gic)) return gen_images(gi);
    if (app.got_subcommand(arc)) return run_arch_command(ao);
    if (int rc = 0; dispatch(*sizing, &rc)) return rc;
  } catch (const InputError& e) {
    std::fprintf(stderr, "lstmsim: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lstmsim: internal error: %s\n", e.what());
    return 2;
  }
  return 2;
}

// Our own main, so SystemC's banner is off before the kernel starts.
int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
