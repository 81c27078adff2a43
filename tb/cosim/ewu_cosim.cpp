// EWU: SystemC model vs RTL in lockstep. The FIFO-C and bias ROM ports are
// modelled by the test bench: the pop side offers random c_{t-1} words with
// random gaps (valid and data held until popped, as FIFO-C's registered
// head), the push side takes c_t with random back-pressure, and the bias ROM
// answers a read the cycle after bias_en_o with random words and holds them
// while bias_en_o is low (wmem's BRAM output register). Blocks of sums
// arrive with random gaps (held until taken, data random while low):
// random blocks, steps and first/last-step flags, sums over the whole
// ACC_W range and around every hsig/ptanh breakpoint and sat16 limit; h
// out has random back-pressure. Probabilities change during the run; random
// reset pulses. Every output compared every cycle.
// Parameters: I, H, T, C, K, LANES, GROUPS, EWU_LANES.
#include "cosim.hpp"
#include "ewu.hpp"
#include RTL_HEADER

TEST_CASE("cosim ewu " COSIM_NAME, "[cosim]") {
  constexpr int I = COSIM_I, H = COSIM_H, T = COSIM_T, C = COSIM_C, K = COSIM_K, L = COSIM_LANES, G = COSIM_GROUPS,
                E = COSIM_EWU_LANES;
  constexpr int R = COSIM_R, B = COSIM_B, UC = COSIM_UC, S = COSIM_S, ACC_W = COSIM_ACC_W;  // derived (lstm-arch --params)
  static_assert(4 * R * K * G == L && S * E == R, "EWU_LANES must divide R");
  lstm::arch::ArchConfig a = cosim::lstm_arch(I, H, T, C, K, L, G);
  a.ewu_lanes = E;
  REQUIRE(a.rows_per_block() == R);

  cosim::bench<accel::ewu, RTL_TOP> b("ewu", 0x657775 + I * 1000003 + L * 7919 + E * 31 + K, a);
  b.reset_rate = 2e-5;
  const std::vector<double> levels = {0.1, 0.5, 0.9, 1.0, 1.0};
  auto& acc_valid = b.in(COSIM_PORT(b, acc_valid_i));
  auto& acc_data = b.in(COSIM_PORT(b, acc_data_i), cosim::words{ACC_W});
  auto& acc_tag = b.in(COSIM_PORT(b, acc_tag_i), cosim::beat{});
  auto& cpop_valid = b.in(COSIM_PORT(b, cpop_valid_i));
  auto& cpop_data = b.in(COSIM_PORT(b, cpop_data_i), cosim::words{16});
  auto& cpush_ready = b.in(COSIM_PORT(b, cpush_ready_i));
  auto& bias_data = b.in(COSIM_PORT(b, bias_data_i), cosim::words{16});
  auto& h_ready = b.in(COSIM_PORT(b, h_ready_i));
  cosim::source acc(b.pace, b.rst_n, acc_valid, b.out(COSIM_PORT(b, acc_ready_o)), levels);
  cosim::source pop(b.pace, b.rst_n, cpop_valid, b.out(COSIM_PORT(b, cpop_ready_o)), levels);
  cosim::sink push(b.pace, b.rst_n, cpush_ready, b.out(COSIM_PORT(b, cpush_valid_o)), levels);
  b.out(COSIM_PORT(b, cpush_data_o), cosim::words{16});
  const auto& bias_en = b.out(COSIM_PORT(b, bias_en_o));
  b.out(COSIM_PORT(b, bias_addr_o), cosim::number{});
  cosim::sink hout(b.pace, b.rst_n, h_ready, b.out(COSIM_PORT(b, h_valid_o)), levels);
  b.out(COSIM_PORT(b, h_data_o), cosim::words{16});
  b.out(COSIM_PORT(b, h_row_o), cosim::number{});
  b.out(COSIM_PORT(b, h_last_o));

  auto sum = [&]() -> int32_t {
    constexpr int64_t lo = -(int64_t(1) << (ACC_W - 1)), hi = (int64_t(1) << (ACC_W - 1)) - 1;
    static const int64_t e[] = {lo, hi, lo + 1, hi - 1, -32769, -32768, -32767, 32766, 32767, 32768,
                                -20481, -20480, -20479, -4097, -4096, -4095, -1, 0, 1, 4095, 4096, 4097,
                                20479, 20480, 20481, -16384, 16383, -8, 7};
    switch (b.pace.below(8)) {
      case 0:
      case 1: return static_cast<int32_t>(lo + static_cast<int64_t>(b.pace() % uint64_t(hi - lo + 1)));
      case 2: return b.pace.below(140001) - 70000;
      case 3:
      case 4: return b.pace.below(50001) - 25000;
      case 5: return b.pace.below(10001) - 5000;
      default: return static_cast<int32_t>(e[b.pace.below(sizeof e / sizeof e[0])]);
    }
  };
  auto word = [&]() -> int32_t {
    static const int32_t e[] = {32767, -32767, -1, 0, 1, 8192, -8192, 20480, -20481, 4096, -4097};
    switch (b.pace.below(8)) {
      case 0: return -32768;
      case 1: return e[b.pace.below(sizeof e / sizeof e[0])];
      default: return b.pace.below(65536) - 32768;
    }
  };
  uint64_t bias_reads = 0;
  b.every_cycle([&] {
    // Blocks of sums from the MVM array.
    acc.tick([&](bool offered) {
      accel::Beat t;
      t.phase = accel::kPhaseU;
      const int pick = b.pace.below(4);
      t.step = static_cast<uint16_t>(pick == 0 ? 0 : pick == 1 ? T - 1 : b.pace.below(T));
      t.block = static_cast<uint16_t>(b.pace.below(B));
      t.beat = static_cast<uint16_t>(UC - 1);
      t.first = UC == 1;
      t.last = true;
      t.first_step = offered ? t.step == 0 : b.pace.coin(0.5);  // anything while valid is low
      t.last_step = offered ? t.step == T - 1 : b.pace.coin(0.5);
      acc_tag.write(t);
      accel::Words d(4 * R);
      for (auto& x : d.v) x = sum();
      acc_data.write(d);
    });
    // FIFO-C: the head entry stays until popped; the push side stalls.
    pop.tick([&](bool) {
      accel::Words c(E);
      for (auto& x : c.v) x = word();
      cpop_data.write(c);
    });
    push.tick();
    // Bias ROM: data the cycle after the enable, held otherwise.
    if (bias_en.read()) {
      ++bias_reads;
      accel::Words w(4 * E);
      for (auto& x : w.v) x = b.pace.coin(0.25) ? b.pace.below(2048) - 1024 : word();
      bias_data.write(w);
    }
    hout.tick();
  });
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(b.resets > 0);
  COSIM_ACTIVITY(acc.taken > COSIM_CYCLES / (16 * S));
  COSIM_ACTIVITY(hout.taken > COSIM_CYCLES / 16);
  COSIM_ACTIVITY(pop.taken > COSIM_CYCLES / 64);
  COSIM_ACTIVITY(push.taken > COSIM_CYCLES / 64);
  b.summary(", ", b.resets, " resets, ", acc.taken, " blocks, ", hout.taken, " h beats, ", pop.taken, " pops, ",
            push.taken, " pushes, ", bias_reads, " bias reads");
}
