#include "report/report.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "formats/error.hpp"
#include "numerics/reference.hpp"
#include "arch/timing.hpp"

namespace lstm::report {

Dataset load_dataset(const formats::Model& m, const std::string& images, const std::string& labels, size_t count,
                     const arch::ArchConfig* a, const std::string& arch_where) {
  Dataset d;
  d.images = formats::read_idx_images(images, count, true);
  const bool words = d.images.is_words;
  const char* has = words ? "holds Q2.13 words (IDX type 0x0B)" : "holds byte pixels (IDX type 0x08)";
  if (m.input != formats::InputKind::Any && words != (m.input == formats::InputKind::Words))
    throw formats::file_error(images, 0, std::string(has) + " but the model reads " +
                                             (words ? "pixels (manifest \"input\": \"pixels\")"
                                                    : "Q2.13 words (manifest \"input\": \"words\")"));
  if (a && words != a->input_words)
    throw formats::file_error(images, 0, std::string(has) + " but the design's input stream carries " +
                                             (a->input_words ? "words" : "pixels") + " (" +
                                             (arch_where.empty() ? "the config" : arch_where) + ": set \"input\": \"" +
                                             (words ? "words" : "pixels") + "\")");
  if (d.images.rows != m.T || d.images.cols != m.I)
    throw formats::file_error(images, 0, "images are " + std::to_string(d.images.rows) + "x" +
                                    std::to_string(d.images.cols) + ", the model expects " +
                                    std::to_string(m.T) + "x" + std::to_string(m.I) + " (T x I)");
  if (!labels.empty()) {
    d.labels = formats::read_idx_labels(labels, count);
    if (d.labels.size() < d.images.count)
      throw formats::file_error(labels, 0, "has " + std::to_string(d.labels.size()) + " labels for " +
                                      std::to_string(d.images.count) + " images");
    d.labels.resize(d.images.count);
    for (size_t n = 0; n < d.labels.size(); ++n)
      if (d.labels[n] >= m.classes)
        throw formats::file_error(labels, 0, "label " + std::to_string(d.labels[n]) + " of item " + std::to_string(n) +
                                        " is not a class of the model (0.." + std::to_string(m.classes - 1) + ")");
  }
  return d;
}

void check_writable(const std::string& path) {
  if (path.empty()) return;
  const std::filesystem::path parent = std::filesystem::absolute(path).parent_path();
  if (!std::filesystem::is_directory(parent))
    throw formats::file_error(path, 0, "cannot write JSON report: directory " + parent.string() + " does not exist");
  if (std::filesystem::is_directory(path)) throw formats::file_error(path, 0, "cannot write JSON report: is a directory");
}

json build(const formats::Model& m, const std::string& model_path, const arch::ArchConfig* a, const Dataset& d, const Results& r) {
  const size_t N = r.cls.size();
  const bool timed = a != nullptr;
  const bool ref = r.level == "ref";  // the results are the reference
  json items = json::array();
  size_t correct = 0, ref_class = 0, ref_logits = 0;
  for (size_t n = 0; n < N; ++n) {
    json it = {{"index", n}, {"class", r.cls[n]}};
    if (!d.labels.empty()) {
      it["label"] = d.labels[n];
      correct += r.cls[n] == d.labels[n];
    }
    it["logits"] = r.logits[n];
    if (timed) {
      // Cycles: from the previous result (the first image: from its first beat).
      const uint64_t since = n == 0 ? r.first_beat[0] : r.result_cycle[n - 1];
      it["cycles"] = r.result_cycle[n] - since;
      it["latency"] = r.result_cycle[n] - r.first_beat[n];
    }
    if (!ref) {
      const numerics::Inference x = numerics::infer(m, d.images, n);
      ref_class += x.cls == r.cls[n];
      ref_logits += x.logits == r.logits[n];
    }
    items.push_back(std::move(it));
  }

  json s = {{"images", N}, {"model", model_path}, {"kind", kind_name(m.kind)}};
  if (timed) s["arch"] = a->name;
  s["level"] = r.level;
  if (!d.labels.empty()) {
    s["accuracy"] = N ? double(correct) / double(N) : 0.0;
    s["correct"] = correct;
  }
  if (!ref) {
    s["reference_class_matches"] = ref_class;
    s["reference_logit_matches"] = ref_logits;
  }
  if (!timed || N == 0) return {{"images", items}, {"summary", s}};

  const arch::Timing tm = arch::timing(*a);
  const uint64_t latency0 = r.result_cycle[0] - r.first_beat[0];
  const double cpi =
      N > 1 ? double(r.result_cycle[N - 1] - r.result_cycle[0]) / double(N - 1) : double(latency0);
  const double wall = std::max(r.wall_seconds, 1e-9);
  s["cycles_per_inference"] = cpi;
  s["latency_cycles"] = latency0;
  s["inferences_per_second"] = a->clock_mhz * 1e6 / cpi;
  s["clock_mhz"] = a->clock_mhz;
  // Stacked: the lanes of every layer, and the mean of the layers' utilisations.
  const int L = a->num_layers();
  int lanes = 0;
  for (int l = 0; l < L; ++l) lanes += a->layer(l).mvm_lanes;
  s["mvm_lanes"] = lanes;
  s["mvm_lane_utilisation"] =
      r.mvm_lane_beats ? json(double(*r.mvm_lane_beats) / double(L) / double(std::max<uint64_t>(r.total_cycles, 1)))
                       : json();
  s["bound_mac"] = tm.bound_mac;
  s["bound_input"] = tm.bound_input;
  s["bound_recurrence"] = tm.bound_recurrence;
  if (a->has_cnn()) {
    s["bound_conv"] = tm.bound_conv;
    s["conv_lanes"] = a->conv_lanes;
    s["conv_beats_per_row"] = a->conv_beats_per_step();
  }
  if (L > 1) {  // each layer's own bounds (docs/architecture.md, "Stacked layers")
    json layers = json::array();
    const arch::StackTiming st = arch::stack_timing(*a);
    for (int l = 0; l < L; ++l) {
      const arch::ArchConfig v = a->layer(l);
      const arch::Timing& t = st.layers[size_t(l)];
      layers.push_back({{"layer", l + 1}, {"H", v.H}, {"mvm_lanes", v.mvm_lanes}, {"ewu_lanes", v.ewu_lanes},
                        {"bound_mac", t.bound_mac}, {"bound_input", t.bound_input},
                        {"bound_recurrence", t.bound_recurrence}, {"interval_alone", t.interval}});
    }
    s["layers"] = layers;
  }
  s["formula_interval"] = tm.interval;
  s["formula_latency"] = tm.latency;
  s["total_cycles"] = r.total_cycles;
  s["wall_seconds"] = r.wall_seconds;
  s["simulated_cycles_per_second"] = double(r.total_cycles) / wall;
  s["simulated_images_per_second"] = double(N) / wall;
  json counters;  // null: not measured at this level
  if (r.counters) {
    counters = json::object();
    for (const BlockCounters& b : *r.counters)
      counters[b.name] = {{"busy", b.busy}, {"stalled", b.stalled}, {"idle", b.idle}};
  }
  s["counters"] = counters;
  return {{"images", items}, {"summary", s}};
}

namespace {
unsigned long long ull(const json& v) { return v.get<unsigned long long>(); }
}  // namespace

void print(const json& rep, bool quiet, std::FILE* out) {
  if (!quiet)
    for (const json& it : rep["images"]) {
      std::fprintf(out, "image %llu: class %d", ull(it["index"]), it["class"].get<int>());
      if (it.contains("label"))
        std::fprintf(out, " (label %d%s)", it["label"].get<int>(), it["label"] == it["class"] ? "" : ", wrong");
      if (it.contains("cycles")) std::fprintf(out, "  cycles %llu", ull(it["cycles"]));
      std::fprintf(out, "\n");
    }
  const json& s = rep["summary"];
  const std::string level = s["level"];
  const unsigned long long N = ull(s["images"]);
  std::fprintf(out, "images: %llu", N);
  if (s.contains("accuracy"))
    std::fprintf(out, "  correct: %llu  accuracy: %.2f%%", ull(s["correct"]), 100.0 * s["accuracy"].get<double>());
  std::fprintf(out, "\n");
  if (s.contains("reference_class_matches"))
    std::fprintf(out, "reference: classes equal %llu/%llu, logits equal %llu/%llu\n", ull(s["reference_class_matches"]),
                 N, ull(s["reference_logit_matches"]), N);
  if (!s.contains("cycles_per_inference")) return;

  const double cpi = s["cycles_per_inference"];
  std::fprintf(out, "cycles per inference: %.1f (formula %llu)  latency: %llu (formula %llu)  at %.0f MHz: %.0f inferences/s\n",
               cpi, ull(s["formula_interval"]), ull(s["latency_cycles"]), ull(s["formula_latency"]),
               s["clock_mhz"].get<double>(), s["inferences_per_second"].get<double>());
  const unsigned long long conv = s.contains("bound_conv") ? ull(s["bound_conv"]) : 0;
  std::fprintf(out, "bounds: MAC %llu  input %llu  recurrence %llu  -> cycles / max bound = %.3f\n", ull(s["bound_mac"]),
               ull(s["bound_input"]), ull(s["bound_recurrence"]),
               cpi / double(std::max({ull(s["bound_mac"]), ull(s["bound_input"]), ull(s["bound_recurrence"]), conv})));
  if (s.contains("layers"))
    for (const json& l : s["layers"])
      std::fprintf(out, "  layer %d (H %d, %d MVM lanes, %d EWU lanes): MAC %llu  input %llu  recurrence %llu  alone %llu\n",
                   l["layer"].get<int>(), l["H"].get<int>(), l["mvm_lanes"].get<int>(), l["ewu_lanes"].get<int>(),
                   ull(l["bound_mac"]), ull(l["bound_input"]), ull(l["bound_recurrence"]), ull(l["interval_alone"]));
  if (s.contains("bound_conv"))
    std::fprintf(out, "CNN front end: Conv1d bound %llu (%d multipliers, %d beats per image row)\n", conv,
                 s["conv_lanes"].get<int>(), s["conv_beats_per_row"].get<int>());
  std::fprintf(out, "MVM lanes: %d, utilisation ", s["mvm_lanes"].get<int>());
  if (s["mvm_lane_utilisation"].is_null()) std::fprintf(out, "not measured at level %s\n", level.c_str());
  else std::fprintf(out, "%.1f%%\n", 100.0 * s["mvm_lane_utilisation"].get<double>());
  if (s["counters"].is_null()) {
    std::fprintf(out, "block counters: not measured at level %s\n", level.c_str());
  } else {
    std::fprintf(out, "block counters: %12s %12s %12s\n", "busy", "stalled", "idle");
    for (const auto& [name, c] : s["counters"].items())
      std::fprintf(out, "  %-13s %12llu %12llu %12llu\n", name.c_str(), ull(c["busy"]), ull(c["stalled"]),
                   ull(c["idle"]));
  }
  std::fprintf(out, "level %s: simulated %llu cycles in %.2f s: %.0f cycles/s, %.1f images/s\n", level.c_str(),
               ull(s["total_cycles"]), s["wall_seconds"].get<double>(), s["simulated_cycles_per_second"].get<double>(),
               s["simulated_images_per_second"].get<double>());
}

void write(const std::string& path, const json& rep) {
  std::ofstream f(path);
  if (!f) throw formats::file_error(path, 0, "cannot write JSON report (does the directory exist?)");
  f << rep.dump(1) << "\n";
  if (!f) throw formats::file_error(path, 0, "write failed");
}

bool matches_reference(const json& rep) {
  const json& s = rep["summary"];
  if (!s.contains("reference_class_matches")) return true;  // the reference itself
  return s["reference_class_matches"] == s["images"] && s["reference_logit_matches"] == s["images"];
}

}  // namespace lstm::report
