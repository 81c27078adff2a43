#include "stream_io.hpp"

#include <algorithm>
#include <sstream>

namespace accel {

pixel_source::pixel_source(sc_core::sc_module_name name, const lstm::formats::ImageSet& imgs, std::vector<size_t> order,
                           int P, double gap, uint64_t seed)
    : sc_module(name), imgs_(imgs), order_(std::move(order)), P_(P), gap_(gap), rng_(seed) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void pixel_source::drive() {
  const bool offer = !done() && !(gap_ > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < gap_);
  valid_o.write(offer);
  if (!done()) {
    Words w(P_);  // pixels 0..255, or Q2.13 words (a design with input_words)
    if (imgs_.is_words) {
      const int16_t* x = imgs_.word_image(order_[img_]);
      for (int i = 0; i < P_; ++i) w[i] = x[pos_ + i];
    } else {
      const uint8_t* px = imgs_.image(order_[img_]);
      for (int i = 0; i < P_; ++i) w[i] = px[pos_ + i];
    }
    data_o.write(w);
  }
}

void pixel_source::tick() {
  ++cycle;
  if (!rst_ni.read()) {
    valid_o.write(false);
    return;
  }
  if (valid_o.read() && ready_i.read()) {
    if (pos_ == 0) first_beat_cycle.push_back(cycle);
    pos_ += P_;
    if (pos_ == static_cast<size_t>(imgs_.rows * imgs_.cols)) {
      pos_ = 0;
      ++img_;
    }
  }
  drive();
}

result_sink::result_sink(sc_core::sc_module_name name, size_t expect, double stall, uint64_t seed, uint64_t hold)
    : sc_module(name), expect_(expect), stall_(stall), rng_(seed), hold_(hold) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void result_sink::tick() {
  ++cycle;
  if (!rst_ni.read()) {
    ready_o.write(false);
    return;
  }
  if (valid_i.read() && ready_o.read()) {
    Result r;
    r.cls = class_i.read();
    for (int32_t v : logits_i.read().v) r.logits.push_back(v);
    r.cycle = cycle;
    results.push_back(std::move(r));
    if (on_result) on_result(results.size());
    if (results.size() == expect_) sc_core::sc_stop();
    hold_left_ = hold_;
  }
  if (hold_left_ > 0) {
    --hold_left_;
    ready_o.write(false);
    return;
  }
  ready_o.write(!(stall_ > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < stall_));
}

watchdog::watchdog(sc_core::sc_module_name name, std::vector<Handshake> hs, uint64_t limit,
                   std::function<bool()> work_pending)
    : sc_module(name), hs_(std::move(hs)), blocked_(hs_.size(), 0), limit_(limit), pending_(std::move(work_pending)) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void watchdog::set_progress_limit(uint64_t limit, std::function<size_t()> progress) {
  progress_limit_ = limit;
  progress_ = std::move(progress);
}

void watchdog::tick() {
  ++cycle;
  bool moved = false;
  for (size_t i = 0; i < hs_.size(); ++i) {
    const bool v = hs_[i].valid(), r = hs_[i].ready();
    if (v && r) {
      moved = true;
      last_out_[hs_[i].producer] = cycle;
      last_in_[hs_[i].consumer] = cycle;
    }
    blocked_[i] = v && !r ? blocked_[i] + 1 : 0;
  }
  quiet_ = moved || !pending_() ? 0 : quiet_ + 1;
  if (progress_limit_) {
    const size_t p = progress_();
    since_progress_ = p != last_progress_ || !pending_() ? 0 : since_progress_ + 1;
    last_progress_ = p;
  }
  const bool no_progress = progress_limit_ && since_progress_ >= progress_limit_;
  if ((quiet_ < limit_ && !no_progress) || !error.empty()) return;
  std::ostringstream os;
  if (quiet_ >= limit_)
    os << "watchdog: no handshake for " << limit_ << " cycles (at cycle " << cycle << ")";
  else
    os << "watchdog: no progress for " << progress_limit_ << " cycles although blocks keep handshaking (at cycle "
       << cycle << ")";
  // Candidates: the consumer of an interface whose valid data it refuses,
  // and a block that took input after its last output (it holds work it
  // never passed on). The stuck block is the most downstream candidate, in
  // the order blocks first appear along the interfaces.
  std::vector<std::string> order;
  for (const Handshake& h : hs_)
    for (const std::string* b : {&h.producer, &h.consumer})
      if (std::find(order.begin(), order.end(), *b) == order.end()) order.push_back(*b);
  auto pos = [&](const std::string& b) { return std::find(order.begin(), order.end(), b) - order.begin(); };
  std::string culprit, why;
  auto consider = [&](const std::string& b, const std::string& reason) {
    if (culprit.empty() || pos(b) > pos(culprit)) {
      culprit = b;
      why = reason;
    }
  };
  // Without progress, an interface held far longer than any phase lasts
  // points at its consumer: it never finishes with what it holds.
  if (no_progress)
    for (size_t i = 0; i < hs_.size(); ++i)
      if (hs_[i].hold && blocked_[i] >= progress_limit_ / 2)
        consider(hs_[i].consumer, "has held " + hs_[i].name + " from " + hs_[i].producer + " for " +
                                      std::to_string(blocked_[i]) + " cycles without finishing with it");
  const bool held = !culprit.empty();
  for (size_t i = 0; i < hs_.size() && !held; ++i)
    if (blocked_[i] && !hs_[i].hold)
      consider(hs_[i].consumer, "does not take " + hs_[i].name + " from " + hs_[i].producer + " for " +
                                    std::to_string(blocked_[i]) + " cycles");
  for (const std::string& b : order)
    if (!held && last_in_.count(b) && last_in_[b] > last_out_[b])
      consider(b, "took input at cycle " + std::to_string(last_in_[b]) + " and produced no output since");
  if (!culprit.empty())
    os << "; stuck block: " << culprit << " (" << why << ")";
  else
    os << "; stuck block: none identified (no interface blocked, no block holds input)";
  error = os.str();
  sc_core::sc_stop();
}

}  // namespace accel
