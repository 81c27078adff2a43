#include "sizing/sweep.hpp"

#include "formats/json_strict.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "formats/error.hpp"
#include "numerics/fast_model.hpp"

namespace lstm::sizing {

using json = nlohmann::ordered_json;  // keeps the axes in file order

namespace {

// The fields a grid may set, and where they live in ArchConfig.
const std::vector<std::string> kGridFields = {"mvm_lanes", "mvm_groups",      "ewu_lanes", "fc_lanes",
                                              "pixels_per_beat", "spx_buffers", "clock_mhz", "conv_lanes"};
const std::vector<std::string> kNetworkFields = {"I", "H", "T", "classes", "c", "k"};
// The fields each layer of a stacked config has (LayerArch); the rest are shared.
const std::vector<std::string> kLayerFields = {"mvm_lanes", "mvm_groups", "ewu_lanes", "spx_buffers"};

bool is_in(const std::vector<std::string>& list, const std::string& k) {
  for (const auto& f : list)
    if (f == k) return true;
  return false;
}
bool is_grid_field(const std::string& k) { return is_in(kGridFields, k); }
bool is_layer_field(const std::string& k) { return is_in(kLayerFields, k); }

std::string fmt_num(double v);

// Checks one value of field `key`; `what` names it in messages.
double check_value(const json& v, const std::string& key, const std::string& what, const std::string& file) {
  if (key == "clock_mhz") {
    if (!v.is_number()) throw formats::file_error(file, 0, what + " must be a number");
    const double d = v.get<double>();
    if (!(d > 0 && d <= 2000)) throw formats::file_error(file, 0, what + " = " + v.dump() + " must be in (0, 2000]");
    return d;
  }
  if (!v.is_number_integer()) throw formats::file_error(file, 0, what + " must be an integer, not " + v.dump());
  const int64_t i = v.get<int64_t>();
  if (i <= 0 || i > (1 << 16)) throw formats::file_error(file, 0, what + " = " + std::to_string(i) + " must be in 1..65536");
  return double(i);
}

void set_field(arch::ArchConfig& a, const std::string& key, double v) {
  if (key == "clock_mhz") a.clock_mhz = v;
  else if (key == "mvm_lanes") a.mvm_lanes = int(v);
  else if (key == "mvm_groups") a.mvm_groups = int(v);
  else if (key == "ewu_lanes") a.ewu_lanes = int(v);
  else if (key == "fc_lanes") a.fc_lanes = int(v);
  else if (key == "pixels_per_beat") a.pixels_per_beat = int(v);
  else if (key == "spx_buffers") a.spx_buffers = int(v);
  else if (key == "conv_lanes") a.conv_lanes = int(v);  // CNN front end (a cnn-lstm model)
}

// Sets a layer field of layer l (0-based; layer 1 is ArchConfig's top level).
void set_layer_field(arch::ArchConfig& a, int l, const std::string& key, double v) {
  if (l == 0) return set_field(a, key, v);
  arch::LayerArch& la = a.more_layers[size_t(l - 1)];
  if (key == "mvm_lanes") la.mvm_lanes = int(v);
  else if (key == "mvm_groups") la.mvm_groups = int(v);
  else if (key == "ewu_lanes") la.ewu_lanes = int(v);
  else if (key == "spx_buffers") la.spx_buffers = int(v);
}

// A field of base/axes: a layer field sets every layer alike (a grid
// without "layers" on a stacked model), the others the shared field.
void set_shared(arch::ArchConfig& a, const std::string& key, double v) {
  if (!is_layer_field(key)) return set_field(a, key, v);
  for (int l = 0; l < a.num_layers(); ++l) set_layer_field(a, l, key, v);
}

// Reads one axis (a non-empty array of distinct valid values); `what` names it.
std::vector<double> parse_axis(const json& arr, const std::string& key, const std::string& what, const std::string& file) {
  if (!arr.is_array()) throw formats::file_error(file, 0, what + " must be an array of values");
  if (arr.empty()) throw formats::file_error(file, 0, what + " is empty");
  std::vector<double> vals;
  for (size_t i = 0; i < arr.size(); ++i) {
    const double v = check_value(arr[i], key, what + "[" + std::to_string(i) + "]", file);
    for (double w : vals)
      if (w == v) throw formats::file_error(file, 0, what + " lists " + fmt_num(v) + " twice");
    vals.push_back(v);
  }
  return vals;
}

std::string fmt_num(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') cur += '"', ++i;
      else if (ch == '"') quoted = false;
      else cur += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.push_back(cur), cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

std::string quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

// Per-layer columns of a stacked sweep, after the one-layer ones (which keep
// their order), as l1_<column>, l2_<column>, ...
const char* const kLayerColumns[] = {"mvm_lanes", "mvm_groups", "ewu_lanes", "spx_buffers", "dsp", "bram36", "lut", "ff"};
const size_t kPerLayer = sizeof kLayerColumns / sizeof kLayerColumns[0];

const char* kHeader =
    "key,device,mvm_lanes,mvm_groups,ewu_lanes,fc_lanes,pixels_per_beat,spx_buffers,clock_mhz,"
    "conv_lanes,dsp,ramb18,ramb36,bram36,lut,ff,cycles_per_inference,latency_cycles,inferences_per_s,fits,overflow,"
    "pareto";

}  // namespace

uint64_t Grid::combinations() const {
  uint64_t n = 1;
  for (const auto& ax : axes) n *= ax.second.size();
  for (const auto& la : layers)
    for (const auto& ax : la) n *= ax.second.size();
  return n;
}

Grid parse_grid(const std::string& text, const std::string& filename) {
  json j;
  try {
    j = formats::parse_json_strict<json>(text, filename);  // a key given twice is an error
  } catch (const json::exception& e) {
    throw formats::file_error(filename, 0, std::string("invalid JSON: ") + e.what());
  }
  if (!j.is_object()) throw formats::file_error(filename, 0, "a grid must be a JSON object with an \"axes\" object");
  Grid g;
  bool have_axes = false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string key = it.key();
    if (key == "comment") continue;
    if (key == "base" || key == "axes") {
      if (!it->is_object()) throw formats::file_error(filename, 0, "\"" + key + "\" must be an object");
      for (auto f = it->begin(); f != it->end(); ++f) {
        const std::string fk = f.key();
        if (!is_grid_field(fk)) {
          for (const auto& nf : kNetworkFields)
            if (nf == fk)
              throw formats::file_error(filename, 0, key + "." + fk + ": network dimensions come from --model, not the grid");
          throw formats::file_error(filename, 0, key + ": unknown field '" + fk + "' (grid fields: mvm_lanes, mvm_groups, "
                                        "ewu_lanes, fc_lanes, pixels_per_beat, spx_buffers, clock_mhz)");
        }
        for (const auto& seen : g.base)
          if (seen.first == fk) throw formats::file_error(filename, 0, "field '" + fk + "' is in both base and axes");
        for (const auto& seen : g.axes)
          if (seen.first == fk) throw formats::file_error(filename, 0, "field '" + fk + "' is in both base and axes");
        if (key == "base") {
          g.base.emplace_back(fk, check_value(*f, fk, "base." + fk, filename));
        } else {
          g.axes.emplace_back(fk, parse_axis(*f, fk, "axes." + fk, filename));
        }
      }
      if (key == "axes") have_axes = true;
    } else if (key == "layers") {
      // Per-layer axes of a stacked model: one object per LSTM layer.
      if (!it->is_array() || it->size() < 2)
        throw formats::file_error(filename, 0, "\"layers\" must be an array with one object per LSTM layer of a stacked "
                                      "model (at least 2); a one-layer model takes mvm_lanes, mvm_groups, ewu_lanes, "
                                      "spx_buffers under \"axes\"");
      for (size_t l = 0; l < it->size(); ++l) {
        const json& lj = (*it)[l];
        const std::string where = "layers[" + std::to_string(l) + "]";
        if (!lj.is_object())
          throw formats::file_error(filename, 0, where + " must be an object of axes, e.g. {\"mvm_lanes\": [32, 64]}");
        GridAxes la;
        for (auto f = lj.begin(); f != lj.end(); ++f) {
          const std::string fk = f.key();
          if (is_in(kNetworkFields, fk))
            throw formats::file_error(filename, 0, where + "." + fk + ": network dimensions come from --model, not the grid");
          if (is_grid_field(fk) && !is_layer_field(fk))
            throw formats::file_error(filename, 0, where + "." + fk + ": shared by all layers; give it under \"axes\" or \"base\"");
          if (!is_layer_field(fk))
            throw formats::file_error(filename, 0, where + ": unknown field '" + fk + "' (layer fields: mvm_lanes, "
                                          "mvm_groups, ewu_lanes, spx_buffers)");
          la.emplace_back(fk, parse_axis(*f, fk, where + "." + fk, filename));
        }
        g.layers.push_back(la);
      }
    } else {
      throw formats::file_error(filename, 0, "unknown key '" + key + "' (a grid has \"axes\", optional \"base\", "
                                    "\"layers\", \"comment\")");
    }
  }
  if (!g.layers.empty()) {
    // One place per field: per layer, or shared, not both.
    for (const auto& b : g.base)
      if (is_layer_field(b.first))
        throw formats::file_error(filename, 0, "base." + b.first + ": with \"layers\" the layer fields go per layer, "
                                      "under layers[i]");
    for (const auto& ax : g.axes)
      if (is_layer_field(ax.first))
        throw formats::file_error(filename, 0, "axes." + ax.first + ": with \"layers\" the layer fields go per layer, "
                                      "under layers[i]");
  }
  size_t n_axes = g.axes.size();
  for (const auto& la : g.layers) n_axes += la.size();
  if (!(have_axes || !g.layers.empty()) || n_axes == 0)
    throw formats::file_error(filename, 0, "no axes: \"axes\" (or \"layers\") must list at least one field");
  g.file = filename;
  // Guard against a grid nobody can finish (and against overflow).
  long double n = 1;
  for (const auto& ax : g.axes) n *= ax.second.size();
  for (const auto& la : g.layers)
    for (const auto& ax : la) n *= ax.second.size();
  if (n > 1e7) throw formats::file_error(filename, 0, "the grid has " + fmt_num(double(n)) + " combinations (max 10,000,000)");
  return g;
}

ExpandedGrid expand_grid(const Grid& g, const arch::ArchConfig& start) {
  const int L = start.num_layers();
  if (!g.layers.empty() && int(g.layers.size()) != L)
    throw formats::file_error(g.file, 0, "\"layers\" gives axes for " + std::to_string(g.layers.size()) +
                                  " LSTM layers but the model has " + std::to_string(L) +
                                  (L == 1 ? "; for a one-layer model give mvm_lanes, mvm_groups, ewu_lanes, spx_buffers "
                                            "under \"axes\""
                                          : ""));
  ExpandedGrid out;
  arch::ArchConfig base = start;
  for (const auto& b : g.base) set_shared(base, b.first, b.second);
  // All axes in expansion order: shared ones (layer -1), then layer by layer.
  struct Axis {
    int layer;
    const std::string* key;
    const std::vector<double>* vals;
  };
  std::vector<Axis> axes;
  for (const auto& ax : g.axes) axes.push_back({-1, &ax.first, &ax.second});
  for (size_t l = 0; l < g.layers.size(); ++l)
    for (const auto& ax : g.layers[l]) axes.push_back({int(l), &ax.first, &ax.second});
  const uint64_t n = g.combinations();
  std::vector<size_t> idx(axes.size(), 0);
  for (uint64_t c = 0; c < n; ++c) {
    arch::ArchConfig a = base;
    for (size_t i = 0; i < axes.size(); ++i) {
      const double v = (*axes[i].vals)[idx[i]];
      if (axes[i].layer < 0) set_shared(a, *axes[i].key, v);
      else set_layer_field(a, axes[i].layer, *axes[i].key, v);
    }
    a.name = config_key(a);
    try {
      arch::validate_arch(a, a.name);
      out.configs.push_back(a);
    } catch (const formats::InputError& e) {
      if (!out.invalid) out.first_invalid = e.what();
      ++out.invalid;
    }
    for (size_t i = axes.size(); i-- > 0;) {  // last axis fastest
      if (++idx[i] < axes[i].vals->size()) break;
      idx[i] = 0;
    }
  }
  return out;
}

std::string config_key(const arch::ArchConfig& a) {
  // A layer field: layer 1's value, then the layers above joined by '-'.
  auto per_layer = [&](int v1, int arch::LayerArch::*f) {
    std::string s = std::to_string(v1);
    for (const auto& la : a.more_layers) s += "-" + std::to_string(la.*f);
    return s;
  };
  return (a.has_cnn() ? "CV" + std::to_string(a.conv_lanes) + "_" : std::string()) + "L" +
         per_layer(a.mvm_lanes, &arch::LayerArch::mvm_lanes) + "_G" +
         per_layer(a.mvm_groups, &arch::LayerArch::mvm_groups) + "_E" +
         per_layer(a.ewu_lanes, &arch::LayerArch::ewu_lanes) + "_F" + std::to_string(a.fc_lanes) + "_P" +
         std::to_string(a.pixels_per_beat) + (a.input_words ? "w" : "") + "_NB" + per_layer(a.spx_buffers, &arch::LayerArch::spx_buffers) + "_" +
         fmt_num(a.clock_mhz) + "MHz";
}

Shard parse_shard(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return formats::InputError("--shard " + text + ": " + why + " (expected i/N with 1 <= i <= N, e.g. 2/8)");
  };
  const size_t slash = text.find('/');
  if (slash == std::string::npos) throw bad("no '/'");
  auto num = [&](const std::string& s) {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) throw bad("not a number");
    return std::stoi(s);
  };
  Shard s;
  s.index = num(text.substr(0, slash));
  s.count = num(text.substr(slash + 1));
  if (s.count < 1) throw bad("N must be at least 1");
  if (s.index < 1 || s.index > s.count) throw bad("i out of range");
  return s;
}

SweepRow make_row(const arch::ArchConfig& a, const Device& d, const Resources& r, uint64_t cycles, uint64_t latency,
                  const std::vector<Resources>& layer_res) {
  SweepRow row;
  row.key = config_key(a);
  row.device = d.name;
  row.mvm_lanes = a.mvm_lanes, row.mvm_groups = a.mvm_groups, row.ewu_lanes = a.ewu_lanes;
  row.fc_lanes = a.fc_lanes, row.pixels_per_beat = a.pixels_per_beat, row.spx_buffers = a.spx_buffers;
  row.clock_mhz = a.clock_mhz;
  row.conv_lanes = a.conv_lanes;
  row.res = r;
  row.res.lut = std::round(r.lut), row.res.ff = std::round(r.ff);  // as the CSV stores them
  row.cycles = cycles, row.latency = latency;
  row.inferences_per_s = cycles ? a.clock_mhz * 1e6 / double(cycles) : 0;
  row.inferences_per_s = std::round(row.inferences_per_s * 10) / 10;
  const Fit f = fit(row.res, d);
  row.fits = f.fits, row.overflow = f.overflow;
  if (a.num_layers() > 1)
    for (int l = 0; l < a.num_layers(); ++l) {
      const arch::ArchConfig v = a.layer(l);
      LayerRow lr;
      lr.mvm_lanes = v.mvm_lanes, lr.mvm_groups = v.mvm_groups, lr.ewu_lanes = v.ewu_lanes;
      lr.spx_buffers = v.spx_buffers;
      if (size_t(l) < layer_res.size()) {
        const Resources& x = layer_res[size_t(l)];
        lr.dsp = x.dsp, lr.bram36 = x.bram36(), lr.lut = std::round(x.lut), lr.ff = std::round(x.ff);
      }
      row.layers.push_back(lr);
    }
  return row;
}

SweepRow sweep_config(const arch::ArchConfig& a, const formats::Model& m, const Device& d,
                      const formats::ImageSet& images) {
  const int L = a.num_layers();
  Resources total;
  std::vector<Resources> per_layer(L > 1 ? size_t(L) : 0);
  for (const auto& b : estimate_config(a, &m)) {
    total += b.r;
    // "l<n>.<block>": layer n's datapath (only stacked configs have them).
    if (L > 1 && b.block.size() > 2 && b.block[0] == 'l') {
      const size_t dot = b.block.find('.');
      if (dot != std::string::npos) {
        const int l = std::atoi(b.block.substr(1, dot - 1).c_str());
        if (l >= 1 && l <= L) per_layer[size_t(l - 1)] += b.r;
      }
    }
  }
  const numerics::FastRun run = numerics::run_fast(m, a, images, images.count);
  const auto& s = run.schedule;
  const uint64_t latency = s.result[0] - s.first_beat[0];
  const size_t n = s.result.size();
  const uint64_t interval = n >= 2 ? s.result[n - 1] - s.result[n - 2] : latency;
  return make_row(a, d, total, interval, latency, per_layer);
}

std::vector<size_t> remaining_configs(const std::vector<arch::ArchConfig>& todo, const std::vector<SweepRow>& done,
                                      const std::string& device, const std::string& file) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < todo.size(); ++i) index.emplace(config_key(todo[i]), i);
  std::vector<bool> have(todo.size(), false);
  for (const auto& r : done) {
    if (r.device != device)
      throw formats::file_error(file, 0, "holds rows for device '" + r.device + "', not '" + device +
                                    "'; use another --out or delete it");
    auto it = index.find(r.key);
    if (it == index.end())
      throw formats::file_error(file, 0, "row '" + r.key + "' is not a config of this grid and shard; use another --out or delete it");
    have[it->second] = true;
  }
  std::vector<size_t> out;
  for (size_t i = 0; i < todo.size(); ++i)
    if (!have[i]) out.push_back(i);
  return out;
}

std::string csv_header(int layers) {
  std::string h = kHeader;
  if (layers > 1)
    for (int l = 1; l <= layers; ++l)
      for (const char* f : kLayerColumns) h += ",l" + std::to_string(l) + "_" + f;
  return h;
}

std::string csv_row(const SweepRow& r) {
  char b[512];
  std::snprintf(b, sizeof b, "%d,%d,%d,%d,%d,%d,%s,%d,%d,%d,%d,%s,%.0f,%.0f,%llu,%llu,%.1f,%d,", r.mvm_lanes,
                r.mvm_groups, r.ewu_lanes, r.fc_lanes, r.pixels_per_beat, r.spx_buffers, fmt_num(r.clock_mhz).c_str(),
                r.conv_lanes, r.res.dsp, r.res.ramb18, r.res.ramb36, fmt_num(r.res.bram36()).c_str(), r.res.lut, r.res.ff,
                (unsigned long long)r.cycles, (unsigned long long)r.latency, r.inferences_per_s, r.fits ? 1 : 0);
  std::string line = quote(r.key) + "," + quote(r.device) + "," + b + quote(r.overflow) + "," + (r.pareto ? "1" : "0");
  for (const auto& l : r.layers) {
    char c[256];
    std::snprintf(c, sizeof c, ",%d,%d,%d,%d,%d,%s,%.0f,%.0f", l.mvm_lanes, l.mvm_groups, l.ewu_lanes, l.spx_buffers,
                  l.dsp, fmt_num(l.bram36).c_str(), l.lut, l.ff);
    line += c;
  }
  return line;
}

SweepRow parse_csv_row(const std::string& line, const std::string& where, int layers) {
  const std::vector<std::string> f = split_csv(line);
  const size_t want = split_csv(kHeader).size() + (layers > 1 ? size_t(layers) * kPerLayer : 0);
  if (f.size() != want)
    throw formats::InputError(where + ": " + std::to_string(f.size()) + " fields, expected " + std::to_string(want));
  size_t i = 0;
  auto num = [&](const char* name) -> double {
    const std::string& s = f[i++];
    try {
      size_t used = 0;
      const double v = std::stod(s, &used);
      if (used != s.size() || !std::isfinite(v) || v < 0) throw std::invalid_argument("");
      return v;
    } catch (const std::exception&) {
      throw formats::InputError(where + ": field " + name + " = '" + s + "' is not a non-negative number");
    }
  };
  auto integer = [&](const char* name, double max = 2147483647.0) -> int64_t {
    const double v = num(name);
    if (v != std::floor(v) || v > max)
      throw formats::InputError(where + ": field " + std::string(name) + " is not an integer in range");
    return int64_t(v);
  };
  auto flag = [&](const char* name) -> bool {
    const std::string& s = f[i++];
    if (s != "0" && s != "1") throw formats::InputError(where + ": field " + std::string(name) + " = '" + s + "' is not 0 or 1");
    return s == "1";
  };
  SweepRow r;
  r.key = f[i++];
  r.device = f[i++];
  if (r.key.empty()) throw formats::InputError(where + ": empty key");
  r.mvm_lanes = int(integer("mvm_lanes"));
  r.mvm_groups = int(integer("mvm_groups"));
  r.ewu_lanes = int(integer("ewu_lanes"));
  r.fc_lanes = int(integer("fc_lanes"));
  r.pixels_per_beat = int(integer("pixels_per_beat"));
  r.spx_buffers = int(integer("spx_buffers"));
  r.clock_mhz = num("clock_mhz");
  r.conv_lanes = int(integer("conv_lanes"));
  r.res.dsp = int(integer("dsp"));
  r.res.ramb18 = int(integer("ramb18"));
  r.res.ramb36 = int(integer("ramb36"));
  ++i;  // bram36 is derived
  r.res.lut = num("lut");
  r.res.ff = num("ff");
  r.cycles = uint64_t(integer("cycles_per_inference", 9e15));
  r.latency = uint64_t(integer("latency_cycles", 9e15));
  r.inferences_per_s = num("inferences_per_s");
  r.fits = flag("fits");
  r.overflow = f[i++];
  r.pareto = flag("pareto");
  for (int l = 1; layers > 1 && l <= layers; ++l) {
    const std::string p = "l" + std::to_string(l) + "_";
    auto col = [&](const char* name) { return p + name; };
    LayerRow lr;
    lr.mvm_lanes = int(integer(col("mvm_lanes").c_str()));
    lr.mvm_groups = int(integer(col("mvm_groups").c_str()));
    lr.ewu_lanes = int(integer(col("ewu_lanes").c_str()));
    lr.spx_buffers = int(integer(col("spx_buffers").c_str()));
    lr.dsp = int(integer(col("dsp").c_str()));
    lr.bram36 = num(col("bram36").c_str());
    lr.lut = num(col("lut").c_str());
    lr.ff = num(col("ff").c_str());
    r.layers.push_back(lr);
  }
  return r;
}

// The layer count whose csv_header() is `line`, 0 if none.
int header_layers(const std::string& line) {
  if (line == kHeader) return 1;
  const size_t base = split_csv(kHeader).size(), n = split_csv(line).size();
  if (n <= base || (n - base) % kPerLayer) return 0;
  const size_t layers = (n - base) / kPerLayer;
  if (layers < 2 || layers > 1000) return 0;
  return line == csv_header(int(layers)) ? int(layers) : 0;
}

std::vector<SweepRow> read_sweep_csv(const std::string& path, bool* partial_tail, int* layers_out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw formats::file_error(path, 0, "cannot open sweep CSV");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  if (partial_tail) *partial_tail = false;
  std::vector<SweepRow> rows;
  int layers = 1;  // an empty file: nothing says otherwise
  size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    ++line_no;
    if (nl == std::string::npos) {  // killed mid-line: drop it
      if (partial_tail) *partial_tail = true;
      break;
    }
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line_no == 1) {
      layers = header_layers(line);
      if (!layers)
        throw formats::file_error(path, 1, "not a sweep CSV of this lstmsim (header differs); use another --out or delete it");
      continue;
    }
    rows.push_back(parse_csv_row(line, path + ":" + std::to_string(line_no), layers));
  }
  if (line_no == 0 || (line_no == 1 && partial_tail && *partial_tail)) {
    // Empty, or killed before the header was complete: nothing done yet.
    if (partial_tail) *partial_tail = !text.empty();
  }
  if (layers_out) *layers_out = layers;
  return rows;
}

void write_sweep_csv(const std::string& path, const std::vector<SweepRow>& rows, int layers) {
  if (layers == 0) layers = rows.empty() || rows[0].layers.empty() ? 1 : int(rows[0].layers.size());
  for (const auto& r : rows)  // every line must match the header
    if ((r.layers.empty() ? 1 : int(r.layers.size())) != layers)
      throw formats::file_error(path, 0, "row '" + r.key + "' has " + std::to_string(r.layers.size()) +
                                    " layers, the file " + std::to_string(layers));
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw formats::file_error(tmp, 0, "cannot write (does the directory exist?)");
    f << csv_header(layers) << "\n";
    for (const auto& r : rows) f << csv_row(r) << "\n";
    f.flush();
    if (!f) throw formats::file_error(tmp, 0, "write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw formats::file_error(path, 0, "cannot replace with " + tmp);
}

void mark_pareto(std::vector<SweepRow>& rows) {
  for (auto& p : rows) {
    p.pareto = false;
    if (!p.fits) continue;
    bool dominated = false;
    for (const auto& q : rows) {
      if (&q == &p || !q.fits) continue;
      const bool no_worse = q.res.dsp <= p.res.dsp && q.res.bram36() <= p.res.bram36() && q.res.lut <= p.res.lut &&
                            q.inferences_per_s >= p.inferences_per_s;
      const bool better = q.res.dsp < p.res.dsp || q.res.bram36() < p.res.bram36() || q.res.lut < p.res.lut ||
                          q.inferences_per_s > p.inferences_per_s;
      if (no_worse && better) {
        dominated = true;
        break;
      }
    }
    p.pareto = !dominated;
  }
}

std::vector<SweepRow> merge_sweeps(const std::vector<std::string>& paths, int* layers_out) {
  if (paths.empty()) throw formats::InputError("sweep-merge: no shard files given");
  std::vector<SweepRow> out;
  std::map<std::string, std::pair<size_t, std::string>> seen;  // key -> (row, file)
  std::string device, device_file;
  int layers = 0;
  for (const auto& p : paths) {
    bool partial = false;
    int file_layers = 1;
    const std::vector<SweepRow> rows = read_sweep_csv(p, &partial, &file_layers);
    if (layers && file_layers != layers)
      throw formats::file_error(p, 0, "a sweep of " + std::to_string(file_layers) + "-layer configs but " + paths[0] +
                                    " is of " + std::to_string(layers) + "-layer ones");
    layers = file_layers;
    for (auto r : rows) {
      if (device.empty()) device = r.device, device_file = p;
      if (r.device != device)
        throw formats::file_error(p, 0, "rows for device '" + r.device + "' but " + device_file + " has '" + device + "'");
      auto it = seen.find(r.key);
      if (it != seen.end()) {
        SweepRow a = out[it->second.first], b = r;
        a.pareto = b.pareto = false;
        if (csv_row(a) != csv_row(b))
          throw formats::file_error(p, 0, "row '" + r.key + "' differs from the same row in " + it->second.second);
        continue;
      }
      seen.emplace(r.key, std::make_pair(out.size(), p));
      out.push_back(r);
    }
    if (partial)
      throw formats::file_error(p, 0, "ends in a partial line: that shard was interrupted; rerun it (it resumes) before merging");
  }
  mark_pareto(out);
  if (layers_out) *layers_out = layers;
  return out;
}

}  // namespace lstm::sizing
