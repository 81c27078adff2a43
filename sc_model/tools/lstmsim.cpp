// lstmsim: the project's one command-line tool. Subcommands are added by the
// issues that need them (classify now; run, sweep, size, gen-model later).
//
// Exit status (SPEC Part C): 0 success, 1 user error (bad input or flag; the
// message on stderr names the file or flag), 2 internal error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "lstm/error.hpp"
#include "lstm/idx.hpp"
#include "lstm/model.hpp"
#include "lstm/reference.hpp"

using json = nlohmann::ordered_json;
using namespace lstm;

namespace {

struct Dataset {
  ImageSet images;
  std::vector<uint8_t> labels;  // empty without --labels
};

// Loads images (and labels) and checks them against the model.
Dataset load_dataset(const Model& m, const std::string& images, const std::string& labels, size_t count) {
  Dataset d;
  d.images = read_idx_images(images, count);
  if (d.images.rows != m.T || d.images.cols != m.I)
    throw file_error(images, 0, "images are " + std::to_string(d.images.rows) + "x" +
                                    std::to_string(d.images.cols) + ", the model expects " +
                                    std::to_string(m.T) + "x" + std::to_string(m.I) + " (T x I)");
  if (!labels.empty()) {
    d.labels = read_idx_labels(labels, count);
    if (d.labels.size() < d.images.count)
      throw file_error(labels, 0, "has " + std::to_string(d.labels.size()) + " labels for " +
                                      std::to_string(d.images.count) + " images");
    d.labels.resize(d.images.count);
    for (size_t n = 0; n < d.labels.size(); ++n)
      if (d.labels[n] >= m.classes)
        throw file_error(labels, 0, "label " + std::to_string(d.labels[n]) + " of item " + std::to_string(n) +
                                        " is not a class of the model (0.." + std::to_string(m.classes - 1) + ")");
  }
  return d;
}

void write_json(const std::string& path, const json& j) {
  std::ofstream f(path);
  if (!f) throw file_error(path, 0, "cannot write JSON report (does the directory exist?)");
  f << j.dump(1) << "\n";
  if (!f) throw file_error(path, 0, "write failed");
}

struct ClassifyOpts {
  std::string model, images, labels, json_out;
  size_t count = 0;
  bool quiet = false;
};

int classify(const ClassifyOpts& o) {
  const Model m = load_model(o.model);
  const Dataset d = load_dataset(m, o.images, o.labels, o.count);
  json items = json::array();
  size_t correct = 0;
  for (size_t n = 0; n < d.images.count; ++n) {
    const Inference r = infer(m, d.images.image(n));
    json it = {{"index", n}, {"class", r.cls}};
    if (!d.labels.empty()) {
      it["label"] = d.labels[n];
      correct += r.cls == d.labels[n];
    }
    it["logits"] = r.logits;
    if (!o.quiet) {
      std::printf("image %zu: class %d", n, r.cls);
      if (!d.labels.empty()) std::printf(" (label %d%s)", d.labels[n], r.cls == d.labels[n] ? "" : ", wrong");
      std::printf("\n");
    }
    if (!o.json_out.empty()) items.push_back(std::move(it));
  }
  json summary = {{"images", d.images.count}, {"model", o.model}, {"kind", kind_name(m.kind)}};
  std::printf("images: %zu", d.images.count);
  if (!d.labels.empty()) {
    const double acc = d.images.count ? double(correct) / double(d.images.count) : 0.0;
    summary["accuracy"] = acc;
    summary["correct"] = correct;
    std::printf("  correct: %zu  accuracy: %.2f%%", correct, 100.0 * acc);
  }
  std::printf("\n");
  if (!o.json_out.empty()) write_json(o.json_out, {{"images", items}, {"summary", summary}});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lstmsim: sparse quantized LSTM accelerator model"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "lstmsim 0.1");

  ClassifyOpts co;
  auto* cl = app.add_subcommand("classify", "classify images with the bit-exact C++ reference");
  cl->add_option("--model", co.model, "model directory (manifest.json + memory files)")->required();
  cl->add_option("--images", co.images, "IDX image file (gzipped or plain)")->required();
  cl->add_option("--labels", co.labels, "IDX label file: adds accuracy");
  cl->add_option("--count", co.count, "classify only the first N images")->check(CLI::PositiveNumber);
  cl->add_option("--json", co.json_out, "write a JSON report (SPEC Part C) to FILE");
  cl->add_flag("--quiet,-q", co.quiet, "print only the summary");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help or the message naming the flag
    return rc == 0 ? 0 : 1;
  }
  try {
    if (app.got_subcommand(cl)) return classify(co);
  } catch (const InputError& e) {
    std::fprintf(stderr, "lstmsim: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lstmsim: internal error: %s\n", e.what());
    return 2;
  }
  return 2;
}
