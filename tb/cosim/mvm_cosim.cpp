// MVM array: SystemC model vs RTL in lockstep. Random legal beat streams:
// passes of one block and phase (random block, phase and step), beats
// j = 0..last with first/last flags, full-range operands (-32768 often,
// and whole passes of +-32768 products that drive the accumulator to its
// extremes), random codes; random gaps on op_valid (held until taken, data
// random while low) and random back-pressure on acc_ready, with the
// probabilities changing during the run; random reset pulses. Every output
// compared every cycle. Parameters: I, H, T, C, K, LANES, GROUPS.
#include "cosim.hpp"
#include "mvm.hpp"
#include RTL_HEADER

TEST_CASE("cosim mvm " COSIM_NAME, "[cosim]") {
  constexpr int I = COSIM_I, H = COSIM_H, T = COSIM_T, C = COSIM_C, K = COSIM_K, L = COSIM_LANES, G = COSIM_GROUPS;
  constexpr int R = COSIM_R, B = COSIM_B, WC = COSIM_WC, UC = COSIM_UC;  // derived (lstm-arch --params)
  constexpr int ACC_W = COSIM_ACC_W;
  static_assert(L == 4 * R * K * G, "lanes must be a multiple of 4*K*GROUPS");
  const lstm::arch::ArchConfig a = cosim::lstm_arch(I, H, T, C, K, L, G);
  REQUIRE(a.rows_per_block() == R);
  REQUIRE(a.blocks() == B);

  cosim::bench<accel::mvm, RTL_TOP> b("mvm", 0x6d766d + I * 1000003 + L * 7919 + G * 31 + K, a);
  b.reset_rate = 2e-5;
  const auto tag = cosim::beat{};
  auto& op_valid = b.in(COSIM_PORT(b, op_valid_i));
  auto& op_data = b.in(COSIM_PORT(b, op_data_i), cosim::words{16});
  auto& op_code = b.in(COSIM_PORT(b, op_code_i), cosim::words{4, false});
  auto& op_tag = b.in(COSIM_PORT(b, op_tag_i), tag);
  auto& acc_ready = b.in(COSIM_PORT(b, acc_ready_i));
  const std::vector<double> levels = {0.1, 0.5, 0.9, 1.0, 1.0};
  cosim::source src(b.pace, b.rst_n, op_valid, b.out(COSIM_PORT(b, op_ready_o)), levels);
  cosim::sink snk(b.pace, b.rst_n, acc_ready, b.out(COSIM_PORT(b, acc_valid_o)), levels);
  b.out(COSIM_PORT(b, acc_data_o), cosim::words{ACC_W});
  b.out(COSIM_PORT(b, acc_tag_o), tag);

  // The current pass: one block and phase, beats j = 0..n-1; mode 1 / 2:
  // -32768 * -32768 or * +32768 on every lane.
  int phase = 0, block = 0, step = 0, n = WC, j = 0, mode = 0;
  uint64_t extreme_passes = 0;
  auto new_pass = [&] {
    phase = b.pace.below(2);
    block = b.pace.below(B);
    step = b.pace.below(T);
    n = phase ? UC : WC;
    j = 0;
    const int m = b.pace.below(16);
    mode = m == 0 ? 1 : (m == 1 ? 2 : 0);
    extreme_passes += mode != 0;
  };
  new_pass();
  auto write_data = [&] {
    accel::Words d(L), c(L);
    for (int l = 0; l < L; ++l) {
      const uint64_t r = b.pace();
      if (mode != 0) {
        d[l] = -32768;
        c[l] = mode == 1 ? 0 : 8;  // -32768 or +32768
        continue;
      }
      static const int32_t e[] = {32767, -32767, -1, 0, 1, 16384, -16384, 255};
      c[l] = static_cast<int32_t>(r & 15);
      const uint64_t kind = (r >> 4) & 7;
      d[l] = kind == 0 ? -32768 : kind == 1 ? e[(r >> 8) & 7] : static_cast<int32_t>((r >> 16) & 0xffff) - 32768;
    }
    op_data.write(d);
    op_code.write(c);
  };
  b.every_cycle([&] {
    if (src.taking() && ++j == n) new_pass();
    src.tick([&](bool offered) {
      accel::Beat t;
      t.phase = static_cast<uint8_t>(offered ? phase : b.pace.below(2));
      t.block = static_cast<uint16_t>(offered ? block : b.pace.below(B));
      if (offered) {
        t.step = static_cast<uint16_t>(step);
        t.beat = static_cast<uint16_t>(j);
        t.first_step = step == 0;
        t.last_step = step == T - 1;
      }
      t.first = offered ? j == 0 : b.pace.coin(0.5);
      t.last = offered ? j == n - 1 : b.pace.coin(0.5);
      op_tag.write(t);
      write_data();
    });
    snk.tick();
  });
  b.run(COSIM_CYCLES);
  COSIM_ACTIVITY(b.resets > 0);
  COSIM_ACTIVITY(src.taken > COSIM_CYCLES / 8);
  COSIM_ACTIVITY(snk.taken > COSIM_CYCLES / (8 * (WC + UC) * 4));
  COSIM_ACTIVITY(extreme_passes > 0);
  b.summary(", ", b.resets, " resets, ", src.taken, " beats, ", snk.taken, " blocks out");
}
