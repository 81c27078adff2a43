#include "arch/sample.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "formats/error.hpp"

namespace lstm::arch {

namespace {

// splitmix64: a stream per (seed, index), the same on every platform
// (std::uniform_int_distribution is not).
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
  bool coin(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
};

std::vector<int> divisors(int n) {
  std::vector<int> d;
  for (int i = 1; i <= n; ++i)
    if (n % i == 0) d.push_back(i);
  return d;
}

// One value of `cands` (non-empty, ascending): with probability edge_rate
// one of the edges (the first, the last, or one of `extra` that is a
// candidate), otherwise uniform.
int pick(Rng& r, const std::vector<int>& cands, double edge_rate, std::vector<int> extra = {}) {
  if (cands.empty()) throw std::logic_error("sample: no candidate");
  if (r.coin(edge_rate)) {
    std::vector<int> edges = {cands.front(), cands.back()};
    for (int e : extra)
      if (std::find(cands.begin(), cands.end(), e) != cands.end()) edges.push_back(e);
    return edges[size_t(r.below(int(edges.size())))];
  }
  return cands[size_t(r.below(int(cands.size())))];
}

std::vector<int> range(int lo, int hi) {
  std::vector<int> v;
  for (int i = lo; i <= hi; ++i) v.push_back(i);
  return v;
}
std::vector<int> multiples(int c, int max) {
  std::vector<int> v;
  for (int m = c; m <= std::max(c, max); m += c) v.push_back(m);
  return v;
}

// The FC lanes with which `a` is valid, ascending: k x a divisor of H/c
// (the last layer's H), the few that keep pace.
std::vector<int> pacing_fc_lanes(ArchConfig a) {
  std::vector<int> fc;
  for (int g : divisors(a.hidden() / a.c)) {
    a.fc_lanes = a.k * g;
    try {
      validate_arch(a, a.name);
      fc.push_back(a.fc_lanes);
    } catch (const formats::InputError&) {
    }
  }
  return fc;
}

// The parallelism of one layer's datapath, given its I and H: groups, rows
// per block (lanes), EWU lanes and buffers, each from its valid values.
void sample_datapath(Rng& r, const SampleSpace& sp, int I, int H, int c, int k, LayerArch& la) {
  la.H = H;
  la.mvm_groups = pick(r, divisors(std::gcd(I / c, H / c)), sp.edge_rate);
  std::vector<int> rows;
  for (int d : divisors(H))
    if (4 * k * la.mvm_groups * d <= sp.max_lanes) rows.push_back(d);
  if (rows.empty()) rows.push_back(1);
  const int R = pick(r, rows, sp.edge_rate);  // 1: fewest lanes, the most: one block (or max_lanes)
  la.mvm_lanes = 4 * k * la.mvm_groups * R;
  const int uc = H / (c * la.mvm_groups);
  std::vector<int> e;
  for (int d : divisors(R))
    if (R / d <= uc) e.push_back(d);
  la.ewu_lanes = pick(r, e, sp.edge_rate);  // R: S = 1; the least: S as large as the U phase allows
  la.spx_buffers = pick(r, range(2, 5), sp.edge_rate);
}

ArchConfig draw(Rng& r, const SampleSpace& sp) {
  ArchConfig a;
  const double er = sp.edge_rate;
  a.c = pick(r, range(1, 16), er, {4, 7, 8});
  a.k = pick(r, range(1, a.c), er);  // 1 and c = k
  const bool cnn = r.coin(sp.cnn_rate);
  const int layers = r.coin(sp.stack_rate) ? pick(r, range(2, sp.max_layers), er) : 1;
  a.I = pick(r, multiples(a.c, sp.max_dim), er);
  a.T = pick(r, range(1, sp.max_T), er, {2});
  a.classes = pick(r, range(1, sp.max_classes), er, {2, 10});
  std::vector<LayerArch> ls(static_cast<size_t>(layers));
  int in = a.I;
  for (auto& la : ls) {
    sample_datapath(r, sp, in, pick(r, multiples(a.c, sp.max_dim), er), a.c, a.k, la);
    in = la.H;
  }
  a.H = ls[0].H, a.mvm_lanes = ls[0].mvm_lanes, a.mvm_groups = ls[0].mvm_groups;
  a.ewu_lanes = ls[0].ewu_lanes, a.spx_buffers = ls[0].spx_buffers;
  a.more_layers.assign(ls.begin() + 1, ls.end());
  int cols = a.I;
  if (cnn) {
    a.cnn_in = pick(r, range(1, 16), er);
    const int taps = 3 * a.cnn_in;
    std::vector<int> lanes = divisors(taps);  // J = taps / lanes beats per channel
    for (int pc : divisors(a.I))
      if (pc > 1 && taps * pc <= sp.max_lanes) lanes.push_back(taps * pc);  // pc channels per beat
    a.conv_lanes = pick(r, lanes, er);
    cols = a.cnn_in;
  }
  a.pixels_per_beat = pick(r, divisors(cols), er);  // 1 and a whole row per beat
  const std::vector<int> fc = pacing_fc_lanes(a);
  a.fc_lanes = fc.empty() ? a.k : pick(r, fc, er);
  a.input_words = r.coin(sp.words_rate);  // drawn last: the draws above stay those of earlier samplers
  return a;
}

// The config features, each at the layer the block cosims of the config
// test (sampled_layer): the coverage table's rows, and what the edge
// targets of sample_config ask for.
struct Feature {
  const char* name;
  bool (*has)(const ArchConfig& a, int l);
};
const Feature kFeatures[] = {
    {"S = 1 (EWU lanes = rows per block)", [](const ArchConfig& a, int l) { return a.layer(l).derived("S") == 1; }},
    {"S = 2", [](const ArchConfig& a, int l) { return a.layer(l).derived("S") == 2; }},
    {"S >= 3", [](const ArchConfig& a, int l) { return a.layer(l).derived("S") >= 3; }},
    {"S = R > 1 (1 EWU lane)",
     [](const ArchConfig& a, int l) { return a.layer(l).ewu_lanes == 1 && a.layer(l).rows_per_block() > 1; }},
    {"R = 1 (fewest MVM lanes)", [](const ArchConfig& a, int l) { return a.layer(l).rows_per_block() == 1; }},
    {"B = 1 (most MVM lanes, one block)", [](const ArchConfig& a, int l) { return a.layer(l).blocks() == 1; }},
    {"G > 1 (MVM groups)", [](const ArchConfig& a, int l) { return a.layer(l).mvm_groups > 1; }},
    {"WC != UC", [](const ArchConfig& a, int l) { return a.layer(l).w_beats() != a.layer(l).u_beats(); }},
    {"WC = 1 or UC = 1 (single-beat phase)",
     [](const ArchConfig& a, int l) { return a.layer(l).w_beats() == 1 || a.layer(l).u_beats() == 1; }},
    {"P > 1 (pixels/words per input beat)", [](const ArchConfig& a, int l) { return a.layer(l).pixels_per_beat > 1; }},
    {"single-beat rows (P = row length)", [](const ArchConfig& a, int l) { return a.layer(l).beats_per_row() == 1; }},
    {"several beats per row", [](const ArchConfig& a, int l) { return a.layer(l).beats_per_row() > 1; }},
    {"NB > 2 (S-P-X buffers)", [](const ArchConfig& a, int l) { return a.layer(l).spx_buffers > 2; }},
    {"layer input is words (layer >= 2)", [](const ArchConfig&, int l) { return l > 0; }},
    {"Q2.13 input words (INPUT_WORDS)", [](const ArchConfig& a, int) { return a.input_words; }},
    {"S-P-H streams h_t (layer below the last)", [](const ArchConfig& a, int l) { return a.layer(l).stream_h; }},
    {"T = 1", [](const ArchConfig& a, int) { return a.T == 1; }},
    {"c = k", [](const ArchConfig& a, int) { return a.c == a.k; }},
    {"k = 1", [](const ArchConfig& a, int) { return a.k == 1; }},
    {"c = 16", [](const ArchConfig& a, int) { return a.c == 16; }},
    {"classes <= 2", [](const ArchConfig& a, int) { return a.classes <= 2; }},
    {"classes > 16", [](const ArchConfig& a, int) { return a.classes > 16; }},
    {"FC groups > 1", [](const ArchConfig& a, int) { return a.layer(a.num_layers() - 1).fc_groups() > 1; }},
    {"FC beats per row = 1", [](const ArchConfig& a, int) { return a.layer(a.num_layers() - 1).fc_beats_per_row() == 1; }},
    // The CNN front end's blocks are tested with layer 1's.
    {"CNN front end", [](const ArchConfig& a, int l) { return a.has_cnn() && l == 0; }},
    {"CNN: J > 1 (conv lanes < taps)", [](const ArchConfig& a, int l) { return a.has_cnn() && l == 0 && a.conv_beats_per_ch() > 1; }},
    {"CNN: Pc > 1 (channels per beat)", [](const ArchConfig& a, int l) { return a.has_cnn() && l == 0 && a.conv_ch_per_beat() > 1; }},
    {"2 layers", [](const ArchConfig& a, int) { return a.num_layers() == 2; }},
    {"3 layers", [](const ArchConfig& a, int) { return a.num_layers() == 3; }},
};

bool has(const ArchConfig& a, int l, std::string_view feature) {
  for (const Feature& f : kFeatures)
    if (feature == f.name) return f.has(a, l);
  throw std::logic_error("sample: no feature '" + std::string(feature) + "'");
}

// Edge targets by index (cycled): config i is drawn until it has every
// feature of target i mod 12, so whatever the seed the first configs of a
// sample hit the corners a uniform draw rarely does (S >= 3 needs R >= 3
// and few EWU lanes at once).
const std::vector<std::vector<const char*>> kTargets = {
    {"S >= 3"},
    {"G > 1 (MVM groups)"},
    {"CNN front end"},
    {"layer input is words (layer >= 2)"},
    {"P > 1 (pixels/words per input beat)", "several beats per row", "NB > 2 (S-P-X buffers)"},
    {"T = 1"},
    {"S = R > 1 (1 EWU lane)"},
    {"c = 16", "c = k"},
    {"3 layers"},
    {"CNN front end", "S >= 3", "Q2.13 input words (INPUT_WORDS)"},
    {"S = 2", "G > 1 (MVM groups)"},
    {"single-beat rows (P = row length)", "FC groups > 1"},
};

}  // namespace

int sampled_layer(const ArchConfig& a, int index) { return index % a.num_layers(); }

ArchConfig sample_config(uint64_t seed, int index, const SampleSpace& space) {
  Rng r{seed * 0x2545f4914f6cdd1dull + static_cast<uint64_t>(index) * 0x9e3779b97f4a7c15ull + 1};
  const std::vector<const char*>& target = kTargets[static_cast<size_t>(index) % kTargets.size()];
  std::optional<ArchConfig> any;
  for (int attempt = 0; attempt < 5000; ++attempt) {
    ArchConfig a = draw(r, space);
    a.name = "sampled-" + std::to_string(seed) + "-" + std::to_string(index);
    try {
      validate_arch(a, a.name);
      sampled_view(a, index);  // the block cosims' layer needs a valid FC of its own
    } catch (const std::exception&) {
      continue;  // no fc_lanes keeps pace with this draw (few classes and a fast LSTM): draw again
    }
    const int l = sampled_layer(a, index);
    if (std::all_of(target.begin(), target.end(), [&](const char* f) { return has(a, l, f); })) return a;
    if (!any) any = a;
  }
  if (any) return *any;  // the space has no config with the target (a SampleSpace too small for it)
  throw std::runtime_error("sample_config: no valid config in 5000 draws");
}

ArchConfig sampled_view(const ArchConfig& a, int index) {
  const int l = sampled_layer(a, index);
  ArchConfig v = a.layer(l);
  v.input_words = v.stream_h = false;
  v.name = a.name + (a.num_layers() > 1 ? ".layer" + std::to_string(l + 1) : "");
  if (l + 1 == a.num_layers()) return v;
  const std::vector<int> fc = pacing_fc_lanes(v);  // the fewest FC lanes that keep pace
  if (fc.empty()) throw std::runtime_error(v.name + ": no fc_lanes keeps pace");
  v.fc_lanes = fc.front();
  return v;
}

std::vector<std::pair<std::string, int>> sample_coverage(const std::vector<ArchConfig>& configs) {
  std::vector<std::pair<std::string, int>> out;
  for (const Feature& f : kFeatures) {
    int n = 0;
    for (size_t i = 0; i < configs.size(); ++i) {
      const int index = static_cast<int>(i);
      n += f.has(configs[i], sampled_layer(configs[i], index));
    }
    out.emplace_back(f.name, n);
  }
  return out;
}

std::string arch_json_text(const ArchConfig& a) {
  nlohmann::ordered_json j;
  j["name"] = a.name;
  j["I"] = a.I;
  j["T"] = a.T;
  j["classes"] = a.classes;
  j["c"] = a.c;
  j["k"] = a.k;
  j["fc_lanes"] = a.fc_lanes;
  j["pixels_per_beat"] = a.pixels_per_beat;
  if (a.input_words) j["input"] = "words";
  j["clock_mhz"] = a.clock_mhz;
  if (a.has_cnn()) {
    j["cnn_in"] = a.cnn_in;
    j["conv_lanes"] = a.conv_lanes;
  }
  auto layer = [](const ArchConfig& v) {
    return nlohmann::ordered_json{{"H", v.H},
                                  {"mvm_lanes", v.mvm_lanes},
                                  {"mvm_groups", v.mvm_groups},
                                  {"ewu_lanes", v.ewu_lanes},
                                  {"spx_buffers", v.spx_buffers}};
  };
  if (a.num_layers() == 1) {
    const nlohmann::ordered_json one = layer(a);
    for (const auto& [key, v] : one.items()) j[key] = v;
  } else {
    nlohmann::ordered_json ls = nlohmann::ordered_json::array();
    for (int l = 0; l < a.num_layers(); ++l) ls.push_back(layer(a.layer(l)));
    j["layers"] = ls;
  }
  return j.dump(2) + "\n";
}

}  // namespace lstm::arch
