// The config sampler (docs/rtl.md, "Sampled configs"): valid
// architecture configs drawn from the space validate_arch accepts and the
// sweep grids span, biased toward its edges, for the sampled-config
// cosimulations. One place: lstm-arch / `lstmsim arch --sample` and CMake
// use it, nothing re-implements it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "arch/arch.hpp"

namespace lstm::arch {

struct SampleSpace {
  int max_dim = 64;      // I, H and Conv1d channels at most (cosim run time grows with them)
  int max_lanes = 1024;  // MVM lanes and Conv1d multipliers at most (the wide fixed set has 896)
  int max_T = 16;        // LSTM steps
  int max_classes = 32;
  int max_layers = 3;
  double cnn_rate = 0.25;    // configs with the CNN front end
  double stack_rate = 0.35;  // configs with more than one LSTM layer
  double words_rate = 0.25;  // configs whose input is Q2.13 words ("input": "words")
  double edge_rate = 0.4;    // each field: an edge value instead of a uniform draw
};

// Config `index` of the sample drawn with `seed`: deterministic in (seed,
// index), independent of the other indices; always valid (validate_arch).
// Index i is drawn until it has the features of edge target i mod 12
// (S >= 3, G > 1, the CNN front end, a stacked layer's words in, P > 1 with
// NB > 2, T = 1, S = R, c = k = 16, 3 layers, ...: sample.cpp), so even 8
// configs reach the corners a uniform draw rarely does.
// Its name is "sampled-<seed>-<index>".
ArchConfig sample_config(uint64_t seed, int index, const SampleSpace& space = {});

// The layer whose datapath the block cosims of config `index` test: index
// mod L, so a sample covers every layer position.
int sampled_layer(const ArchConfig& a, int index);

// That layer's datapath as a one-layer config of its own (a.layer(l): its
// input I = the layer below's H at pixels_per_beat = that layer's
// ewu_lanes), with an fc_lanes valid for its H (the block cosims test the
// FC at that layer too); throws std::runtime_error if no fc_lanes is.
ArchConfig sampled_view(const ArchConfig& a, int index);

// The config features a sample exercises, each at the layer the block
// cosims of config i test (sampled_layer(configs[i], i)): (feature, number
// of configs that have it), in a fixed order, every feature listed even at
// 0, so a gap shows up as a number.
std::vector<std::pair<std::string, int>> sample_coverage(const std::vector<ArchConfig>& configs);

// The JSON a config file of `a` holds (load_arch reads it back equal).
std::string arch_json_text(const ArchConfig& a);

}  // namespace lstm::arch
