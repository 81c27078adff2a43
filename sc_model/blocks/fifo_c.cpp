#include "fifo_c.hpp"

namespace accel {

fifo_c::fifo_c(sc_core::sc_module_name name, int depth, int width)
    : sc_module(name), depth_(depth), mem_(depth, Words(width)) {
  SC_METHOD(tick);
  sensitive << clk_i.pos();
  dont_initialize();
}

void fifo_c::tick() {
  if (!rst_ni.read()) {
    head_ = count_ = 0;
    push_ready_o.write(true);
    pop_valid_o.write(false);
    return;
  }
  const bool push = push_valid_i.read() && push_ready_o.read();
  const bool pop = pop_valid_o.read() && pop_ready_i.read();
  // Stalled: a push is refused (never happens when sized H/E, see header).
  counters.tick(count_ > 0, push_valid_i.read() && !push_ready_o.read());
  if (push) mem_[(head_ + count_) % depth_] = push_data_i.read();
  if (pop) head_ = (head_ + 1) % depth_;
  count_ += int(push) - int(pop);
  if (static_cast<size_t>(count_) > max_fill) max_fill = static_cast<size_t>(count_);
  push_ready_o.write(count_ < depth_);
  pop_valid_o.write(count_ > 0);
  pop_data_o.write(mem_[head_]);
}

}  // namespace accel
