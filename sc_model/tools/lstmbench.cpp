// lstmbench: simulation speed of every level on the same config and images
// (docs/performance.md). Not a test: it prints figures.
//
//   ref      the bit-exact C++ reference (no timing)
//   fast     the fast timed model (reference + schedule recurrence)
//   ca       the cycle-accurate SystemC model
//   rtl      the Verilated RTL in a plain C++ loop (the speed anchor; the
//            loop of rtlsim, rtl_driver.hpp)
//   rtl-sc   the Verilated RTL under the SystemC kernel (sc_clock)
//
// The Verilated models are compiled per config, so there is one binary per
// config: lstmbench_<config name>. SystemC allows one elaboration per
// process: ca and rtl-sc each run in a forked child.
//
//   lstmbench_default --model weights/fmnist-lstm --images IDX [--count 20]
//                     [--fast-count 10000] [--json FILE]
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstring>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <systemc>

#include BENCH_PLAIN_H
#include BENCH_SC_H
#include "arch/arch.hpp"
#include "formats/error.hpp"
#include "numerics/fast_model.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/reference.hpp"
#include "rtlgen/rom_layout.hpp"
#include "rtl_driver.hpp"
#include "simulation.hpp"
#include "stream_io.hpp"
#include "verilated.h"

namespace rtl = lstm::rtl;
using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::numerics; using namespace lstm::rtlgen;
using json = nlohmann::ordered_json;

namespace {

constexpr int P = BENCH_P, CL = BENCH_CLASSES, CW = BENCH_CLASS_W;

// One level's run: what it computed and how long it took.
struct Run {
  std::string level;
  size_t images = 0;
  uint64_t cycles = 0;  // simulated (or, for ref/fast, modelled) clock cycles
  double wall = 0;      // seconds
  double cpu = 0;       // CPU seconds of the process (the machine may be shared)
  std::vector<int> cls;
  std::vector<std::vector<int64_t>> logits;
  std::vector<uint64_t> result_cycle;  // per image, relative to the first result
  std::string error;
};

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// Flattens a Run for the pipe from a child: wall, cycles, then per image
// {class, cycle, logits...}; error text last.
std::vector<int64_t> flatten(const Run& r) {
  std::vector<int64_t> v;
  int64_t w;
  static_assert(sizeof(double) == sizeof(int64_t));
  std::memcpy(&w, &r.wall, sizeof w);
  v.push_back(w);
  std::memcpy(&w, &r.cpu, sizeof w);
  v.push_back(w);
  v.push_back(static_cast<int64_t>(r.cycles));
  v.push_back(static_cast<int64_t>(r.cls.size()));
  for (size_t n = 0; n < r.cls.size(); ++n) {
    v.push_back(r.cls[n]);
    v.push_back(static_cast<int64_t>(r.result_cycle[n]));
    for (int64_t l : r.logits[n]) v.push_back(l);
  }
  v.push_back(static_cast<int64_t>(r.error.size()));
  for (char c : r.error) v.push_back(c);
  return v;
}

Run unflatten(const std::string& level, const std::vector<int64_t>& v) {
  Run r;
  r.level = level;
  if (v.size() < 4) {
    r.error = "child produced no result";
    return r;
  }
  std::memcpy(&r.wall, &v[0], sizeof r.wall);
  std::memcpy(&r.cpu, &v[1], sizeof r.cpu);
  r.cycles = static_cast<uint64_t>(v[2]);
  size_t at = 4;
  for (int64_t n = 0; n < v[3]; ++n) {
    r.cls.push_back(static_cast<int>(v[at]));
    r.result_cycle.push_back(static_cast<uint64_t>(v[at + 1]));
    r.logits.emplace_back(v.begin() + at + 2, v.begin() + at + 2 + CL);
    at += 2 + CL;
  }
  r.images = r.cls.size();
  const size_t len = static_cast<size_t>(v[at++]);
  for (size_t i = 0; i < len; ++i) r.error += static_cast<char>(v[at + i]);
  return r;
}

// Runs `body` (which elaborates SystemC) in a forked child.
Run in_child(const std::string& level, const std::function<Run()>& body) {
  int fd[2];
  if (pipe(fd) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fd[0]);
    Run r;
    try {
      r = body();
    } catch (const std::exception& e) {
      r.error = e.what();
    }
    const std::vector<int64_t> v = flatten(r);
    const char* p = reinterpret_cast<const char*>(v.data());
    const size_t bytes = v.size() * sizeof(int64_t);
    for (size_t done = 0; done < bytes;) {
      const ssize_t w = write(fd[1], p + done, bytes - done);
      if (w <= 0) _exit(3);
      done += static_cast<size_t>(w);
    }
    _exit(0);
  }
  close(fd[1]);
  std::vector<int64_t> v;
  int64_t x;
  while (read(fd[0], &x, sizeof x) == static_cast<ssize_t>(sizeof x)) v.push_back(x);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  Run r = unflatten(level, v);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) r.error = "child failed (status " + std::to_string(status) + ")";
  return r;
}

// ---- Verilated RTL, plain C++ loop ------------------------------------------

Run rtl_loop(const ImageSet& imgs, size_t count, const std::string& romdir) {
  Run r;
  r.level = "rtl";
  // Kept alive: Verilator remembers the last context per thread, and a
  // later rtl-sc child would otherwise find a dangling one.
  auto* ctx = new VerilatedContext;
  const std::string plus = "+rom_dir=" + romdir;
  const char* args[] = {"lstmbench", plus.c_str()};
  ctx->commandArgsAdd(2, args);
  auto top = std::make_unique<BENCH_PLAIN>(ctx);
  rtl::DriveOptions o;  // always-ready sink, no watchdog: the plain loop
  o.pixels_per_beat = P;
  o.classes = CL;
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = cpu_now();
  rtl::DriveResult d = rtl::drive(*top, imgs, count, o);
  r.wall = since(t0);
  r.cpu = cpu_now() - c0;
  r.cls = std::move(d.cls);
  r.logits = std::move(d.logits);
  r.result_cycle = std::move(d.result_cycle);
  r.cycles = d.cycles;
  r.images = count;
  r.error = d.error;
  top->final();
  return r;
}

// ---- Verilated RTL under the SystemC kernel ---------------------------------

using bv_pix = sc_dt::sc_bv<P * 8>;
using bv_log = sc_dt::sc_bv<CL * 32>;
using bv_cls = sc_dt::sc_bv<CW>;

// Drives pixel beats and takes results, on the clock, straight on the
// Verilated model's bit-vector ports.
SC_MODULE(rtl_driver) {
  SC_HAS_PROCESS(rtl_driver);
  sc_core::sc_in<bool> clk_i;
  sc_core::sc_out<bool> rst_no, pix_valid_o, res_ready_o;
  sc_core::sc_out<bv_pix> pix_data_o;
  sc_core::sc_in<bool> pix_ready_i, res_valid_i;
  sc_core::sc_in<bv_cls> res_class_i;
  sc_core::sc_in<bv_log> res_logits_i;
  rtl_driver(sc_core::sc_module_name n, const ImageSet& imgs, size_t count, Run& r)
      : sc_module(n), imgs_(imgs), count_(count), r_(r) {
    SC_METHOD(tick);
    sensitive << clk_i.pos();
    dont_initialize();
  }
  void tick() {
    ++cycle_;
    if (cycle_ <= 2) {  // reset for two cycles
      rst_no.write(cycle_ == 2);
      res_ready_o.write(true);
      pix_valid_o.write(false);
      drive();
      return;
    }
    if (pix_valid_o.read() && pix_ready_i.read() && (pos_ += P) == size_t(imgs_.rows) * imgs_.cols) {
      pos_ = 0;
      ++img_;
    }
    if (res_valid_i.read()) {
      r_.cls.push_back(static_cast<int>(res_class_i.read().to_uint()));
      std::vector<int64_t> l(CL);
      for (int j = 0; j < CL; ++j) l[j] = static_cast<int32_t>(res_logits_i.read().get_word(j));
      r_.logits.push_back(std::move(l));
      r_.result_cycle.push_back(cycle_ - 2);
      if (r_.cls.size() == count_) sc_core::sc_stop();
    }
    drive();
  }
  void drive() {
    const bool offer = img_ < count_;
    pix_valid_o.write(offer);
    if (!offer) return;
    const uint8_t* px = imgs_.image(img_) + pos_;
    bv_pix b;
    for (int w = 0; w < (P + 3) / 4; ++w) {
      uint32_t d = 0;
      for (int i = 0; i < 4 && 4 * w + i < P; ++i) d |= uint32_t(px[4 * w + i]) << (8 * i);
      b.set_word(w, d);
    }
    pix_data_o.write(b);
  }
  uint64_t cycle_ = 0;

 private:
  const ImageSet& imgs_;
  const size_t count_;
  Run& r_;
  size_t img_ = 0, pos_ = 0;
};

Run rtl_sc(const ImageSet& imgs, size_t count, const std::string& romdir, double clock_mhz) {
  using namespace sc_core;
  Run r;
  r.level = "rtl-sc";
  const std::string plus = "+rom_dir=" + romdir;
  const char* args[] = {"lstmbench", plus.c_str()};
  Verilated::commandArgsAdd(2, args);
  // Runs in a child that exits without tearing the kernel down: the
  // objects are never destroyed (SystemC and Verilated SC models do not
  // like destruction after simulation).
  const sc_time period(1000.0 / clock_mhz, SC_NS);
  auto& clk = *new sc_clock("clk", period);
  auto& rst_n = *new sc_signal<bool>("rst_n", false);
  auto& pix_valid = *new sc_signal<bool>("pix_valid", false);
  auto& res_ready = *new sc_signal<bool>("res_ready", false);
  auto& pix_ready = *new sc_signal<bool>("pix_ready");
  auto& res_valid = *new sc_signal<bool>("res_valid");
  auto& pix_data = *new sc_signal<bv_pix>("pix_data");
  auto& res_class = *new sc_signal<bv_cls>("res_class");
  auto& res_logits = *new sc_signal<bv_log>("res_logits");
  auto& rtl = *new BENCH_SC("rtl");
  rtl.clk_i(clk);
  rtl.rst_ni(rst_n);
  rtl.pix_valid_i(pix_valid);
  rtl.pix_ready_o(pix_ready);
  rtl.pix_data_i(pix_data);
  rtl.res_valid_o(res_valid);
  rtl.res_ready_i(res_ready);
  rtl.res_class_o(res_class);
  rtl.res_logits_o(res_logits);
  auto& drv = *new rtl_driver("driver", imgs, count, r);
  drv.clk_i(clk);
  drv.rst_no(rst_n);
  drv.pix_valid_o(pix_valid);
  drv.res_ready_o(res_ready);
  drv.pix_data_o(pix_data);
  drv.pix_ready_i(pix_ready);
  drv.res_valid_i(res_valid);
  drv.res_class_i(res_class);
  drv.res_logits_i(res_logits);
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = cpu_now();
  sc_start();
  r.wall = since(t0);
  r.cpu = cpu_now() - c0;
  r.cycles = drv.cycle_ - 2;
  r.images = r.cls.size();
  return r;
}

// ---- the SystemC model ------------------------------------------------------

Run ca(const Model& m, const ArchConfig& a, const ImageSet& imgs, size_t count) {
  std::vector<size_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = i;
  accel::SimOptions so;
  so.watchdog = 1000000;
  const double c0 = cpu_now();
  const accel::SimReport rep = accel::simulate(m, a, imgs, order, so);
  const double cpu = cpu_now() - c0;
  Run r;
  r.level = "ca";
  r.error = rep.error;
  r.wall = rep.wall_seconds;
  r.cpu = cpu;
  r.cycles = rep.cycles;
  for (const accel::Result& x : rep.results) {
    r.cls.push_back(x.cls);
    r.logits.push_back(x.logits);
    r.result_cycle.push_back(x.cycle);
  }
  r.images = r.cls.size();
  return r;
}

struct Opts {
  std::string model, arch, images, json_out, levels = "ref,fast,ca,rtl,rtl-sc";
  size_t count = 20, fast_count = 0;
};

int bench(const Opts& o) {
  const Model m = load_model(o.model);
  const ArchConfig a = o.arch.empty() ? arch_for_model(m) : load_arch(o.arch);
  check_arch_matches_model(a, m, o.arch.empty() ? o.model : o.arch);
  if (verilator_params(a) != BENCH_RTL_PARAMS)
    throw InputError((o.arch.empty() ? std::string("default config") : o.arch) + ": this lstmbench was built for " +
                     BENCH_CONFIG + " (" + BENCH_RTL_PARAMS + "); use lstmbench_<config name>");
  const ImageSet all = read_idx_images(o.images);
  if (all.rows != a.T || all.cols != a.I)
    throw file_error(o.images, 0, "images are " + std::to_string(all.rows) + "x" + std::to_string(all.cols) +
                                      ", the config expects " + std::to_string(a.T) + "x" + std::to_string(a.I));
  // The fast levels run fast_count images (the file repeated if shorter).
  const size_t nf = o.fast_count ? o.fast_count : all.count, ns = std::min(o.count, all.count);
  ImageSet fimgs = all;
  fimgs.count = nf;
  fimgs.pixels.resize(nf * size_t(a.T) * a.I);
  for (size_t n = all.count; n < nf; ++n)
    std::copy(all.image(n % all.count), all.image(n % all.count) + size_t(a.T) * a.I,
              fimgs.pixels.begin() + n * size_t(a.T) * a.I);
  std::vector<std::string> levels;
  {
    std::stringstream ss(o.levels);
    for (std::string l; std::getline(ss, l, ',');) {
      if (l != "ref" && l != "fast" && l != "ca" && l != "rtl" && l != "rtl-sc")
        throw InputError("--levels: unknown level '" + l + "' (ref, fast, ca, rtl, rtl-sc)");
      levels.push_back(l);
    }
  }
  const std::string romdir =
      (std::filesystem::temp_directory_path() / ("lstmbench_rom_" + std::to_string(std::random_device{}()))).string();
  write_rom_images(m, a, romdir);
  std::printf("lstmbench: config %s (I=%d H=%d T=%d, %d lanes), %zu images (ref, fast), %zu images (ca, rtl, rtl-sc)\n",
              a.name.c_str(), a.I, a.H, a.T, a.mvm_lanes, nf, ns);

  // The expected answers: reference numbers, schedule cycles.
  const Schedule sched = schedule(a, std::max(nf, ns));
  std::vector<Run> runs;
  for (const std::string& l : levels) {
    std::fprintf(stderr, "lstmbench: running %s ...\n", l.c_str());
    Run r;
    if (l == "ref") {
      r.level = l;
      const auto t0 = std::chrono::steady_clock::now();
      const double c0 = cpu_now();
      for (size_t n = 0; n < nf; ++n) {
        const Inference x = infer(m, fimgs.image(n));
        r.cls.push_back(x.cls);
        r.logits.push_back(x.logits);
      }
      r.wall = since(t0);
      r.cpu = cpu_now() - c0;
      r.images = nf;
      r.cycles = sched.result[nf - 1];  // the cycles it stands for (no timing of its own)
    } else if (l == "fast") {
      r.level = l;
      const auto t0 = std::chrono::steady_clock::now();
      const double c0 = cpu_now();
      const FastRun f = run_fast(m, a, fimgs, nf);
      r.wall = since(t0);
      r.cpu = cpu_now() - c0;
      for (const Inference& x : f.results) {
        r.cls.push_back(x.cls);
        r.logits.push_back(x.logits);
      }
      r.result_cycle = f.schedule.result;
      r.images = nf;
      r.cycles = f.schedule.result.back();
    } else if (l == "ca") {
      r = in_child(l, [&] { return ca(m, a, all, ns); });
    } else if (l == "rtl") {
      r = rtl_loop(all, ns, romdir);
    } else {
      r = in_child(l, [&] { return rtl_sc(all, ns, romdir, a.clock_mhz); });
    }
    // Check against the reference and the schedule (intervals between results).
    size_t bad = 0;
    for (size_t n = 0; n < r.cls.size(); ++n) {
      const Inference x = infer(m, fimgs.image(n));
      bad += x.cls != r.cls[n] || x.logits != r.logits[n];
      if (!r.result_cycle.empty() && n > 0)
        bad += r.result_cycle[n] - r.result_cycle[n - 1] != sched.result[n] - sched.result[n - 1];
      if (l == "ref" && n >= 2000) break;  // a sample is enough for the quick levels
      if (l == "fast" && n >= 2000) break;
    }
    if (r.error.empty() && r.images == 0) r.error = "no results";
    if (r.error.empty() && bad) r.error = std::to_string(bad) + " images differ from the reference or schedule";
    runs.push_back(std::move(r));
  }
  std::filesystem::remove_all(romdir);

  const Run* anchor = nullptr;
  for (const Run& r : runs)
    if (r.level == "rtl") anchor = &r;
  // Rates per CPU second: the machine may be shared, and every level is
  // single-threaded, so CPU time is what each level costs.
  auto ips = [](const Run& r) { return r.images / std::max(r.cpu, 1e-9); };
  auto cps = [](const Run& r) { return r.cycles / std::max(r.cpu, 1e-9); };
  std::printf("%-7s %8s %12s %9s %9s %12s %11s %11s\n", "level", "images", "cycles", "wall s", "cpu s", "cycles/s",
              "images/s", "x rtl loop");
  json jl = json::array();
  for (const Run& r : runs) {
    const double ratio = anchor ? ips(r) / ips(*anchor) : 0;
    char rs[32] = "-";
    if (anchor) std::snprintf(rs, sizeof rs, "%.3gx", ratio);
    std::printf("%-7s %8zu %12llu %9.3f %9.3f %12.4g %11.4g %11s%s\n", r.level.c_str(), r.images,
                static_cast<unsigned long long>(r.cycles), r.wall, r.cpu, cps(r), ips(r), rs,
                r.error.empty() ? "" : ("  ERROR: " + r.error).c_str());
    json j = {{"level", r.level}, {"images", r.images}, {"cycles", r.cycles}, {"wall_seconds", r.wall},
              {"cpu_seconds", r.cpu}, {"cycles_per_cpu_second", cps(r)}, {"images_per_cpu_second", ips(r)},
              {"ok", r.error.empty()}};
    if (anchor) j["speed_vs_rtl_loop"] = ratio;
    if (!r.error.empty()) j["error"] = r.error;
    jl.push_back(j);
  }
  std::printf("rates per CPU second; ref, fast: cycles = the accelerator cycles the images take; "
              "x rtl loop = images/s over the rtl loop's\n");
  if (!o.json_out.empty()) {
    std::ofstream f(o.json_out);
    if (!f) throw file_error(o.json_out, 0, "cannot write JSON report");
    f << json{{"config", a.name}, {"I", a.I}, {"H", a.H}, {"T", a.T}, {"mvm_lanes", a.mvm_lanes}, {"levels", jl}}.dump(1)
      << "\n";
  }
  for (const Run& r : runs)
    if (!r.error.empty()) return 2;
  return 0;
}

}  // namespace

int sc_main(int argc, char** argv) {
  accel::quiet_systemc();
  CLI::App app{"lstmbench: simulation speed of ref, fast, ca, rtl (plain loop) and rtl-sc for one config"};
  Opts o;
  app.add_option("--model", o.model, "model directory")->required();
  app.add_option("--arch", o.arch, "architecture config (the one this binary was built for)");
  app.add_option("--images", o.images, "IDX image file")->required();
  app.add_option("--count", o.count, "images for ca, rtl, rtl-sc")->check(CLI::PositiveNumber);
  app.add_option("--fast-count", o.fast_count, "images for ref and fast (default: all in the file; repeats the file)");
  app.add_option("--levels", o.levels, "comma-separated subset of ref,fast,ca,rtl,rtl-sc");
  app.add_option("--json", o.json_out, "write the figures as JSON");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    return bench(o);
  } catch (const InputError& e) {
    std::fprintf(stderr, "lstmbench: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lstmbench: internal error: %s\n", e.what());
    return 2;
  }
}

int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
