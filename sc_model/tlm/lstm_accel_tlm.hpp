// lstm_accel_tlm: the accelerator behind a TLM-2.0 loosely-timed target
// socket (docs/tlm.md). The module owns the clock domain of the wrapped
// cycle-accurate top (clock, reset, pixel stream, result stream); the bus
// side is a 32-bit register map with an image window and one window per
// memory file of the model. The top is cnn_lstm_accel when the config has a
// CNN front end (cnn_in > 0), else lstm_accel; a stacked config (several
// LSTM layers) gets the layer pipeline and per-layer weight windows (1.2).
//
// b_transport performs the access at once and adds its bus time to the
// annotated delay ((kAccessCycles + words - 1) clock periods); the clocked
// side runs while the initiator waits, so the initiator polls STATUS with
// wait() in between. transport_dbg reads everything and writes the windows,
// with no side effects on STATUS and no delay.
#pragma once

#include <memory>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "arch/arch.hpp"
#include "formats/model.hpp"
#include "lstm_accel.hpp"
#include "regmap.hpp"

namespace accel {

class lstm_accel_tlm : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(lstm_accel_tlm);

  tlm_utils::simple_target_socket<lstm_accel_tlm, 32> socket;

  // Bus time of a transaction: kAccessCycles clock periods for the first
  // 32-bit word, one more per further word of a burst.
  static constexpr unsigned kAccessCycles = 2;

  // `initial` fills the weight ROMs (and the weight windows) until the host
  // commits its own; it must match `a`, kind and layers included (else
  // lstm::formats::InputError).
  lstm_accel_tlm(sc_core::sc_module_name name, const lstm::formats::Model& initial, const lstm::arch::ArchConfig& a);

  const regs::Layout& layout() const { return layout_; }
  const lstm::arch::ArchConfig& arch() const { return arch_; }
  sc_core::sc_time clock_period() const { return period_; }
  // The wrapped top (fault injection, counters) and the shadow model the
  // weight windows hold (every layer).
  lstm_accel& top() { return *top_; }
  const lstm::formats::Model& shadow() const { return shadow_; }
  // Clock edges since power-up (the clocked side's counter).
  uint64_t cycle() const { return cycle_; }

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& gp);
  void tick();

  // What one 32-bit word address maps to.
  struct Target {
    enum Kind { None, Reg, Logit, Window } kind = None;
    int window = -1;      // Window
    uint32_t index = 0;   // word index inside the window / logit number
    uint32_t reg = 0;     // Reg: the register's offset
  };
  Target decode(uint64_t addr) const;
  bool reg_writable(uint32_t reg) const { return reg == regs::CTRL || reg == regs::TIMEOUT; }
  // CFG_LAYERS and the per-layer CONFIG words of layers 2..L (1.2).
  bool stacked_reg(uint32_t a) const;
  uint32_t read_word(const Target& t) const;
  // Checks a window word; on a bad value returns false.
  bool window_value_ok(int window, uint32_t v) const;
  void write_window(const Target& t, uint32_t v);
  // CTRL commands (COMMIT checks every group's idx order, then reloads the
  // ROMs) and TIMEOUT.
  void write_reg(uint32_t reg, uint32_t v, uint64_t addr);
  void set_error(uint32_t code, uint64_t addr);
  bool busy() const { return start_pending_ || running_; }

  const lstm::arch::ArchConfig arch_;
  const regs::Layout layout_;
  const sc_core::sc_time period_;

  sc_core::sc_clock clk_;
  sc_core::sc_signal<bool> rst_n_{"rst_n", false};
  sc_core::sc_signal<bool> pix_valid_{"pix_valid", false}, pix_ready_{"pix_ready", false};
  sc_core::sc_signal<Words> pix_data_;
  sc_core::sc_signal<bool> res_valid_{"res_valid", false}, res_ready_{"res_ready", false};
  sc_core::sc_signal<int> res_class_{"res_class", 0};
  sc_core::sc_signal<Words> res_logits_;
  std::unique_ptr<lstm_accel> top_;

  // Bus-visible state.
  lstm::formats::Model shadow_;
  std::vector<uint8_t> image_;  // the image window, 4 * entries bytes
  uint32_t err_code_ = regs::kErrNone, err_addr_ = 0;
  uint32_t cycles_ = 0, result_class_ = 0, inferences_ = 0, commits_ = 0, timeout_ = 0;
  std::vector<int32_t> logits_;
  bool done_ = false, dirty_ = false;

  // Clocked side.
  bool start_pending_ = false, running_ = false;
  int reset_left_ = 2;  // edges of reset still to drive
  uint64_t cycle_ = 0, start_cycle_ = 0, first_beat_ = 0;
  size_t pos_ = 0;  // next pixel to send
};

}  // namespace accel
