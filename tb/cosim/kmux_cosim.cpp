// KMUX: SystemC model vs RTL in lockstep. Random legal beats (valid held
// until taken, the beat changing at random while valid is low), x_t and
// h_{t-1} changing at random, op_ready at random, with probabilities that
// change during the run, and rare reset pulses. The LSTM weight ROM is
// modelled here like sc_model/blocks/wmem (registered read, held while
// enable is low) with random legal entries (idx < C, any code), driven by
// the model's mem_en_o/mem_addr_o and read by both sides; its image is
// redrawn now and then (a weight reload). Every output compared every
// cycle. Parameters: I, H, T, C, K, LANES, GROUPS.
#include "cosim.hpp"
#include "kmux.hpp"
#include RTL_HEADER

TEST_CASE("cosim kmux " COSIM_NAME, "[cosim]") {
  constexpr int I = COSIM_I, H = COSIM_H, T = COSIM_T, C = COSIM_C, K = COSIM_K, L = COSIM_LANES, G = COSIM_GROUPS;
  constexpr int R = COSIM_R, B = COSIM_B, WC = COSIM_WC, UC = COSIM_UC;  // derived (lstm-arch --params)
  constexpr int ENT_W = COSIM_ENT_W, DEPTH = COSIM_LSTM_DEPTH;
  static_assert(4 * R * K * G == L && R * B == H && WC * C * G == I && UC * C * G == H, "illegal parameter set");
  const lstm::arch::ArchConfig a = cosim::lstm_arch(I, H, T, C, K, L, G);
  REQUIRE(a.blocks() == B);
  REQUIRE(a.w_beats() == WC);
  REQUIRE(a.u_beats() == UC);

  cosim::bench<accel::kmux, RTL_TOP> b("kmux", 99 + uint64_t(L) * 7919 + I * 131 + H * 17 + T * 3 + C, a);
  b.reset_rate = 2e-5;
  const auto tag = cosim::beat{};
  auto& beat_valid = b.in(COSIM_PORT(b, beat_valid_i));
  auto& beat = b.in(COSIM_PORT(b, beat_i), tag);
  auto& x = b.in(COSIM_PORT(b, x_i), cosim::words{16});
  auto& h = b.in(COSIM_PORT(b, h_i), cosim::words{16});
  auto& mem_data = b.in(COSIM_PORT(b, mem_data_i), cosim::words{ENT_W, false});
  auto& op_ready = b.in(COSIM_PORT(b, op_ready_i));
  cosim::source src(b.pace, b.rst_n, beat_valid, b.out(COSIM_PORT(b, beat_ready_o)));
  const auto& mem_en = b.out(COSIM_PORT(b, mem_en_o));
  const auto& mem_addr = b.out(COSIM_PORT(b, mem_addr_o), cosim::number{});
  cosim::sink snk(b.pace, b.rst_n, op_ready, b.out(COSIM_PORT(b, op_valid_o)));
  b.out(COSIM_PORT(b, op_data_o), cosim::words{16});
  b.out(COSIM_PORT(b, op_code_o), cosim::words{4, false});
  b.out(COSIM_PORT(b, op_tag_o), tag);

  auto words = [&](int n) {
    accel::Words w(n);
    for (int i = 0; i < n; ++i) w[i] = b.pace.below(65536) - 32768;
    return w;
  };
  std::vector<accel::Words> rom(DEPTH, accel::Words(L));
  auto redraw = [&] {
    for (auto& e : rom)
      for (int lane = 0; lane < L; ++lane) e[lane] = b.pace.below(C) << 4 | b.pace.below(16);
  };
  redraw();
  uint64_t u0_beats = 0, reads = 0, bad_addr = 0;
  b.every_cycle([&] {
    // The ROM port: data the cycle after en, held while en is low.
    if (b.cycle() % 65536 == 0) redraw();
    if (mem_en.read()) {
      const int adr = mem_addr.read();
      if (adr < 0 || adr >= DEPTH) {
        ++bad_addr;
      } else {
        ++reads;
        mem_data.write(rom[static_cast<size_t>(adr)]);
      }
    }
    if (src.tick([&](bool) {
          accel::Beat t;
          t.phase = static_cast<uint8_t>(b.pace.below(2));
          t.step = static_cast<uint16_t>(b.pace.coin(0.25) ? 0 : b.pace.below(T));  // t = 0 often: h_{-1} = 0
          t.block = static_cast<uint16_t>(b.pace.below(B));
          const int beats = t.phase == accel::kPhaseW ? WC : UC;
          t.beat = static_cast<uint16_t>(b.pace.below(beats));
          t.first = t.beat == 0;
          t.last = t.beat == beats - 1;
          t.first_step = t.step == 0;
          t.last_step = t.step == T - 1;
          beat.write(t);
        }))
      u0_beats += beat.read().phase == accel::kPhaseU && beat.read().first_step;
    snk.tick();
    if (b.pace.coin(0.2)) x.write(words(I));
    if (b.pace.coin(0.2)) h.write(words(H));
  });
  b.run(COSIM_CYCLES);
  CHECK(bad_addr == 0);
  COSIM_ACTIVITY(src.taken > COSIM_CYCLES / 8);
  COSIM_ACTIVITY(snk.taken > COSIM_CYCLES / 8);
  COSIM_ACTIVITY(snk.stalled > COSIM_CYCLES / 100);
  COSIM_ACTIVITY(u0_beats > COSIM_CYCLES / 100);
  b.summary(", ", src.taken, " beats in, ", snk.taken, " out, ", snk.stalled, " stalled, ", reads, " ROM reads, ",
            b.resets, " resets");
}
