#include "arch/arch.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "formats/error.hpp"
#include "formats/json_strict.hpp"
#include "arch/timing.hpp"

namespace lstm::arch {

using json = nlohmann::json;

namespace {

const std::set<std::string> kIntFields = {"I", "H", "T", "classes", "c", "k", "mvm_lanes", "mvm_groups",
                                          "ewu_lanes", "fc_lanes", "pixels_per_beat", "spx_buffers"};

int* field(ArchConfig& a, const std::string& key) {
  if (key == "I") return &a.I;
  if (key == "H") return &a.H;
  if (key == "T") return &a.T;
  if (key == "classes") return &a.classes;
  if (key == "c") return &a.c;
  if (key == "k") return &a.k;
  if (key == "mvm_lanes") return &a.mvm_lanes;
  if (key == "mvm_groups") return &a.mvm_groups;
  if (key == "ewu_lanes") return &a.ewu_lanes;
  if (key == "fc_lanes") return &a.fc_lanes;
  if (key == "pixels_per_beat") return &a.pixels_per_beat;
  if (key == "spx_buffers") return &a.spx_buffers;
  if (key == "cnn_in") return &a.cnn_in;
  if (key == "conv_lanes") return &a.conv_lanes;
  return nullptr;
}

std::string s(int64_t v) { return std::to_string(v); }

// A stacked layer's fields (the config JSON's "layers" entries).
constexpr const char* kLayerFields[] = {"H", "mvm_lanes", "mvm_groups", "ewu_lanes", "spx_buffers"};
int* layer_field(LayerArch& l, const std::string& key) {
  if (key == "H") return &l.H;
  if (key == "mvm_lanes") return &l.mvm_lanes;
  if (key == "mvm_groups") return &l.mvm_groups;
  if (key == "ewu_lanes") return &l.ewu_lanes;
  if (key == "spx_buffers") return &l.spx_buffers;
  return nullptr;
}

}  // namespace

ArchConfig ArchConfig::layer(int l) const {
  if (l < 0 || l >= num_layers()) throw std::out_of_range("ArchConfig::layer(" + std::to_string(l) + ")");
  if (l == 0) {
    ArchConfig a = *this;
    a.more_layers.clear();
    a.stream_h = num_layers() > 1;
    return a;
  }
  const LayerArch& below = l == 1 ? LayerArch{H, mvm_lanes, mvm_groups, ewu_lanes, spx_buffers} : more_layers[l - 2];
  const LayerArch& me = more_layers[l - 1];
  ArchConfig a = *this;
  a.name = name + ".layer" + std::to_string(l + 1);
  a.more_layers.clear();
  a.I = below.H;
  a.pixels_per_beat = below.ewu_lanes;
  a.cnn_in = a.conv_lanes = 0;
  a.H = me.H;
  a.mvm_lanes = me.mvm_lanes;
  a.mvm_groups = me.mvm_groups;
  a.ewu_lanes = me.ewu_lanes;
  a.spx_buffers = me.spx_buffers;
  a.input_words = true;
  a.stream_h = l + 1 < num_layers();
  return a;
}

namespace {

// One layer's datapath; with_fc: the FC and arg-max follow this layer (the
// last one), so their constraints and pace are checked too.
void validate_one(const ArchConfig& a, const std::string& where, const std::string& prefix, bool with_fc) {
  auto fail = [&](const std::string& msg) { throw formats::file_error(where, 0, prefix + msg); };
  for (const std::string& key : kIntFields) {
    const int v = *field(const_cast<ArchConfig&>(a), key);
    if (v <= 0) fail(key + " = " + s(v) + " must be positive");
    if (v > (1 << 16)) fail(key + " = " + s(v) + " is out of range (max 65536)");
  }
  if (!(a.clock_mhz > 0 && a.clock_mhz <= 2000)) fail("clock_mhz must be in (0, 2000]");
  if (a.c > 16) fail("c = " + s(a.c) + " out of range 1..16");
  if (a.k > a.c) fail("k = " + s(a.k) + " must be in 1..c (c = " + s(a.c) + ")");
  if (a.I % a.c) fail("I = " + s(a.I) + " is not a multiple of c = " + s(a.c));
  if (a.H % a.c) fail("H = " + s(a.H) + " is not a multiple of c = " + s(a.c));
  if ((a.I / a.c) % a.mvm_groups || (a.H / a.c) % a.mvm_groups)
    fail("mvm_groups = " + s(a.mvm_groups) + " must divide I/c = " + s(a.I / a.c) + " and H/c = " + s(a.H / a.c));
  const int per_row = formats::kGates * a.k * a.mvm_groups;
  if (a.mvm_lanes % per_row)
    fail("mvm_lanes = " + s(a.mvm_lanes) + " must be a multiple of 4 gates x k x mvm_groups = " + s(per_row));
  const int R = a.rows_per_block();
  if (a.H % R)
    fail("mvm_lanes = " + s(a.mvm_lanes) + " gives " + s(R) + " hidden rows per block, which must divide H = " + s(a.H));
  if (R % a.ewu_lanes)
    fail("ewu_lanes = " + s(a.ewu_lanes) + " must divide the " + s(R) + " hidden rows per block");
  if (R / a.ewu_lanes > a.u_beats())
    fail("ewu_lanes = " + s(a.ewu_lanes) + " is too few: a block of " + s(R) + " rows takes " + s(R / a.ewu_lanes) +
         " EWU cycles but arrives every " + s(a.u_beats()) + " cycles (need ewu_lanes >= " +
         s((R + a.u_beats() - 1) / a.u_beats()) + ")");
  if (with_fc) {
    if (a.fc_lanes % a.k) fail("fc_lanes = " + s(a.fc_lanes) + " must be a multiple of k = " + s(a.k));
    if ((a.H / a.c) % a.fc_groups())
      fail("fc_lanes = " + s(a.fc_lanes) + " covers " + s(a.fc_groups()) + " groups per cycle, which must divide H/c = " +
           s(a.H / a.c));
  }
  if (a.cnn_in < 0 || a.cnn_in > (1 << 16)) fail("cnn_in = " + s(a.cnn_in) + " must be in 0..65536");
  if (a.has_cnn()) {
    const int taps = a.conv_taps();
    if (a.conv_lanes <= 0 || a.conv_lanes > (1 << 16))
      fail("conv_lanes = " + s(a.conv_lanes) + " must be in 1..65536 when cnn_in > 0");
    if (a.conv_lanes < taps ? taps % a.conv_lanes : a.conv_lanes % taps)
      fail("conv_lanes = " + s(a.conv_lanes) + " must divide, or be a multiple of, the " + s(taps) +
           " products per output (3 x cnn_in)");
    if (a.I % a.conv_ch_per_beat())
      fail("conv_lanes = " + s(a.conv_lanes) + " computes " + s(a.conv_ch_per_beat()) +
           " channels per beat, which must divide the I = " + s(a.I) + " Conv1d output channels");
    if (a.cnn_in % a.pixels_per_beat)
      fail("pixels_per_beat = " + s(a.pixels_per_beat) + " must divide cnn_in = " + s(a.cnn_in));
  } else {
    if (a.conv_lanes != 0) fail("conv_lanes = " + s(a.conv_lanes) + " is set but cnn_in is 0 (no CNN front end)");
    if (a.I % a.pixels_per_beat)
      fail("pixels_per_beat = " + s(a.pixels_per_beat) + " must divide I = " + s(a.I));
  }
  if (a.spx_buffers < 2) fail("spx_buffers = " + s(a.spx_buffers) + " must be at least 2");
  if (!with_fc) return;
  // FC and arg-max must hand back S-P-H's bank before the LSTM needs it.
  bool pace = true;
  schedule_checked(a, 4, &pace);
  if (!pace)
    fail("fc_lanes = " + s(a.fc_lanes) + " is too few: FC (" + s(int64_t(a.classes) * a.fc_beats_per_row()) +
         " cycles per image) and arg-max do not keep pace with the LSTM (" +
         s(int64_t(a.T) * a.blocks() * (a.w_beats() + a.u_beats())) + " cycles per image); raise fc_lanes");
}

}  // namespace

void validate_arch(const ArchConfig& a, const std::string& where) {
  if (a.num_layers() > formats::kMaxLayers)
    throw formats::file_error(where, 0, s(a.num_layers()) + " layers; at most " + s(formats::kMaxLayers) + " are supported");
  if (a.num_layers() == 1) return validate_one(a, where, "", true);
  for (int l = 0; l < a.num_layers(); ++l)
    validate_one(a.layer(l), where, "layers[" + s(l) + "]: ", l + 1 == a.num_layers());
}

ArchConfig load_arch(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw formats::file_error(path, 0, "cannot open architecture config");
  std::stringstream ss;
  ss << f.rdbuf();
  json j;
  try {
    j = formats::parse_json_strict<json>(ss.str(), path);
  } catch (const json::exception& e) {
    throw formats::file_error(path, 0, std::string("invalid JSON: ") + e.what());
  }
  if (!j.is_object()) throw formats::file_error(path, 0, "not a JSON object");
  ArchConfig a;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string key = it.key();
    if (key == "name") {
      if (!it->is_string()) throw formats::file_error(path, 0, "field 'name' must be a string");
      a.name = it->get<std::string>();
    } else if (key == "comment" || key == "layers") {
      continue;
    } else if (key == "input") {
      // What the input stream carries (SPEC Part A, "Input" / "Input words").
      if (*it != "pixels" && *it != "words")
        throw formats::file_error(path, 0, "field 'input' must be \"pixels\" (bytes) or \"words\" (Q2.13 words)");
      a.input_words = *it == "words";
    } else if (key == "clock_mhz") {
      if (!it->is_number()) throw formats::file_error(path, 0, "field 'clock_mhz' must be a number");
      a.clock_mhz = it->get<double>();
    } else if (int* p = field(a, key)) {
      if (!it->is_number_integer()) throw formats::file_error(path, 0, "field '" + key + "' must be an integer");
      const int64_t v = it->get<int64_t>();
      const int64_t lo = key == "cnn_in" || key == "conv_lanes" ? 0 : 1;  // 0: no front end
      if (v < lo || v > (1 << 16))
        throw formats::file_error(path, 0, key + " = " + std::to_string(v) + " must be in " + std::to_string(lo) + "..65536");
      *p = static_cast<int>(v);
    } else {
      throw formats::file_error(path, 0, "unknown field '" + key + "'");
    }
  }
  // Stacked layers: "layers" lists every layer's datapath, layer 1 first;
  // its fields are then not allowed at the top level.
  if (j.contains("layers")) {
    const json& L = j["layers"];
    if (!L.is_array() || L.empty())
      throw formats::file_error(path, 0, "'layers' must be a non-empty list (one object per LSTM layer)");
    for (const char* k : kLayerFields)
      if (j.contains(k))
        throw formats::file_error(path, 0, std::string("'") + k + "' is set per layer under 'layers', not at the top level");
    std::vector<LayerArch> layers;
    for (size_t l = 0; l < L.size(); ++l) {
      const std::string at = "layers[" + std::to_string(l) + "]";
      if (!L[l].is_object()) throw formats::file_error(path, 0, at + " must be an object");
      LayerArch la;
      for (auto it = L[l].begin(); it != L[l].end(); ++it) {
        int* p = layer_field(la, it.key());
        if (!p) throw formats::file_error(path, 0, at + ": unknown field '" + it.key() + "'");
        if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > (1 << 16))
          throw formats::file_error(path, 0, at + "." + it.key() + " must be an integer in 1..65536");
        *p = static_cast<int>(it->get<int64_t>());
      }
      for (const char* k : {"H", "mvm_lanes", "ewu_lanes"})
        if (!L[l].contains(k)) throw formats::file_error(path, 0, at + ": missing field '" + k + "'");
      layers.push_back(la);
    }
    a.H = layers[0].H;
    a.mvm_lanes = layers[0].mvm_lanes;
    a.mvm_groups = layers[0].mvm_groups;
    a.ewu_lanes = layers[0].ewu_lanes;
    a.spx_buffers = layers[0].spx_buffers;
    a.more_layers.assign(layers.begin() + 1, layers.end());
  }
  validate_arch(a, path);
  return a;
}

void check_arch_matches_model(const ArchConfig& a, const formats::Model& m, const std::string& where,
                              bool stacked_ok) {
  auto chk = [&](const std::string& name, int arch, int model) {
    if (arch != model)
      throw formats::file_error(where, 0, name + " = " + s(arch) + " in the config but " + s(model) +
                                     " in the model");
  };
  if (a.has_cnn() != m.has_cnn())
    throw formats::file_error(where, 0, a.has_cnn() ? "the config has a CNN front end (cnn_in > 0) but the model is kind lstm"
                                           : "the model is kind cnn-lstm but the config has no CNN front end "
                                             "(set cnn_in and conv_lanes)");
  if (m.has_cnn()) {
    chk("cnn_in", a.cnn_in, m.I);
    if (m.conv_kernel != 3 || m.pool != 2)
      throw formats::file_error(where, 0, "the accelerator supports Conv1d kernel 3 and pool 2 only");
  }
  // Every tool runs stacks; a caller that cannot says so (stacked_ok).
  if (!stacked_ok && (m.num_layers() != 1 || a.num_layers() != 1))
    throw formats::file_error(where, 0, std::string("the ") + (m.num_layers() != 1 ? "model" : "config") + " has " +
                                           s(std::max(m.num_layers(), a.num_layers())) +
                                           " LSTM layers; this tool runs one layer (stacked models: lstmsim run, "
                                           "classify, size, sweep, rtlsim, tlm_host)");
  if (a.num_layers() != m.num_layers())
    throw formats::file_error(where, 0, "the config has " + s(a.num_layers()) + " LSTM layers but the model " +
                                           s(m.num_layers()));
  chk("I", a.I, m.lstm_in());
  for (int l = 0; l < m.num_layers(); ++l)
    chk(m.num_layers() == 1 ? "H" : "layers[" + s(l) + "].H", a.layer(l).H, m.layers[l].H);
  chk("T", a.T, m.lstm_steps());
  chk("classes", a.classes, m.classes);
  chk("c", a.c, m.c);
  chk("k", a.k, m.k);
  if (m.input != formats::InputKind::Any && a.input_words != (m.input == formats::InputKind::Words))
    throw formats::file_error(where, 0, a.input_words
                                            ? "the config's input stream carries Q2.13 words (\"input\": \"words\") but "
                                              "the model reads pixels (its manifest: \"input\": \"pixels\")"
                                            : "the model reads Q2.13 words (its manifest: \"input\": \"words\") but the "
                                              "config's input stream carries pixels: set \"input\": \"words\" in the config");
}

ArchConfig arch_for_model(const formats::Model& m) {
  ArchConfig a;
  // Per layer: R hidden rows per block, the largest divisor of H up to the
  // default's 7 (H = 28: 112 lanes, 7 EWU lanes), one EWU lane per row.
  auto fit = [&](int H, int& lanes, int& ewu) {
    int R = std::min(H, 7);
    while (R > 1 && H % R) --R;
    lanes = formats::kGates * m.k * R;
    ewu = R;
  };
  a.I = m.lstm_in();
  a.H = m.layers[0].H;
  fit(a.H, a.mvm_lanes, a.ewu_lanes);
  for (int l = 1; l < m.num_layers(); ++l) {
    LayerArch la;
    la.H = m.layers[l].H;
    fit(la.H, la.mvm_lanes, la.ewu_lanes);
    a.more_layers.push_back(la);
  }
  // FC lanes: k (one group per cycle, the default's 4), more while the FC
  // does not keep pace with the LSTM.
  a.fc_lanes = m.k;
  a.T = m.lstm_steps();
  a.classes = m.classes;
  a.c = m.c;
  a.k = m.k;
  a.input_words = m.input == formats::InputKind::Words;
  if (m.has_cnn()) {
    // One output channel per cycle: the front end keeps pace with one pixel per beat.
    a.cnn_in = m.I;
    a.conv_lanes = 3 * m.I;
  }
  const int groups = a.hidden() / std::max(1, m.c);
  for (int f = 1; f <= groups; ++f) {
    if (groups % f) continue;
    a.fc_lanes = f * m.k;
    bool pace = true;
    schedule_checked(a.layer(a.num_layers() - 1), 4, &pace);
    if (pace) break;
  }
  // Never a config that hangs or runs a different design: an invalid one
  // (e.g. EWU pace) is refused here, naming the fix.
  validate_arch(a, "the default config for this model (give --arch to choose one)");
  return a;
}

formats::Model model_shape(const ArchConfig& a) {
  formats::Model s;
  s.layers.assign(size_t(a.num_layers()), formats::LstmLayer{});
  for (int l = 0; l < a.num_layers(); ++l) s.layers[size_t(l)].H = a.layer(l).H;
  s.T = a.T;
  s.I = a.I;
  if (a.has_cnn()) {
    s.kind = formats::ModelKind::CnnLstm;
    s.I = a.cnn_in;
    s.conv_out = a.I;
    s.T = a.cnn_steps();
  }
  s.classes = a.classes;
  s.c = a.c;
  s.k = a.k;
  return s;
}

}  // namespace lstm::arch
