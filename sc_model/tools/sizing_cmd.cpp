// lstmsim size / sweep / sweep-merge: the resource model (sizing/resources.hpp)
// with cycles measured by the fast timed model (lstm::numerics::run_fast), over one
// config or a grid of them (docs/sizing.md).
#include "sizing_cmd.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arch/arch.hpp"
#include "arch/sample.hpp"
#include "formats/error.hpp"
#include "numerics/fast_model.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "report/report.hpp"
#include "sizing/resources.hpp"
#include "sizing/sweep.hpp"
#include "arch/timing.hpp"

#ifndef LSTM_SCRIPTS_DIR
#define LSTM_SCRIPTS_DIR "scripts"
#endif

using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::numerics; using namespace lstm::sizing;
using ojson = nlohmann::ordered_json;

struct SizingCommands {
  CLI::App *size = nullptr, *sweep = nullptr, *merge = nullptr;
  // size
  std::string arch, device, model, images, json_out;
  size_t count = 8;
  // sweep
  std::string grid, out, shard = "1/1", plot, configs_dir;
  // sweep-merge
  std::vector<std::string> shards;
};

namespace {

// Images for timing: the cycles do not depend on the input values (the
// schedule is data-independent), so without --images a fixed pseudo-random
// set of the model's input size and kind (pixels, or Q2.13 words when the
// design's input is words) does. A file given must agree with the model and
// the design (report::load_dataset), `where` naming the config.
ImageSet timing_images(const Model& m, const ArchConfig& a, const std::string& where, const std::string& path,
                       size_t count) {
  if (!path.empty()) {
    ImageSet s = lstm::report::load_dataset(m, path, "", count, &a, where).images;
    if (s.count < count) throw file_error(path, 0, "has " + std::to_string(s.count) + " images, --count is " +
                                                       std::to_string(count));
    return s;
  }
  ImageSet s;
  s.count = count, s.rows = m.T, s.cols = m.I, s.is_words = a.input_words;
  uint32_t x = 12345;
  auto next = [&x] { return x = x * 1103515245u + 12345u, x >> 16; };
  if (s.is_words) {
    s.words.resize(count * m.T * m.I);
    for (auto& w : s.words) w = int16_t(next());
  } else {
    s.pixels.resize(count * m.T * m.I);
    for (auto& p : s.pixels) p = uint8_t(next() >> 8);
  }
  return s;
}

struct Cycles {
  uint64_t interval = 0, latency = 0;
};
// Runs the fast timed model on `images` back to back: latency of the first
// image, streaming interval between the last two results.
Cycles measure(const Model& m, const ArchConfig& a, const ImageSet& images) {
  const FastRun r = run_fast(m, a, images, images.count);
  Cycles c;
  const auto& s = r.schedule;
  c.latency = s.result[0] - s.first_beat[0];
  const size_t n = s.result.size();
  c.interval = n >= 2 ? s.result[n - 1] - s.result[n - 2] : c.latency;
  return c;
}

std::string fmt(double v, int prec = 0) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}

// ---- size ----
int cmd_size(const SizingCommands& o) {
  const ArchConfig a = load_arch(o.arch);
  const Device& dev = find_device(o.device);
  std::unique_ptr<Model> m;
  if (!o.model.empty()) {
    m = std::make_unique<Model>(load_model(o.model));
    check_arch_matches_model(a, *m, o.arch, /*stacked_ok=*/true);
  }
  const bool stacked = a.num_layers() > 1;
  const SizingInput in = sizing_input(a, m.get());
  const auto blocks = estimate_config(a, m.get());
  Resources total;
  for (const auto& b : blocks) total += b.r;
  const Fit f = fit(total, dev);
  Cycles cyc;
  std::string how;
  // Stacked: each layer's datapath alone (per-layer bounds, the slowest
  // layer), and the layer pipeline's cycles as for one layer.
  StackTiming st;
  if (stacked) st = stack_timing(a);
  if (m) {
    cyc = measure(*m, a, timing_images(*m, a, o.arch, o.images, std::max<size_t>(o.count, 2)));
    how = "measured: fast timed model, " + std::to_string(std::max<size_t>(o.count, 2)) + " images";
  } else {
    const Timing t = timing(a);
    cyc.interval = t.interval, cyc.latency = t.latency;
    how = "schedule formula (give --model to run the model)";
  }
  const double ips = a.clock_mhz * 1e6 / double(cyc.interval);

  std::printf("config %s (%s) on %s (%s)\n", a.name.c_str(), o.arch.c_str(), dev.name.c_str(), dev.board.c_str());
  std::printf("%-11s %6s %7s %7s %9s %9s\n", "block", "DSP", "RAMB18", "RAMB36", "LUT", "FF");
  auto line = [](const std::string& n, const Resources& r) {
    std::printf("%-11s %6d %7d %7d %9.0f %9.0f\n", n.c_str(), r.dsp, r.ramb18, r.ramb36, r.lut, r.ff);
  };
  for (const auto& b : blocks) line(b.block, b.r);
  if (stacked) {  // per-layer subtotals: the allocation question
    for (int l = 0; l < a.num_layers(); ++l) {
      Resources sub;
      const std::string pre = "l" + std::to_string(l + 1) + ".";
      for (const auto& b : blocks)
        if (b.block.rfind(pre, 0) == 0) sub += b.r;
      line("layer " + std::to_string(l + 1), sub);
    }
  }
  line("total", total);
  std::printf("%-11s %6d %15s %9.0f %9.0f   (BRAM36 tiles: %s)\n", dev.name.c_str(), dev.dsp,
              (fmt(dev.bram36) + " BRAM36").c_str(), dev.lut, dev.ff, fmt(dev.bram36).c_str());
  std::printf("utilisation: DSP %.1f%%  BRAM %.1f%% (%s of %s RAMB36)  LUT %.1f%%  FF %.1f%%\n", 100 * f.util_dsp,
              100 * f.util_bram, fmt(total.bram36(), 1).c_str(), fmt(dev.bram36).c_str(), 100 * f.util_lut,
              100 * f.util_ff);
  if (f.fits) std::printf("fits %s\n", dev.name.c_str());
  else std::printf("DOES NOT FIT %s: %s\n", dev.name.c_str(), f.overflow.c_str());
  if (stacked)
    for (int l = 0; l < a.num_layers(); ++l) {
      const ArchConfig v = a.layer(l);
      const Timing& t = st.layers[l];
      std::printf("layer %d: H %d, %d MVM lanes, %d groups, %d EWU lanes: MAC bound %llu, recurrence bound %llu, "
                  "interval alone %llu cycles\n",
                  l + 1, v.H, v.mvm_lanes, v.mvm_groups, v.ewu_lanes, (unsigned long long)t.bound_mac,
                  (unsigned long long)t.bound_recurrence, (unsigned long long)t.interval);
    }
  std::printf("ROM widths seen by synthesis: LSTM %d x %d, FC %d x %d (%s)\n", in.lstm_rom.width, in.lstm_rom.depth,
              in.fc_rom.width, in.fc_rom.depth, in.from_model ? "constant bit columns of the weights removed"
                                                               : "no --model: only structurally constant bits removed");
  std::printf("cycles per inference: %llu  latency: %llu cycles  (%s)\n", (unsigned long long)cyc.interval,
              (unsigned long long)cyc.latency, how.c_str());
  std::printf("inferences per second at %s MHz: %.0f\n", fmt(a.clock_mhz, 1).c_str(), ips);

  if (!o.json_out.empty()) {
    auto res = [](const Resources& r) {
      return ojson{{"dsp", r.dsp}, {"ramb18", r.ramb18}, {"ramb36", r.ramb36}, {"bram36", r.bram36()},
                   {"lut", std::round(r.lut)}, {"ff", std::round(r.ff)}};
    };
    ojson jb = ojson::object();
    for (const auto& b : blocks) {
      jb[b.block] = res(b.r);
      // Where the block's LUTs come from (docs/sizing.md, "Structural LUT and FF model").
      for (const LutTerm& t : b.r.lut_terms) jb[b.block]["lut_terms"][t.name] = t.value;
    }
    ojson j = {{"config", a.name},
               {"device", dev.name},
               {"blocks", jb},
               {"total", res(total)},
               {"fits", f.fits},
               {"overflow", f.overflow},
               {"utilisation", {{"dsp", f.util_dsp}, {"bram36", f.util_bram}, {"lut", f.util_lut}, {"ff", f.util_ff}}},
               {"cycles_per_inference", cyc.interval},
               {"latency_cycles", cyc.latency},
               {"cycles_from", m ? "fast model" : "formula"},
               {"inferences_per_s", ips}};
    if (stacked) {
      ojson layers = ojson::array();
      for (int l = 0; l < a.num_layers(); ++l) {
        const ArchConfig v = a.layer(l);
        Resources sub;
        const std::string pre = "l" + std::to_string(l + 1) + ".";
        for (const auto& b : blocks)
          if (b.block.rfind(pre, 0) == 0) sub += b.r;
        layers.push_back({{"H", v.H}, {"mvm_lanes", v.mvm_lanes}, {"mvm_groups", v.mvm_groups},
                          {"ewu_lanes", v.ewu_lanes}, {"resources", res(sub)},
                          {"bound_mac", st.layers[l].bound_mac}, {"bound_recurrence", st.layers[l].bound_recurrence},
                          {"interval_alone", st.layers[l].interval}});
      }
      j["layers"] = layers;
    }
    std::ofstream jf(o.json_out);
    if (!jf) throw file_error(o.json_out, 0, "cannot write JSON report (does the directory exist?)");
    jf << j.dump(1) << "\n";
  }
  return 0;
}

// ---- sweep ----
class RowProgress {
 public:
  RowProgress(size_t total, size_t already)
      : total_(total), start_(already), tty_(isatty(2)), t0_(std::chrono::steady_clock::now()) {}
  void operator()(size_t done) {
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    const double rate = double(done - start_) / std::max(el, 1e-9);
    const double left = double(total_ - done) / std::max(rate, 1e-9);
    if (tty_) {
      if (done != total_ && el - last_ < 0.2) return;
      last_ = el;
      const int w = 30, fill = total_ ? int(w * done / total_) : w;
      std::fprintf(stderr, "\r[%s%s] %zu/%zu rows  %.1f rows/s  %.0fs left ", std::string(fill, '#').c_str(),
                   std::string(w - fill, '.').c_str(), done, total_, rate, left);
      if (done == total_) std::fprintf(stderr, "\n");
    } else if (total_ && (done == total_ || done * 20 / total_ != (done - 1) * 20 / total_)) {
      std::fprintf(stderr, "progress: %zu/%zu rows, %.1f rows/s, %.0fs left\n", done, total_, rate, left);
    }
  }

 private:
  size_t total_, start_;
  bool tty_;
  std::chrono::steady_clock::time_point t0_;
  double last_ = -1;
};

int run_plot(const std::string& csv, const std::string& prefix, const Device& dev) {
  const char* env = std::getenv("LSTM_PLOT_SCRIPT");
  const std::string script = env ? env : std::string(LSTM_SCRIPTS_DIR) + "/plot_sweep.py";
  const char* py = std::getenv("LSTM_PYTHON");
  const std::string cmd = std::string(py ? py : "/usr/bin/python3") + " '" + script + "' '" + csv + "' '" + prefix +
                          "' --device " + dev.name + " --dsp " + std::to_string(dev.dsp) + " --bram " +
                          fmt(dev.bram36) + " --lut " + fmt(dev.lut);
  const int rc = std::system(cmd.c_str());
  if (rc != 0) {
    std::fprintf(stderr, "lstmsim: plotting failed (%s); the CSV is complete\n", cmd.c_str());
    return 2;
  }
  std::printf("plot: %s.png %s.svg\n", prefix.c_str(), prefix.c_str());
  return 0;
}

void print_front(const std::vector<SweepRow>& rows) {
  size_t fits = 0, front = 0;
  for (const auto& r : rows) fits += r.fits, front += r.pareto;
  std::printf("rows: %zu  fit the device: %zu  on the Pareto front: %zu\n", rows.size(), fits, front);
  std::vector<SweepRow> f;
  for (const auto& r : rows)
    if (r.pareto) f.push_back(r);
  std::sort(f.begin(), f.end(), [](const SweepRow& a, const SweepRow& b) { return a.inferences_per_s > b.inferences_per_s; });
  // Stacked keys are longer; one-layer output keeps its 30 columns.
  int w = 30;
  for (size_t i = 0; i < f.size() && i < 15; ++i) w = std::max(w, int(f[i].key.size()));
  const bool stacked = !f.empty() && !f[0].layers.empty();
  std::printf("%-*s %5s %7s %7s %10s %12s%s\n", w, "front (fastest first)", "DSP", "BRAM36", "LUT", "cycles", "inf/s",
              stacked ? "  per layer: MVM lanes x groups, EWU lanes (DSP/BRAM36/LUT)" : "");
  for (size_t i = 0; i < f.size() && i < 15; ++i) {
    std::string layers;
    for (size_t l = 0; l < f[i].layers.size(); ++l) {
      const LayerRow& x = f[i].layers[l];
      char b[160];
      std::snprintf(b, sizeof b, "  l%zu %dx%d E%d (%d/%s/%.0f)", l + 1, x.mvm_lanes, x.mvm_groups, x.ewu_lanes,
                    x.dsp, fmt(x.bram36, x.bram36 == std::floor(x.bram36) ? 0 : 1).c_str(), x.lut);
      layers += b;
    }
    std::printf("%-*s %5d %7.1f %7.0f %10llu %12.0f%s\n", w, f[i].key.c_str(), f[i].res.dsp, f[i].res.bram36(),
                f[i].res.lut, (unsigned long long)f[i].cycles, f[i].inferences_per_s, layers.c_str());
  }
  if (f.size() > 15) std::printf("... %zu more on the front\n", f.size() - 15);
}

int cmd_sweep(const SizingCommands& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const Shard shard = parse_shard(o.shard);
  const Device& dev = find_device(o.device);
  std::ifstream gf(o.grid);
  if (!gf) throw file_error(o.grid, 0, "cannot open grid file");
  std::stringstream gs;
  gs << gf.rdbuf();
  const Grid grid = parse_grid(gs.str(), o.grid);
  const Model m = load_model(o.model);
  ArchConfig start = arch_for_model(m);  // a stacked model: its layer count; the model's input kind
  // A model that does not say what it reads (manifest "input") takes what --images holds.
  if (m.input == lstm::formats::InputKind::Any && !o.images.empty())
    start.input_words = lstm::report::load_dataset(m, o.images, "", 1).images.is_words;
  const int layers = start.num_layers();
  const ExpandedGrid ex = expand_grid(grid, start);  // refuses a "layers" grid of another layer count
  if (ex.configs.empty())
    throw file_error(o.grid, 0, "none of its " + std::to_string(grid.combinations()) +
                                    " combinations is a valid config for this model (first: " + ex.first_invalid + ")");
  std::vector<ArchConfig> todo;
  for (size_t i = 0; i < ex.configs.size(); ++i)
    if (in_shard(i, shard)) todo.push_back(ex.configs[i]);
  // --configs: the shard's configs as files (scripts/synth_sweep.py
  // synthesizes them), named and written by the C++ rules.
  if (!o.configs_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.configs_dir, ec);
    for (ArchConfig a : todo) {
      a.name = config_key(a);
      const std::string path = o.configs_dir + "/" + a.name + ".json";
      std::ofstream cf(path);
      cf << arch_json_text(a);
      if (!cf) throw file_error(path, 0, "cannot write");
    }
    std::printf("wrote %zu configs to %s\n", todo.size(), o.configs_dir.c_str());
  }
  std::string out = o.out;
  if (out.empty())
    out = "sweep-" + dev.name +
          (shard.count > 1 ? ".shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) : "") +
          ".csv";
  std::printf("grid %s: %llu combinations, %zu valid, %llu rejected by validate_arch%s\n", o.grid.c_str(),
              (unsigned long long)grid.combinations(), ex.configs.size(), (unsigned long long)ex.invalid,
              ex.invalid ? (" (e.g. " + ex.first_invalid + ")").c_str() : "");
  std::printf("shard %d/%d: %zu configs -> %s\n", shard.index, shard.count, todo.size(), out.c_str());

  // Resume: keep the complete rows of an earlier run, drop a half-written line.
  std::vector<SweepRow> done;
  if (std::filesystem::exists(out)) {
    bool partial = false;
    int file_layers = 1;
    done = read_sweep_csv(out, &partial, &file_layers);
    if (file_layers != layers && !done.empty())  // (without rows nothing is lost: the header is rewritten)
      throw file_error(out, 0, "a sweep of " + std::to_string(file_layers) + "-layer configs, this one is of " +
                                   std::to_string(layers) + "-layer ones; use another --out or delete it");
    remaining_configs(todo, done, dev.name, out);  // throws if the file is another sweep's
    if (partial || done.empty()) write_sweep_csv(out, done, layers);  // also restores a lost header
    std::printf("resuming: %zu rows already in %s%s\n", done.size(), out.c_str(),
                partial ? " (dropped a half-written last line)" : "");
  } else {
    write_sweep_csv(out, {}, layers);
  }
  const std::vector<size_t> left = remaining_configs(todo, done, dev.name, out);
  std::ofstream f(out, std::ios::app | std::ios::binary);
  if (!f) throw file_error(out, 0, "cannot append");
  const ImageSet images = timing_images(m, start, o.model, o.images, std::max<size_t>(o.count, 2));
  RowProgress progress(todo.size(), todo.size() - left.size());
  size_t n = todo.size() - left.size();
  for (size_t i : left) {
    // Resources (per layer when stacked) and cycles of the (layer) pipeline.
    const SweepRow row = sweep_config(todo[i], m, dev, images);
    f << csv_row(row) << "\n";
    f.flush();
    if (!f) throw file_error(out, 0, "write failed");
    done.push_back(row);
    progress(++n);
  }
  f.close();
  // Grid order, then the front (within this file; sweep-merge recomputes it over all shards).
  std::map<std::string, size_t> order;
  for (size_t i = 0; i < todo.size(); ++i) order[config_key(todo[i])] = i;
  std::sort(done.begin(), done.end(), [&](const SweepRow& a, const SweepRow& b) { return order[a.key] < order[b.key]; });
  mark_pareto(done);
  write_sweep_csv(out, done, layers);
  const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("wrote %s: %zu rows (%zu new) in %.2f s\n", out.c_str(), done.size(), left.size(), el);
  if (shard.count > 1) std::printf("(front within this shard; lstmsim sweep-merge recomputes it over all shards)\n");
  print_front(done);
  if (!o.plot.empty()) return run_plot(out, o.plot, dev);
  return 0;
}

int cmd_merge(const SizingCommands& o) {
  int layers = 1;
  const std::vector<SweepRow> rows = merge_sweeps(o.shards, &layers);
  write_sweep_csv(o.out, rows, layers);
  std::printf("merged %zu files into %s\n", o.shards.size(), o.out.c_str());
  print_front(rows);
  if (!o.plot.empty()) {
    if (rows.empty()) throw InputError("sweep-merge: no rows to plot");
    return run_plot(o.out, o.plot, find_device(rows[0].device));
  }
  return 0;
}

}  // namespace

std::shared_ptr<SizingCommands> add_sizing_commands(CLI::App& app) {
  auto c = std::make_shared<SizingCommands>();
  std::string devs;
  for (const auto& d : devices()) devs += (devs.empty() ? "" : ", ") + d.name;

  c->size = app.add_subcommand("size", "resources per block, device utilisation and throughput of one config");
  c->size->add_option("--arch", c->arch, "architecture config JSON")->required();
  c->size->add_option("--device", c->device, "FPGA: " + devs)->required();
  c->size->add_option("--model", c->model, "model directory: exact ROM widths and cycles measured by running it");
  c->size->add_option("--images", c->images, "IDX images for the timing run (default: synthetic)");
  c->size->add_option("--count", c->count, "images per timing run (default 8)")->check(CLI::Range(2, 100000));
  c->size->add_option("--json", c->json_out, "write the figures as JSON to FILE");

  c->sweep = app.add_subcommand("sweep", "resources and measured throughput of every config of a grid");
  c->sweep->add_option("--model", c->model, "model directory")->required();
  c->sweep->add_option("--device", c->device, "FPGA: " + devs)->required();
  c->sweep->add_option("--grid", c->grid, "grid JSON (docs/sizing.md)")->required();
  c->sweep->add_option("--out", c->out, "CSV, written row by row; an existing one is resumed "
                                        "(default sweep-DEVICE[.shard-i-of-N].csv)");
  c->sweep->add_option("--shard", c->shard, "i/N: run only the i-th of N interleaved parts (1 <= i <= N)");
  c->sweep->add_option("--images", c->images, "IDX images for the timing runs (default: synthetic)");
  c->sweep->add_option("--count", c->count, "images per timing run (default 8)")->check(CLI::Range(2, 100000));
  c->sweep->add_option("--plot", c->plot, "also write PREFIX.png and PREFIX.svg (scripts/plot_sweep.py)");
  c->sweep->add_option("--configs", c->configs_dir, "also write each config of the grid (this shard's) as DIR/KEY.json");

  c->merge = app.add_subcommand("sweep-merge", "join shard CSVs of one sweep and recompute the Pareto front");
  c->merge->add_option("shards", c->shards, "shard CSV files")->required();
  c->merge->add_option("--out", c->out, "merged CSV")->required();
  c->merge->add_option("--plot", c->plot, "also write PREFIX.png and PREFIX.svg");
  return c;
}

bool dispatch(const SizingCommands& c, int* rc) {
  if (c.size->parsed()) return *rc = cmd_size(c), true;
  if (c.sweep->parsed()) return *rc = cmd_sweep(c), true;
  if (c.merge->parsed()) return *rc = cmd_merge(c), true;
  return false;
}
