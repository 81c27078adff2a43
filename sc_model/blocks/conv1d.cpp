#include "conv1d.hpp"

#include <algorithm>

#include "formats/error.hpp"
#include "numerics/numerics.hpp"
#include "rtlgen/rom_layout.hpp"

namespace accel {

conv1d::conv1d(sc_core::sc_module_name name, const lstm::formats::Model& m, const lstm::arch::ArchConfig& a)
    : sc_module(name), arch_(a), CI_(a.cnn_in), TI_(a.cnn_steps()), P_(a.pixels_per_beat), L_(a.conv_lanes),
      Pc_(a.conv_ch_per_beat()), Lc_(a.conv_lanes_per_ch()), J_(a.conv_beats_per_ch()), G_(a.conv_groups()),
      lb_(kLineRows, std::vector<int32_t>(a.cnn_in)), x1_(a.conv_lanes), w1_(a.conv_lanes), b1_(a.conv_ch_per_beat()),
      prod2_(a.conv_lanes), b2_(a.conv_ch_per_beat()), acc_(a.conv_ch_per_beat()), out_(a.conv_ch_per_beat()) {
  if (!a.has_cnn()) throw lstm::formats::InputError(std::string(name) + ": the config has no CNN front end (cnn_in = 0)");
  load(m);
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void conv1d::load(const lstm::formats::Model& m) {
  const lstm::arch::ArchConfig& a = arch_;
  if (!m.has_cnn() || m.I != CI_ || m.conv_out != a.I || m.conv_w.size() != size_t(a.I) * CI_ * 3 ||
      m.conv_b.size() != size_t(a.I))
    throw lstm::formats::InputError(std::string(name()) + ": the model's Conv1d does not have the config's dimensions");
  rom_w_ = to_words(lstm::rtlgen::conv_rom(m, a));
  rom_b_ = to_words(lstm::rtlgen::convb_rom(m, a));
}

void conv1d::tick() {
  if (!rst_ni.read()) {
    rows_in_ = rows_free_ = 0;
    pos_ = 0;
    n_ = 0;
    t_ = g_ = j_ = 0;
    issue_ok_ = false;
    v1_ = v2_ = false;
    pix_ready_o.write(true);
    out_valid_o.write(false);
    return;
  }
  const bool en = !out_valid_o.read() || out_ready_i.read();
  const bool pix_fire = pix_valid_i.read() && pix_ready_o.read();
  const bool issue = issue_ok_ && en;
  counters.tick(v1_ || v2_ || rows_in_ > rows_free_ || pos_ > 0 || issue,
                out_valid_o.read() && !out_ready_i.read());
  if (en) {
    // Edge 3: accumulate; a channel's last beat loads the output register.
    if (v2_) {
      for (int p = 0; p < Pc_; ++p) {
        int64_t sum = 0;
        for (int l = 0; l < Lc_; ++l) sum += prod2_[p * Lc_ + l];
        acc_[p] = (first2_ ? 0 : acc_[p]) + sum;
        if (last2_) out_[p] = lstm::numerics::conv_preact(acc_[p], b2_[p]);
      }
      if (last2_) out_data_o.write(out_);
    }
    out_valid_o.write(v2_ && last2_);
    // Edge 2: the multipliers.
    v2_ = v1_;
    if (v1_) {
      for (int l = 0; l < L_; ++l) prod2_[l] = int64_t(w1_[l]) * x1_[l];
      b2_ = b1_;
      first2_ = first1_;
      last2_ = last1_;
    }
    // Edge 1: issue one beat.
    v1_ = issue;
    if (issue) {
      ++lane_beats;
      w1_ = rom_w_[size_t(g_) * J_ + j_];
      b1_ = rom_b_[g_];
      for (int l = 0; l < L_; ++l) {
        const lstm::rtlgen::ConvTap tp = lstm::rtlgen::conv_tap(arch_, j_, l);
        const int r = t_ + tp.kk - 1;  // image row of the tap; zero padding outside
        x1_[l] = r < 0 || r >= TI_ ? 0 : lb_[(n_ * TI_ + r) % kLineRows][tp.ci];
      }
      first1_ = j_ == 0;
      last1_ = j_ == J_ - 1;
      if (++j_ == J_) {
        j_ = 0;
        if (++g_ == G_) {
          g_ = 0;
          // Step t done: row t-1 is no longer needed (and row T-1 after the last step).
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
    const Words& px = pix_data_i.read();
    std::vector<int32_t>& row = lb_[rows_in_ % kLineRows];
    for (int i = 0; i < P_; ++i)
      row[pos_ + i] = arch_.input_words ? px[i] : lstm::numerics::pixel_to_word(static_cast<uint8_t>(px[i]));
    pos_ += P_;
    if (pos_ == CI_) {
      pos_ = 0;
      ++rows_in_;
    }
  }
  pix_ready_o.write(rows_in_ - rows_free_ < uint64_t(kLineRows));
  issue_ok_ = rows_in_ > n_ * TI_ + std::min(t_ + 1, TI_ - 1);
}

}  // namespace accel
