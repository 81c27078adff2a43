// tlm_host: a host program driving the accelerator through its TLM-2.0
// interface alone (docs/tlm.md). The accelerator is built with random
// weights of the model's shape; the host writes the model's memory files
// into the weight windows, commits, writes the image, starts, polls STATUS
// and reads CYCLES, RESULT_CLASS and LOGITS. The results are checked against
// the bit-exact reference afterwards. The model's kind (manifest) and the
// config must agree: a cnn-lstm model needs a config with a CNN front end
// (the default config for the model has one); a stacked model needs a
// config with as many layers (configs/stacked/), and its every layer's
// weights go through that layer's windows.
//
// Exit status: 0 success, 1 user error (bad input or flag; message on
// stderr), 2 internal error (bus or device error, mismatch with the reference).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <systemc>

#include "host_driver.hpp"
#include "formats/error.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "numerics/reference.hpp"
#include "report/report.hpp"
#include "arch/timing.hpp"
#include "lstm_accel_tlm.hpp"
#include "simulation.hpp"

using json = nlohmann::ordered_json;

namespace {

struct Opts {
  std::string model, arch, images, json_out;
  size_t index = 0, count = 1;
  uint64_t seed = 1;
  unsigned poll_cycles = 16;
  bool trace_bus = false;
};

// One line per transaction: time, R/W, address, bytes, first word, response.
void print_transaction(const tlm::tlm_generic_payload& gp, const sc_core::sc_time& at,
                       const sc_core::sc_time& delay, uint32_t stride, int windows) {
  uint32_t w = 0;
  const bool ok = gp.get_response_status() == tlm::TLM_OK_RESPONSE;
  if (gp.get_data_length() >= 4 && (ok || gp.is_write())) std::memcpy(&w, gp.get_data_ptr(), 4);
  const std::string name = accel::regs::address_name(gp.get_address(), stride, windows);
  std::printf("bus %10.0f ns  %c 0x%08llx %-14s %5u B  %s0x%08x  +%.0f ns  %s\n", at.to_seconds() * 1e9,
              gp.is_read() ? 'R' : 'W', static_cast<unsigned long long>(gp.get_address()), name.c_str(),
              gp.get_data_length(), gp.get_data_length() > 4 ? "first " : "", w, delay.to_seconds() * 1e9,
              ok ? "OK" : gp.get_response_string().c_str());
}

struct Outcome {
  accel::DeviceInfo dev;
  size_t weight_words = 0;
  std::vector<accel::RunResult> runs;
};

int run(const Opts& o) {
  using namespace lstm::arch; using namespace lstm::formats; using namespace lstm::numerics;
  const Model m = load_model(o.model);
  ArchConfig a = o.arch.empty() ? arch_for_model(m) : load_arch(o.arch);
  // Names the config file: "cfg.json: the model is kind cnn-lstm but the config has no CNN front end ...",
  // "cfg.json: the config has 1 LSTM layers but the model 2".
  check_arch_matches_model(a, m, o.arch.empty() ? o.model : o.arch, /*stacked_ok=*/true);
  // Pixels or Q2.13 words, as the model and the config say (the same checks as lstmsim run).
  const ImageSet imgs = lstm::report::load_dataset(m, o.images, "", o.index + o.count, o.arch.empty() ? nullptr : &a,
                                                   o.arch).images;
  if (o.arch.empty()) a.input_words = imgs.is_words;  // the default device takes what the file holds
  if (o.index + o.count > imgs.count)
    throw InputError("--index " + std::to_string(o.index) + " --count " + std::to_string(o.count) + ": " +
                     o.images + " has only " + std::to_string(imgs.count) + " images");

  // The device starts with random weights of the model's shape: the real
  // ones arrive through the weight windows.
  accel::lstm_accel_tlm dev("accel", random_model(m, o.seed), a);
  const sc_core::sc_time poll_gap = dev.clock_period() * double(o.poll_cycles);
  Outcome out;
  accel::host_initiator host("host", [&](accel::host_initiator& h) {
    out.dev = accel::probe(h);
    out.weight_words = accel::load_weights(h, out.dev, m);
    for (size_t n = o.index; n < o.index + o.count; ++n) {
      accel::write_image(h, out.dev, imgs, n);
      out.runs.push_back(accel::run_inference(h, out.dev, poll_gap));
    }
  });
  if (o.trace_bus)
    host.trace = [&out](const tlm::tlm_generic_payload& gp, const sc_core::sc_time& at, const sc_core::sc_time& d) {
      // Before the probe has read the window table: the 1.1 names.
      const bool known = out.dev.layout.stride != 0;
      print_transaction(gp, at, d, known ? out.dev.layout.stride : 0x10000,
                        known ? out.dev.layout.count() : accel::regs::kWindows);
    };
  host.socket.bind(dev.socket);
  sc_core::sc_start();
  if (host.failure) std::rethrow_exception(host.failure);
  if (!host.finished) throw std::runtime_error("simulation ended before the host program finished");

  const ArchConfig& d = out.dev.arch;
  std::string front;
  if (d.has_cnn())
    front = ", CNN front end cnn_in=" + std::to_string(d.cnn_in) + " " + std::to_string(d.conv_lanes) +
            " conv lanes, image " + std::to_string(d.image_rows()) + "x" + std::to_string(d.image_cols());
  // Per layer, comma-separated (one number for one layer, as in 1.1).
  std::string hs, lanes;
  for (int l = 0; l < d.num_layers(); ++l) {
    const ArchConfig la = d.layer(l);
    hs += (l ? "," : "") + std::to_string(la.H);
    lanes += (l ? "," : "") + std::to_string(la.mvm_lanes);
  }
  std::printf("device: ID 0x%08x version %u.%u, I=%d H=%s T=%d classes=%d c=%d k=%d, %s MVM lanes, %d %s/beat, "
              "%.0f MHz%s\n",
              out.dev.id, out.dev.version >> 16, out.dev.version & 0xFFFF, d.I, hs.c_str(), d.T, d.classes, d.c, d.k,
              lanes.c_str(), d.pixels_per_beat, d.input_words ? "Q2.13 words" : "pixels", d.clock_mhz, front.c_str());
  if (d.num_layers() > 1) std::printf("device: %d LSTM layers, %d windows\n", d.num_layers(), out.dev.layout.count());
  int windows = 0;
  for (int n = accel::regs::kWinW; n < out.dev.layout.count(); ++n) windows += out.dev.layout.entries[n] > 0;
  std::printf("weights: %d windows, %zu words written, committed (initial ROMs: random, seed %llu)\n", windows,
              out.weight_words, static_cast<unsigned long long>(o.seed));
  const uint64_t formula = timing(a).latency;
  json items = json::array();
  size_t cls_eq = 0, logits_eq = 0, cyc_eq = 0;
  for (size_t i = 0; i < out.runs.size(); ++i) {
    const accel::RunResult& r = out.runs[i];
    const size_t n = o.index + i;
    const Inference ref = infer(m, imgs, n);
    const bool ce = ref.cls == r.cls, le = ref.logits == r.logits;
    cls_eq += ce;
    logits_eq += le;
    cyc_eq += r.cycles == formula;
    std::printf("image %zu: class %d  cycles %u (formula %llu)  reference %s\n", n, r.cls, r.cycles,
                static_cast<unsigned long long>(formula),
                ce && le ? "equal" : ce ? "differs (logits)" : "differs (class)");
    std::printf("  logits:");
    for (int64_t l : r.logits) std::printf(" %lld", static_cast<long long>(l));
    std::printf("\n");
    items.push_back({{"index", n}, {"class", r.cls}, {"logits", r.logits}, {"cycles", r.cycles},
                     {"formula_latency", formula}, {"polls", r.polls}, {"reference_class", ref.cls},
                     {"reference_logits_equal", le}});
  }
  const double sim_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  std::printf("reference: classes equal %zu/%zu, logits equal %zu/%zu\n", cls_eq, out.runs.size(), logits_eq,
              out.runs.size());
  std::printf("bus: %llu transactions, %llu bytes, %.0f ns of bus time; simulated %.0f ns\n",
              static_cast<unsigned long long>(host.transactions), static_cast<unsigned long long>(host.bytes),
              host.bus_time.to_seconds() * 1e9, sim_ns);
  if (!o.json_out.empty()) {
    json dev = {{"id", out.dev.id},           {"version", out.dev.version}, {"I", d.I},
                {"H", d.H},                   {"T", d.T},                   {"classes", d.classes},
                {"c", d.c},                   {"k", d.k},                   {"mvm_lanes", d.mvm_lanes},
                {"mvm_groups", d.mvm_groups}, {"ewu_lanes", d.ewu_lanes},   {"fc_lanes", d.fc_lanes},
                {"pixels_per_beat", d.pixels_per_beat}, {"spx_buffers", d.spx_buffers},
                {"clock_mhz", d.clock_mhz},   {"cnn_in", d.cnn_in},         {"conv_lanes", d.conv_lanes}};
    // Every LSTM layer's datapath (layer 1's fields are also the keys above).
    json layers = json::array();
    for (int l = 0; l < d.num_layers(); ++l) {
      const ArchConfig la = d.layer(l);
      layers.push_back({{"H", la.H}, {"mvm_lanes", la.mvm_lanes}, {"mvm_groups", la.mvm_groups},
                        {"ewu_lanes", la.ewu_lanes}, {"spx_buffers", la.spx_buffers}});
    }
    dev["layers"] = layers;
    json j = {{"model", o.model},
              {"kind", kind_name(m.kind)},
              {"arch", a.name},
              {"device", dev},
              {"weight_words", out.weight_words},
              {"images", items},
              {"summary",
               {{"images", out.runs.size()},
                {"reference_class_matches", cls_eq},
                {"reference_logit_matches", logits_eq},
                {"cycles_equal_formula", cyc_eq},
                {"transactions", host.transactions},
                {"bus_bytes", host.bytes},
                {"bus_time_ns", host.bus_time.to_seconds() * 1e9},
                {"simulated_ns", sim_ns}}}};
    std::ofstream f(o.json_out);
    if (!f) throw file_error(o.json_out, 0, "cannot write JSON report (does the directory exist?)");
    f << j.dump(1) << "\n";
    if (!f) throw file_error(o.json_out, 0, "write failed");
  }
  if (cls_eq != out.runs.size() || logits_eq != out.runs.size()) {
    std::fprintf(stderr, "tlm_host: results differ from the reference\n");
    return 2;
  }
  return 0;
}

}  // namespace

int sc_main(int argc, char** argv) {
  accel::quiet_systemc();
  CLI::App app{"tlm_host: run the accelerator through its TLM-2.0 register interface"};
  Opts o;
  app.add_option("--model", o.model, "model directory (manifest.json + memory files)")->required();
  app.add_option("--arch", o.arch, "architecture config JSON (default: built-in default for the model)");
  app.add_option("--images", o.images, "IDX image file (gzipped or plain)")->required();
  app.add_option("--index", o.index, "first image to run (0-based)");
  app.add_option("--count", o.count, "images to run")->check(CLI::PositiveNumber);
  app.add_option("--json", o.json_out, "write a JSON report to FILE");
  app.add_option("--seed", o.seed, "seed of the random weights the device starts with");
  app.add_option("--poll-cycles", o.poll_cycles, "clock cycles between STATUS polls")
      ->check(CLI::Range(1u, 1000000u));
  app.add_flag("--trace-bus", o.trace_bus, "print every bus transaction");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 1;
  }
  try {
    return run(o);
  } catch (const lstm::formats::InputError& e) {
    std::fprintf(stderr, "tlm_host: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tlm_host: internal error: %s\n", e.what());
    return 2;
  }
}
