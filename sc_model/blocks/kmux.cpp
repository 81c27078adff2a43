#include "kmux.hpp"

namespace accel {

kmux::kmux(sc_core::sc_module_name name, const lstm::arch::ArchConfig& a)
    : sc_module(name),
      c_(a.c), k_(a.k), G_(a.mvm_groups), L_(a.mvm_lanes), Wc_(a.w_beats()), Uc_(a.u_beats()), B_(a.blocks()),
      grp1_(a.mvm_groups * a.c), ops2_(a.mvm_lanes), codes2_(a.mvm_lanes), slot_(a.mvm_lanes) {
  // lane = ((r*4 + g)*G + gg)*k + e reads group slot gg (precomputed: no
  // division per lane per cycle).
  for (int lane = 0; lane < L_; ++lane) slot_[lane] = ((lane / k_) % G_) * c_;
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
  SC_METHOD(comb);
  sensitive << v1_q << op_valid_o << op_ready_i << beat_valid_i << beat_i;
}

void kmux::comb() {
  const bool en2 = !op_valid_o.read() || op_ready_i.read();
  const bool en1 = !v1_q.read() || en2;
  beat_ready_o.write(en1);
  const Beat& b = beat_i.read();
  mem_en_o.write(beat_valid_i.read() && en1);
  mem_addr_o.write(b.phase == kPhaseW ? b.block * Wc_ + b.beat : B_ * Wc_ + b.block * Uc_ + b.beat);
}

void kmux::tick() {
  if (!rst_ni.read()) {
    v1_q.write(false);
    op_valid_o.write(false);
    return;
  }
  const bool v1 = v1_q.read(), v2 = op_valid_o.read();
  const bool en2 = !v2 || op_ready_i.read();
  const bool en1 = !v1 || en2;
  counters.tick(v1 || v2, v2 && !op_ready_i.read());
  if (en2) {
    op_valid_o.write(v1);
    if (v1) {
      const Words& ent = mem_data_i.read();
      for (int lane = 0; lane < L_; ++lane) {
        ops2_[lane] = grp1_[slot_[lane] + (ent[lane] >> 4)];
        codes2_[lane] = ent[lane] & 0xF;
      }
      op_data_o.write(ops2_);
      op_code_o.write(codes2_);
      op_tag_o.write(tag1_);
    }
  }
  if (en1) {
    const bool in = beat_valid_i.read();
    v1_q.write(in);
    if (in) {
      tag1_ = beat_i.read();
      const bool w = tag1_.phase == kPhaseW;
      const Words& src = w ? x_i.read() : h_i.read();
      const bool zero = !w && tag1_.first_step;  // h_{-1} = 0
      const int base = tag1_.beat * G_ * c_;
      for (int i = 0; i < G_ * c_; ++i) grp1_[i] = zero ? 0 : src[base + i];
    }
  }
}

}  // namespace accel
