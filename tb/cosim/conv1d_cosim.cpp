// Conv1d: SystemC model vs RTL in lockstep. A random Conv1d (weights of
// three magnitudes, so outputs both saturate and stay in range; full-range
// biases) in ROM images the RTL reads with +rom_dir; random pixels with
// runs of 0 and 255; random source gaps and sink stalls (the line buffer
// runs full and the pipeline starves), rare reset pulses mid-image. Every
// output compared every cycle. Parameters: CNN_IN, CONV_LANES,
// PIX_PER_BEAT, I, T, WORDS_IN (Q2.13 words in, full range with runs of
// -32768 / 32767, instead of pixels).
#include "conv1d.hpp"
#include "cosim.hpp"
#include "arch/arch.hpp"
#include "rtlgen/rom_layout.hpp"
#include "test_util.hpp"
#include RTL_HEADER

namespace {

constexpr int CI = COSIM_CNN_IN, L = COSIM_CONV_LANES, P = COSIM_PIX_PER_BEAT, I = COSIM_I, T = COSIM_T;
constexpr int TAPS = COSIM_CONV_TAPS, PC = COSIM_CONV_PC;  // derived (lstm-arch --params)
#ifndef COSIM_WORDS_IN
#define COSIM_WORDS_IN 0
#endif
constexpr bool kWords = COSIM_WORDS_IN != 0;

// The LSTM part only has to be valid (write_rom_images writes its ROMs too):
// H = I, c = the largest divisor of I up to 16, k = 1, R = 1.
// A sampled config's (COSIM_SAMPLED_CONFIG) is its own: the wmem beside
// conv1d in its one Verilated model reads the same ROM directory.
lstm::arch::ArchConfig arch() {
#ifdef COSIM_SAMPLED_CONFIG
  lstm::arch::ArchConfig s = lstm::arch::load_arch(COSIM_ARCH);
  s.input_words = kWords;  // the sampled layer's flag (layer_flags.json), not in its view
  return s;
#endif
  int c = 1;
  for (int d = 1; d <= 16 && d <= I; ++d)
    if (I % d == 0) c = d;
  lstm::arch::ArchConfig a;
  a.name = "cosim_" COSIM_NAME;
  a.I = I;
  a.H = I;
  a.T = T;
  a.classes = 2;
  a.c = c;
  a.k = 1;
  a.mvm_lanes = 4;
  a.mvm_groups = 1;
  a.ewu_lanes = 1;
  a.fc_lanes = 1;
  a.pixels_per_beat = P;
  a.spx_buffers = 2;
  a.cnn_in = CI;
  a.conv_lanes = L;
  a.input_words = kWords;
  lstm::arch::validate_arch(a, a.name);
  return a;
}

lstm::formats::Model model_for(const lstm::arch::ArchConfig& a, uint64_t seed) {
  lstm::formats::Model shape;
  shape.kind = lstm::formats::ModelKind::CnnLstm;
  shape.I = CI;
  shape.T = 2 * T;
  shape.set_hidden({a.H});
  shape.classes = a.classes;
  shape.c = a.c;
  shape.k = a.k;
  shape.conv_out = I;
  lstm::formats::Model m = lstm::formats::random_model(shape, seed);
  // Per output channel a weight magnitude: full range (saturates), 1/16,
  // 1/256 (in range); full-range biases.
  std::mt19937_64 rng(seed);
  for (int o = 0; o < I; ++o) {
    const int span = o % 3 == 0 ? 32767 : o % 3 == 1 ? 2048 : 128;
    std::uniform_int_distribution<int> d(-span - (span == 32767), span);
    for (int q = 0; q < CI * 3; ++q) m.conv_w[size_t(o) * CI * 3 + q] = static_cast<int16_t>(d(rng));
    m.conv_b[o] = static_cast<int16_t>(static_cast<int>(rng() % 65536) - 32768);
  }
  return m;
}

}  // namespace

TEST_CASE("cosim conv1d " COSIM_NAME, "[cosim]") {
  const lstm::arch::ArchConfig a = arch();
  REQUIRE(a.conv_ch_per_beat() == PC);
  const lstm::formats::Model m = model_for(a, 4242 + L);
  testutil::TempDir tmp;
  lstm::rtlgen::write_rom_images(m, a, tmp.str());
  const std::string plus = "+rom_dir=" + tmp.str();
  const char* args[] = {"cosim", plus.c_str()};
  Verilated::commandArgsAdd(2, args);

  cosim::bench<accel::conv1d, RTL_TOP> b("conv1d", 99 + L * 7 + CI, m, a);
  b.reset_rate = 2e-5;
  auto& pix_valid = b.in(COSIM_PORT(b, pix_valid_i));
  auto& pix_data = b.in(COSIM_PORT(b, pix_data_i), cosim::words{kWords ? 16 : 8});
  auto& out_ready = b.in(COSIM_PORT(b, out_ready_i));
  cosim::source src(b.pace, b.rst_n, pix_valid, b.out(COSIM_PORT(b, pix_ready_o)));
  const auto& out_valid = b.out(COSIM_PORT(b, out_valid_o));
  const auto& out_data = b.out(COSIM_PORT(b, out_data_o), cosim::words{16});
  cosim::sink snk(b.pace, b.rst_n, out_ready, out_valid);
  b.every_cycle([&] {
    // Pixels (words): uniform, or runs of the extremes of the products.
    src.tick([&](bool) {
      accel::Words w(P);
      const int mode = b.pace.below(8);
      const int lo = kWords ? -32768 : 0, hi = kWords ? 32767 : 255;
      for (int i = 0; i < P; ++i) w[i] = mode == 0 ? lo : mode == 1 ? hi : lo + b.pace.below(hi - lo + 1);
      pix_data.write(w);
    });
    snk.tick();
  });
  // Saturated output words taken (both sides agree on them: the model's).
  uint64_t sat = 0, inrange = 0;
  b.every_check([&] {
    if (!out_valid.read() || !out_ready.read()) return;
    for (int32_t x : out_data.read().v) (x == 32767 || x == -32768 ? sat : inrange)++;
  });
  b.run(COSIM_CYCLES);
  const uint64_t beats_per_image = uint64_t(2 * T) * (CI / P);
  COSIM_ACTIVITY(src.taken > 4 * beats_per_image);
  COSIM_ACTIVITY(snk.taken > 4 * uint64_t(2 * T) * (I / PC));
  COSIM_ACTIVITY(src.blocked > COSIM_CYCLES / 100);   // line buffer full
  COSIM_ACTIVITY(snk.stalled > COSIM_CYCLES / 100);  // output held
  COSIM_ACTIVITY(sat > 0);
  COSIM_ACTIVITY(inrange > 0);
  b.summary(", ", src.taken, " pixel beats (", src.taken / beats_per_image, " images), ", snk.taken,
            " output beats (", sat, " saturated, ", inrange, " in-range words), ", src.blocked, " blocked, ",
            snk.stalled, " stalled cycles, ", b.resets, " resets");
}
