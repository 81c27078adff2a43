#include "arch/timing.hpp"

#include <algorithm>
#include <deque>
#include <memory>

namespace lstm::arch {

int recurrence_delay(const ArchConfig& a) { return 7 + a.derived("S"); }

namespace {

using u64 = uint64_t;

// The CNN front end's control, edge by edge, without data: Conv1d's line
// buffer and issue counters, its three pipeline valid bits, ReLU's register
// and MaxPool's counters. It mirrors sc_model/blocks/{conv1d,relu,maxpool}
// register for register (the fast-vs-CA test holds it to that). Pooled row
// completions come out; the controller's row pops (from the LSTM recurrence)
// go in. A few integer updates per edge, no signals, no data.
class FrontEnd {
 public:
  FrontEnd(const ArchConfig& a, size_t n_images)
      : TI_(a.cnn_steps()), CI_(a.cnn_in), P_(a.pixels_per_beat), J_(a.conv_beats_per_ch()),
        G_(a.conv_groups()), NB_(a.spx_buffers), beats_per_image_(u64(a.cnn_steps()) * a.derived("CONV_X")),
        beats_left_(beats_per_image_ * n_images) {}

  // Simulates edges until pooled row `row` (global) is complete; returns the
  // edge its last beat was taken. pop[r] = edge the controller releases row r
  // (known for every row below `row`).
  u64 run_until_row(size_t row, const std::vector<u64>& pop) {
    while (rows_done_.size() <= row) step(pop);
    return rows_done_[row];
  }
  std::vector<u64> first_beat;  // per image: edge its first pixel beat was taken

 private:
  static constexpr u64 kLineRows = 4;
  void step(const std::vector<u64>& pop) {
    const u64 e = ++edge_;
    // Values before the edge.
    const bool rl_in_ready = !rl_valid_ || mp_ready_;
    const bool en = !out_valid_ || rl_in_ready;
    const bool pix_fire = beats_left_ > 0 && pix_ready_;
    const bool issue = issue_ok_ && en;
    const bool mp_fire = rl_valid_ && mp_ready_;
    const bool row_fire = popped_ < pop.size() && pop[popped_] == e;
    const bool conv_out = out_valid_;
    // Conv1d.
    if (en) {
      out_valid_ = v2_ && last2_;
      v2_ = v1_;
      last2_ = last1_;
      v1_ = issue;
      if (issue) {
        last1_ = j_ == J_ - 1;
        if (++j_ == J_) {
          j_ = 0;
          if (++g_ == G_) {
            g_ = 0;
            if (t_ >= 1) ++rows_free_;
            if (t_ == TI_ - 1) ++rows_free_;
            if (++t_ == TI_) {
              t_ = 0;
              ++n_;
            }
          }
        }
      }
    }
    if (pix_fire) {
      if ((beats_total_ % beats_per_image_) == 0) first_beat.push_back(e);
      ++beats_total_;
      --beats_left_;
      pos_ += P_;
      if (pos_ == CI_) {
        pos_ = 0;
        ++rows_in_;
      }
    }
    pix_ready_ = rows_in_ - rows_free_ < kLineRows;
    issue_ok_ = rows_in_ > n_ * TI_ + u64(std::min(t_ + 1, TI_ - 1));
    // ReLU.
    if (rl_in_ready) rl_valid_ = conv_out;
    // MaxPool.
    int full = full_;
    if (mp_fire) {
      if (++grp_ == G_) {
        grp_ = 0;
        if (par_ == 1) {
          ++full;
          rows_done_.push_back(e);
        }
        par_ ^= 1;
      }
    }
    if (row_fire) {
      --full;
      ++popped_;
    }
    full_ = full;
    mp_ready_ = par_ == 0 || full_ < NB_;
  }

  const int TI_, CI_, P_, J_, G_, NB_;
  const u64 beats_per_image_;
  u64 beats_left_, beats_total_ = 0, edge_ = 0;
  // Conv1d
  u64 rows_in_ = 0, rows_free_ = 0, n_ = 0;
  int pos_ = 0, t_ = 0, g_ = 0, j_ = 0;
  bool pix_ready_ = true, issue_ok_ = false;
  bool v1_ = false, last1_ = false, v2_ = false, last2_ = false, out_valid_ = false;
  // ReLU
  bool rl_valid_ = false;
  // MaxPool
  bool mp_ready_ = true;
  int par_ = 0, grp_ = 0, full_ = 0;
  size_t popped_ = 0;
  std::vector<u64> rows_done_;
};

}  // namespace

Schedule schedule(const ArchConfig& a, size_t n_images, uint64_t sink_hold) {
  return schedule_checked(a, n_images, nullptr, sink_hold);
}

namespace {

// The layer pipeline (SPEC Part B, docs/architecture.md "Stacked layers"):
// the recurrence of one layer, run for every layer at each global step g
// (image n, step t) in turn. Layer l's S-P-H streams vector g (h_t) into
// layer l+1's S-P-X once it is complete and is its head bank (the vector
// before released); a vector is released once streamed and popped by its
// own controller (h_T: once streamed); the last layer's h_T goes to FC.
Schedule schedule_layers(const ArchConfig& top, size_t n_images, bool* fc_keeps_pace, uint64_t sink_hold) {
  const int L = top.num_layers();
  const ArchConfig last = top.layer(L - 1);  // FC reads the last layer's h_T
  const u64 T = top.T, Fb = last.fc_beats_per_row(), C = top.classes;
  struct Layer {
    ArchConfig a;
    u64 B, Wc, Uc, X, NB, D;
    std::vector<u64> A, pop, eU, hc, rel;  // per global step g
    u64 last_issue = 0;
  };
  std::vector<Layer> ls;
  for (int l = 0; l < L; ++l) {
    const ArchConfig a = top.layer(l);
    ls.push_back({a, u64(a.blocks()), u64(a.w_beats()), u64(a.u_beats()), u64(a.derived("SPX_X")),
                  u64(a.spx_buffers), u64(recurrence_delay(a)), {}, {}, {}, {}, {}});
  }
  const size_t G = n_images * T;
  for (Layer& y : ls) y.rel.assign(G, 0);
  Schedule s;
  std::unique_ptr<FrontEnd> fe;
  if (top.has_cnn()) fe = std::make_unique<FrontEnd>(ls[0].a, n_images);
  u64 fc_free = 0, am_free = 0;
  std::vector<u64> fc_takes, u_free;  // u_free[g]: the last layer's U(t) start before S-P-H's bank order
  for (size_t g = 0; g < G; ++g) {
    const u64 t = g % T;
    for (int l = 0; l < L; ++l) {
      Layer& y = ls[size_t(l)];
      // The layer below's vector g-1 is released: streamed (A[g-1], known)
      // and popped at the end of its U(t) for t > 0 (h_T: only streamed).
      if (l > 0 && g > 0) {
        Layer& b = ls[size_t(l) - 1];
        b.rel[g - 1] = t > 0 ? std::max(b.eU[g], y.A[g - 1]) : y.A[g - 1];
      }
      u64 first = 1;
      if (l == 0 && fe) {
        y.A.push_back(fe->run_until_row(g, y.pop));
      } else {
        if (g > 0) first = y.A[g - 1] + 1;
        if (g >= y.NB) first = std::max(first, y.pop[g - y.NB] + 1);
        if (l > 0) {  // the layer below offers vector g once complete and its head bank
          const Layer& b = ls[size_t(l) - 1];
          u64 offer = b.hc[g];
          if (g > 0) offer = std::max(offer, b.rel[g - 1]);
          first = std::max(first, offer + 1);
        } else if (t == 0) {
          s.first_beat.push_back(first);
        }
        y.A.push_back(first + y.X - 1);
      }
      const u64 sW = std::max(y.last_issue + 1, y.A[g] + 1);
      y.pop.push_back(sW + y.B * y.Wc - 1);
      // U(t): after W(t); for t > 0 after h_{t-1} is complete; and once
      // vector g-2 is released: S-P-H offers h_{t-1} only after the bank
      // before it is free, and the controller starts a U phase only with a
      // bank credit for the vector it produces (so the EWU never waits).
      u64 sU = y.pop[g] + 1;
      if (t > 0) sU = std::max(sU, y.eU[g - 1] + y.D);
      if (l == L - 1) u_free.push_back(sU);
      if (g >= 2) sU = std::max(sU, y.rel[g - 2] + 1);
      y.eU.push_back(sU + y.B * y.Uc - 1);
      y.hc.push_back(y.eU[g] + y.D - 1);
      y.last_issue = y.eU[g];
      // The last layer: h_{t-1} is released when popped (end of U(t)).
      if (l == L - 1 && t > 0) y.rel[g - 1] = y.eU[g];
    }
    if (t + 1 < T) continue;
    // The last layer's h_T -> FC -> logits -> arg-max -> result.
    Layer& y = ls.back();
    const size_t n = g / T;
    const u64 fc_take = std::max(y.hc[g] + 1, fc_free);
    fc_takes.push_back(fc_take);
    y.rel[g] = fc_take;
    const u64 logits = fc_take + C * Fb + 2;
    const u64 am_take = std::max(logits, am_free);
    u64 res = am_take + std::max<u64>(1, C - 1) + 1;
    if (n > 0) res = std::max(res, s.result[n - 1] + sink_hold + 1);
    fc_free = am_take + 1;
    am_free = res + 1;
    s.result.push_back(res);
  }
  if (fe) s.first_beat = fe->first_beat;
  if (fc_keeps_pace) {
    // FC takes h_T before the last layer's U phase that needs its bank.
    *fc_keeps_pace = true;
    for (size_t n = 0; n + 1 < n_images; ++n) {
      const size_t next = (n + 1) * T + 1;
      if (next < G && fc_takes[n] > u_free[next]) *fc_keeps_pace = false;
    }
  }
  return s;
}

}  // namespace

Schedule schedule_checked(const ArchConfig& a, size_t n_images, bool* fc_keeps_pace, uint64_t sink_hold) {
  return schedule_layers(a, n_images, fc_keeps_pace, sink_hold);
}

StackTiming stack_timing(const ArchConfig& a) {
  StackTiming st;
  uint64_t worst = 0;
  for (int l = 0; l < a.num_layers(); ++l) {
    st.layers.push_back(timing(a.layer(l)));
    if (st.layers.back().interval > worst) worst = st.layers.back().interval, st.slowest = l;
  }
  st.interval = a.num_layers() > 1 ? timing(a).interval : worst;
  return st;
}

Timing timing(const ArchConfig& a) {
  Timing t;
  if (a.num_layers() > 1) {
    // Each bound is the largest over the layers (each layer alone: its MAC
    // work, its input stream, its recurrence); the CNN bound is layer 1's.
    for (int l = 0; l < a.num_layers(); ++l) {
      const Timing x = timing(a.layer(l));
      t.bound_mac = std::max(t.bound_mac, x.bound_mac);
      t.bound_input = std::max(t.bound_input, x.bound_input);
      t.bound_recurrence = std::max(t.bound_recurrence, x.bound_recurrence);
      t.bound_conv = std::max(t.bound_conv, x.bound_conv);
    }
  } else {
    const uint64_t T = a.T, B = a.blocks(), Wc = a.w_beats(), Uc = a.u_beats();
    t.bound_mac = T * B * (Wc + Uc);
    t.bound_input = uint64_t(a.image_rows()) * uint64_t(a.beats_per_row());
    if (a.has_cnn()) t.bound_conv = uint64_t(a.cnn_steps()) * a.conv_beats_per_step();
    // Step 0 has no h to wait for; every later step waits D - 1 edges past
    // the previous U phase.
    t.bound_recurrence = T * B * Uc + (T - 1) * uint64_t(recurrence_delay(a) - 1);
  }
  const Schedule s = schedule(a, 4);
  t.latency = s.result[0] - s.first_beat[0];
  t.interval = s.result[3] - s.result[2];
  return t;
}

}  // namespace lstm::arch
