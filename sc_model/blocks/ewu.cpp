#include "ewu.hpp"

#include "numerics/numerics.hpp"

namespace accel {

using lstm::formats::kGates;

ewu::ewu(sc_core::sc_module_name name, const lstm::arch::ArchConfig& a)
    : sc_module(name),
      R_(a.rows_per_block()), E_(a.ewu_lanes), S_(a.rows_per_block() / a.ewu_lanes),
      in_data_(kGates * a.rows_per_block()),
      b_sum_(kGates * a.ewu_lanes), b_cprev_(a.ewu_lanes), c_c_(a.ewu_lanes), c_o_(a.ewu_lanes) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
  SC_METHOD(comb);
  sensitive << in_v_q << s_q << in_tag_q << b_v_q << c_v_q << c_last_q << h_valid_o << h_ready_i << cpush_ready_i
            << cpop_valid_i;
}

ewu::Enables ewu::enables() const {
  Enables e;
  e.en_d = !h_valid_o.read() || h_ready_i.read();
  const bool push = c_v_q.read() && !c_last_q.read();
  e.en_c = !c_v_q.read() || (e.en_d && (!push || cpush_ready_i.read()));
  e.en_b = !b_v_q.read() || e.en_c;
  const Beat& tag = in_tag_q.read();
  e.issue = in_v_q.read() && e.en_b && (tag.first_step || cpop_valid_i.read());
  e.last_sub = s_q.read() == S_ - 1;
  return e;
}

void ewu::comb() {
  const Enables e = enables();
  const Beat& tag = in_tag_q.read();
  acc_ready_o.write(!in_v_q.read() || (e.issue && e.last_sub));
  cpop_ready_o.write(e.issue && !tag.first_step);
  bias_en_o.write(e.issue);
  bias_addr_o.write(tag.block * S_ + s_q.read());
  cpush_valid_o.write(c_v_q.read() && !c_last_q.read() && e.en_d);
}

void ewu::tick() {
  if (!rst_ni.read()) {
    in_v_q.write(false);
    s_q.write(0);
    b_v_q.write(false);
    c_v_q.write(false);
    h_valid_o.write(false);
    return;
  }
  const Enables e = enables();
  const bool busy = in_v_q.read() || b_v_q.read() || c_v_q.read() || h_valid_o.read();
  counters.tick(busy, h_valid_o.read() && !h_ready_i.read());

  // D <- C: h_t = (o * ptanh(c_t)) >> 13.
  if (e.en_d) {
    const bool move = c_v_q.read() && e.en_c;
    h_valid_o.write(move);
    if (move) {
      Words h(E_);
      for (int r = 0; r < E_; ++r) h[r] = lstm::numerics::cell_h(c_o_[r], c_c_[r]);
      h_data_o.write(h);
      h_row_o.write(c_row_);
      h_last_o.write(c_last_q.read());
    }
  }
  // C <- B: activations and the cell update.
  if (e.en_c) {
    c_v_q.write(b_v_q.read());
    if (b_v_q.read()) {
      const Words& bias = bias_data_i.read();
      Words cnew(E_);
      for (int r = 0; r < E_; ++r) {
        int32_t a[kGates];
        for (int g = 0; g < kGates; ++g) a[g] = lstm::numerics::sat16(int64_t(b_sum_[r * kGates + g]) + bias[r * kGates + g]);
        cnew[r] = lstm::numerics::cell_c(lstm::numerics::hsig(a[0]), lstm::numerics::hsig(a[1]), lstm::numerics::ptanh(a[2]), b_cprev_[r]);
        c_o_[r] = lstm::numerics::hsig(a[3]);
      }
      c_c_ = cnew;
      cpush_data_o.write(cnew);
      c_row_ = b_row_;
      c_last_q.write(b_tag_.last_step);
    }
  }
  // B <- issue of sub-beat s.
  if (e.en_b) {
    b_v_q.write(e.issue);
    if (e.issue) {
      const Beat& tag = in_tag_q.read();
      const int s = s_q.read();
      for (int r = 0; r < E_; ++r)
        for (int g = 0; g < kGates; ++g) b_sum_[r * kGates + g] = in_data_[(s * E_ + r) * kGates + g];
      const Words& cp = cpop_data_i.read();
      for (int r = 0; r < E_; ++r) b_cprev_[r] = tag.first_step ? 0 : cp[r];
      b_tag_ = tag;
      b_row_ = tag.block * R_ + s * E_;
    }
  }
  // Input register and sub-beat counter.
  if (e.issue) s_q.write(e.last_sub ? 0 : s_q.read() + 1);
  const bool take = acc_valid_i.read() && (!in_v_q.read() || (e.issue && e.last_sub));
  if (take) {
    in_v_q.write(true);
    in_data_ = acc_data_i.read();
    in_tag_q.write(acc_tag_i.read());
  } else if (e.issue && e.last_sub) {
    in_v_q.write(false);
  }
}

}  // namespace accel
