#include "controller.hpp"

namespace accel {

controller::controller(sc_core::sc_module_name name, int T, int blocks, int w_beats, int u_beats)
    : sc_module(name), T_(T), B_(blocks), Wc_(w_beats), Uc_(u_beats) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
  SC_METHOD(comb);
  sensitive << t_q << phase_q << b_q << j_q << cred_q << row_valid_i << h_valid_i << h_rel_i << beat_ready_i;
}

// Valid depends only on state and on the producers' valids, never on ready.
void controller::comb() {
  const int t = t_q.read(), ph = phase_q.read(), b = b_q.read(), j = j_q.read();
  const int last_j = (ph == kPhaseW ? Wc_ : Uc_) - 1;
  // A U phase's first beat also needs a bank credit (this edge's release counts).
  const int cred = cred_q.read() - (h_rel_i.read() && cred_q.read() > 0);
  const bool start_u = ph == kPhaseU && b == 0 && j == 0;
  const bool need = ph == kPhaseW ? row_valid_i.read() : (t == 0 || h_valid_i.read()) && (!start_u || cred < 2);
  Beat beat;
  beat.phase = static_cast<uint8_t>(ph);
  beat.step = static_cast<uint16_t>(t);
  beat.block = static_cast<uint16_t>(b);
  beat.beat = static_cast<uint16_t>(j);
  beat.first = j == 0;
  beat.last = j == last_j;
  beat.first_step = t == 0;
  beat.last_step = t == T_ - 1;
  beat_o.write(beat);
  beat_valid_o.write(need);
  const bool fire = need && beat_ready_i.read();
  const bool end_of_phase = b == B_ - 1 && j == last_j;
  row_pop_o.write(fire && ph == kPhaseW && end_of_phase);
  h_pop_o.write(fire && ph == kPhaseU && t > 0 && end_of_phase);
}

void controller::tick() {
  if (!rst_ni.read()) {
    t_q.write(0);
    phase_q.write(kPhaseW);
    b_q.write(0);
    j_q.write(0);
    cred_q.write(0);
    return;
  }
  const bool fire = beat_valid_o.read() && beat_ready_i.read();
  const bool waiting = !beat_valid_o.read();
  counters.tick(!waiting, beat_valid_o.read() && !beat_ready_i.read());
  int t = t_q.read(), ph = phase_q.read(), b = b_q.read(), j = j_q.read();
  const bool start_u = fire && ph == kPhaseU && b == 0 && j == 0;
  cred_q.write(cred_q.read() + start_u - (h_rel_i.read() && cred_q.read() > 0));
  if (!fire) return;
  const int last_j = (ph == kPhaseW ? Wc_ : Uc_) - 1;
  if (j < last_j) {
    ++j;
  } else {
    j = 0;
    if (b < B_ - 1) {
      ++b;
    } else {
      b = 0;
      if (ph == kPhaseW) {
        ph = kPhaseU;
      } else {
        ph = kPhaseW;
        t = t + 1 == T_ ? 0 : t + 1;
      }
    }
  }
  t_q.write(t);
  phase_q.write(ph);
  b_q.write(b);
  j_q.write(j);
}

}  // namespace accel
