#include "lstm_accel_tlm.hpp"

#include <cstring>

#include "formats/error.hpp"
#include "arch/timing.hpp"

namespace accel {

using namespace regs;

namespace {

const lstm::arch::ArchConfig& checked(const lstm::arch::ArchConfig& a, const lstm::formats::Model& m) {
  lstm::arch::validate_arch(a, "config '" + a.name + "'");
  // Also rejects a cnn-lstm model on a config without a CNN front end and
  // the reverse, and a layer count or any layer's H that differs. Stacked
  // models run: lstm_accel builds the layer pipeline.
  lstm::arch::check_arch_matches_model(a, m, "config '" + a.name + "'", /*stacked_ok=*/true);
  return a;
}

}  // namespace

lstm_accel_tlm::lstm_accel_tlm(sc_core::sc_module_name name, const lstm::formats::Model& initial, const lstm::arch::ArchConfig& a)
    : sc_module(name),
      socket("socket"),
      arch_(checked(a, initial)),
      layout_(regs::layout(a)),
      period_(1000.0 / a.clock_mhz, sc_core::SC_NS),
      clk_("clk", period_),
      pix_data_("pix_data", Words(a.pixels_per_beat)),
      res_logits_("res_logits", Words(a.classes)),
      shadow_(initial),
      image_(layout_.bytes(kWinImage), 0),
      logits_(a.classes, 0) {
  // Generous: the schedule's latency (the stream never pauses here) times 4.
  const uint64_t t = 4 * lstm::arch::timing(a).latency + 10000;
  timeout_ = t > 0xFFFFFFFFull ? 0xFFFFFFFFu : static_cast<uint32_t>(t);

  // The config picks the top (checked() made sure the model's kind agrees).
  if (a.has_cnn()) top_ = std::make_unique<cnn_lstm_accel>("accel", initial, a);
  else top_ = std::make_unique<lstm_accel>("accel", initial, a);
  top_->clk_i(clk_);
  top_->rst_ni(rst_n_);
  top_->pix_valid_i(pix_valid_);
  top_->pix_ready_o(pix_ready_);
  top_->pix_data_i(pix_data_);
  top_->res_valid_o(res_valid_);
  top_->res_ready_i(res_ready_);
  top_->res_class_o(res_class_);
  top_->res_logits_o(res_logits_);

  socket.register_b_transport(this, &lstm_accel_tlm::b_transport);
  socket.register_transport_dbg(this, &lstm_accel_tlm::transport_dbg);

  SC_METHOD(tick);
  sensitive << clk_.posedge_event();
  dont_initialize();
}

// ---- Clocked side -----------------------------------------------------------

void lstm_accel_tlm::tick() {
  ++cycle_;
  if (reset_left_ > 0) {
    pix_valid_.write(false);
    res_ready_.write(false);
    if (--reset_left_ == 0) rst_n_.write(true);
    return;
  }
  const size_t npix = size_t(arch_.image_rows()) * arch_.image_cols();
  const int P = arch_.pixels_per_beat;
  if (running_) {
    // Handshakes completed at this edge.
    if (pix_valid_.read() && pix_ready_.read()) {
      if (pos_ == 0) first_beat_ = cycle_;
      pos_ += P;
    }
    if (res_valid_.read() && res_ready_.read()) {
      running_ = false;
      done_ = true;
      ++inferences_;
      const uint64_t c = cycle_ - first_beat_;
      cycles_ = c > 0xFFFFFFFFull ? 0xFFFFFFFFu : static_cast<uint32_t>(c);
      result_class_ = static_cast<uint32_t>(res_class_.read());
      const Words& l = res_logits_.read();
      for (size_t j = 0; j < logits_.size() && j < l.size(); ++j) logits_[j] = l[j];
    } else if (timeout_ && cycle_ - start_cycle_ > timeout_) {
      // The pipeline is stuck: report it and reset the pipeline.
      running_ = false;
      set_error(kErrTimeout, CTRL);
      reset_left_ = 2;
      rst_n_.write(false);
      pix_valid_.write(false);
      res_ready_.write(false);
      return;
    }
  }
  if (start_pending_ && !running_) {
    start_pending_ = false;
    running_ = true;
    pos_ = 0;
    start_cycle_ = cycle_;
  }
  const bool offer = running_ && pos_ < npix;
  pix_valid_.write(offer);
  if (offer) {
    Words w(P);
    for (int i = 0; i < P; ++i) {
      const size_t e = pos_ + i;  // element of the IMAGE window: a pixel, or a little-endian word
      w[i] = arch_.input_words ? int16_t(uint16_t(image_[2 * e] | image_[2 * e + 1] << 8)) : image_[e];
    }
    pix_data_.write(w);
  }
  res_ready_.write(running_);
}

// ---- Bus side ------------------------------------------------------------------

lstm_accel_tlm::Target lstm_accel_tlm::decode(uint64_t addr) const {
  Target t;
  if (addr >= layout_.stride) {
    const uint64_t n = addr / layout_.stride - 1;
    if (n >= uint64_t(layout_.count())) return t;
    const uint64_t off = addr % layout_.stride;
    if (off >= layout_.bytes(int(n))) return t;
    t.kind = Target::Window;
    t.window = int(n);
    t.index = static_cast<uint32_t>(off / 4);
    return t;
  }
  const uint32_t a = static_cast<uint32_t>(addr);
  if (a <= TIMEOUT || (a >= CFG_FIRST && a <= CFG_LAST) ||
      (a >= WIN_TABLE && a < WIN_TABLE + 8u * uint32_t(layout_.count())) || stacked_reg(a) ||
      (a == CFG_INPUT_WORDS && arch_.input_words)) {
    t.kind = Target::Reg;
    t.reg = a;
  } else if (a >= LOGITS && a < LOGITS + 4u * uint32_t(arch_.classes)) {
    t.kind = Target::Logit;
    t.index = (a - LOGITS) / 4;
  }
  return t;
}

bool lstm_accel_tlm::stacked_reg(uint32_t a) const {
  // The 1.2 registers exist only on a stacked device (a one-layer device
  // keeps the 1.1 map) and on a 1.3 device (words in), which includes 1.2.
  const int L = arch_.num_layers();
  if (L < 2 && !arch_.input_words) return false;
  if (a == CFG_LAYERS) return true;
  return a >= CFG_LAYER(2, 0) && a < CFG_LAYER(L + 1, 0) &&
         (a - CFG_LAYER_BASE) % CFG_LAYER_STRIDE < 4 * kLayerCfgWords;
}

uint32_t lstm_accel_tlm::read_word(const Target& t) const {
  switch (t.kind) {
    case Target::Logit:
      return static_cast<uint32_t>(logits_[t.index]);
    case Target::Window: {
      const int n = t.window;
      const size_t i = t.index;
      if (n == kWinImage) {
        uint32_t v = 0;
        for (int b = 0; b < 4; ++b) v |= uint32_t(image_[4 * i + b]) << (8 * b);
        return v;
      }
      if (is_sparse_window(n)) {
        const lstm::formats::SparseMatrix& s = window_matrix(shadow_, n);
        return (uint32_t(s.idx[i]) << 4) | (s.code[i] & 0xFu);
      }
      return static_cast<uint32_t>(int32_t(window_vector(shadow_, n)[i]));
    }
    case Target::Reg:
      break;
    case Target::None:
      return 0;
  }
  const uint32_t r = t.reg;
  if (r >= CFG_LAYER_BASE) {
    // Layer n's block (stacked_reg made sure it exists).
    const uint32_t off = r - CFG_LAYER_BASE;
    const lstm::arch::LayerArch& la = arch_.more_layers[off / CFG_LAYER_STRIDE];
    switch (off % CFG_LAYER_STRIDE) {
      case LCFG_H: return uint32_t(la.H);
      case LCFG_MVM_LANES: return uint32_t(la.mvm_lanes);
      case LCFG_MVM_GROUPS: return uint32_t(la.mvm_groups);
      case LCFG_EWU_LANES: return uint32_t(la.ewu_lanes);
      case LCFG_SPX_BUFFERS: return uint32_t(la.spx_buffers);
      default: return 0;
    }
  }
  if (r >= WIN_TABLE) {
    const int n = int((r - WIN_TABLE) / 8);
    return (r - WIN_TABLE) % 8 ? layout_.bytes(n) : layout_.base(n);
  }
  switch (r) {
    case ID: return kIdValue;
    case VERSION: return version_for(arch_);
    case CTRL: return 0;
    case STATUS:
      return (busy() ? STATUS_BUSY : 0) | (done_ ? STATUS_DONE : 0) | (err_code_ ? STATUS_ERROR : 0) |
             (dirty_ ? STATUS_DIRTY : 0);
    case ERR_CODE: return err_code_;
    case ERR_ADDR: return err_addr_;
    case CYCLES: return cycles_;
    case RESULT_CLASS: return result_class_;
    case INFERENCES: return inferences_;
    case COMMITS: return commits_;
    case TIMEOUT: return timeout_;
    case CFG_I: return uint32_t(arch_.I);
    case CFG_H: return uint32_t(arch_.H);
    case CFG_T: return uint32_t(arch_.T);
    case CFG_CLASSES: return uint32_t(arch_.classes);
    case CFG_C: return uint32_t(arch_.c);
    case CFG_K: return uint32_t(arch_.k);
    case CFG_MVM_LANES: return uint32_t(arch_.mvm_lanes);
    case CFG_MVM_GROUPS: return uint32_t(arch_.mvm_groups);
    case CFG_EWU_LANES: return uint32_t(arch_.ewu_lanes);
    case CFG_FC_LANES: return uint32_t(arch_.fc_lanes);
    case CFG_PIXELS_PER_BEAT: return uint32_t(arch_.pixels_per_beat);
    case CFG_SPX_BUFFERS: return uint32_t(arch_.spx_buffers);
    case CFG_CLOCK_KHZ: return static_cast<uint32_t>(arch_.clock_mhz * 1000.0 + 0.5);
    case CFG_IDX_BITS: return uint32_t(lstm::formats::idx_bits(arch_.c));
    case CFG_WIN_COUNT: return uint32_t(layout_.count());
    case CFG_WIN_STRIDE: return layout_.stride;
    case CFG_CNN_IN: return uint32_t(arch_.cnn_in);
    case CFG_CONV_LANES: return uint32_t(arch_.has_cnn() ? arch_.conv_lanes : 0);
    case CFG_IMAGE_ROWS: return uint32_t(arch_.image_rows());
    case CFG_IMAGE_COLS: return uint32_t(arch_.image_cols());
    case CFG_LAYERS: return uint32_t(arch_.num_layers());
    case CFG_INPUT_WORDS: return 1;  // mapped on a words device only
    default: return 0;  // reserved word inside the register block
  }
}

bool lstm_accel_tlm::window_value_ok(int n, uint32_t v) const {
  if (n == kWinImage) return true;
  if (is_sparse_window(n))
    return v < (1u << (lstm::formats::idx_bits(arch_.c) + 4)) && (v >> 4) < uint32_t(arch_.c);
  return v <= 0xFFFFu || v >= 0xFFFF8000u;  // a 16-bit word, raw or sign-extended
}

void lstm_accel_tlm::write_window(const Target& t, uint32_t v) {
  const int n = t.window;
  const size_t i = t.index;
  if (n == kWinImage) {
    for (int b = 0; b < 4; ++b) image_[4 * i + b] = static_cast<uint8_t>(v >> (8 * b));
    return;
  }
  if (is_sparse_window(n)) {
    lstm::formats::SparseMatrix& s = window_matrix(shadow_, n);
    s.idx[i] = static_cast<uint8_t>(v >> 4);
    s.code[i] = static_cast<uint8_t>(v & 0xF);
  } else {
    window_vector(shadow_, n)[i] = static_cast<int16_t>(static_cast<uint16_t>(v));
  }
  dirty_ = true;
}

void lstm_accel_tlm::set_error(uint32_t code, uint64_t addr) {
  if (err_code_ != kErrNone) return;  // the first error is kept until CLEAR_ERROR
  err_code_ = code;
  err_addr_ = static_cast<uint32_t>(addr);
}

void lstm_accel_tlm::write_reg(uint32_t reg, uint32_t v, uint64_t addr) {
  if (reg == TIMEOUT) {
    timeout_ = v;
    return;
  }
  // CTRL: CLEAR_ERROR, then COMMIT, then START; a failed COMMIT skips START.
  if (v & CTRL_CLEAR_ERROR) {
    err_code_ = kErrNone;
    err_addr_ = 0;
  }
  if (v & CTRL_COMMIT) {
    if (busy()) {
      set_error(kErrBusy, addr);
      return;
    }
    // Every Q2.13 word (biases, Conv1d) was checked when written; the sparse
    // groups' idx order can only be checked as a whole.
    for (int n = 1; n < layout_.count(); ++n) {
      if (!is_sparse_window(n)) continue;
      const lstm::formats::SparseMatrix& s = window_matrix(shadow_, n);
      for (size_t e = 0; e < s.idx.size(); ++e)
        if (e % size_t(s.k) && s.idx[e] <= s.idx[e - 1]) {
          set_error(kErrWeights, layout_.base(n) + 4 * e);
          return;
        }
    }
    top_->load_weights(shadow_);  // every layer's wmem and, with a CNN front end, conv1d's ROMs
    ++commits_;
    dirty_ = false;
  }
  if (v & CTRL_START) {
    if (busy()) {
      set_error(kErrBusy, addr);
      return;
    }
    start_pending_ = true;
    done_ = false;
  }
}

void lstm_accel_tlm::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  const tlm::tlm_command cmd = gp.get_command();
  const uint64_t addr = gp.get_address();
  unsigned char* ptr = gp.get_data_ptr();
  const unsigned len = gp.get_data_length();
  const unsigned char* be = gp.get_byte_enable_ptr();
  const unsigned be_len = gp.get_byte_enable_length();
  const unsigned sw = gp.get_streaming_width();
  const unsigned words = len / 4;
  delay += period_ * double(kAccessCycles + (words > 1 ? words - 1 : 0));
  auto fail = [&](tlm::tlm_response_status s) { gp.set_response_status(s); };

  // Byte enables: accepted only when every byte is enabled.
  if (be) {
    if (be_len == 0) return fail(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    for (unsigned i = 0; i < len; ++i)
      if (be[i % be_len] != TLM_BYTE_ENABLED) return fail(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  }
  // Whole 32-bit words, no streaming.
  if (!ptr || len == 0 || len % 4 || (sw != 0 && sw < len)) return fail(tlm::TLM_BURST_ERROR_RESPONSE);
  if (addr % 4) return fail(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  std::vector<Target> ts(words);
  for (unsigned w = 0; w < words; ++w) {
    ts[w] = decode(addr + 4ull * w);
    if (ts[w].kind == Target::None) return fail(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }

  if (cmd == tlm::TLM_READ_COMMAND) {
    for (unsigned w = 0; w < words; ++w) {
      const uint32_t v = read_word(ts[w]);
      std::memcpy(ptr + 4 * w, &v, 4);
    }
  } else if (cmd == tlm::TLM_WRITE_COMMAND) {
    // Check the whole burst first: a rejected burst writes nothing.
    for (unsigned w = 0; w < words; ++w) {
      const Target& t = ts[w];
      if (t.kind == Target::Logit || (t.kind == Target::Reg && !reg_writable(t.reg)))
        return fail(tlm::TLM_COMMAND_ERROR_RESPONSE);
    }
    for (unsigned w = 0; w < words; ++w) {
      const Target& t = ts[w];
      if (t.kind != Target::Window) continue;
      uint32_t v;
      std::memcpy(&v, ptr + 4 * w, 4);
      if (t.window == kWinImage && busy()) {
        set_error(kErrBusy, addr + 4ull * w);
        return fail(tlm::TLM_GENERIC_ERROR_RESPONSE);
      }
      if (!window_value_ok(t.window, v)) {
        set_error(kErrValue, addr + 4ull * w);
        return fail(tlm::TLM_GENERIC_ERROR_RESPONSE);
      }
    }
    for (unsigned w = 0; w < words; ++w) {
      uint32_t v;
      std::memcpy(&v, ptr + 4 * w, 4);
      if (ts[w].kind == Target::Window) write_window(ts[w], v);
      else write_reg(ts[w].reg, v, addr + 4ull * w);
    }
  } else if (cmd != tlm::TLM_IGNORE_COMMAND) {
    return fail(tlm::TLM_COMMAND_ERROR_RESPONSE);
  }
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int lstm_accel_tlm::transport_dbg(tlm::tlm_generic_payload& gp) {
  const tlm::tlm_command cmd = gp.get_command();
  const uint64_t addr = gp.get_address();
  unsigned char* ptr = gp.get_data_ptr();
  const unsigned len = gp.get_data_length();
  if (!ptr || addr % 4 || len % 4) return 0;
  unsigned done = 0;
  for (unsigned w = 0; w < len / 4; ++w) {
    const Target t = decode(addr + 4ull * w);
    if (t.kind == Target::None) break;
    if (cmd == tlm::TLM_READ_COMMAND) {
      const uint32_t v = read_word(t);
      std::memcpy(ptr + 4 * w, &v, 4);
    } else if (cmd == tlm::TLM_WRITE_COMMAND) {
      uint32_t v;
      std::memcpy(&v, ptr + 4 * w, 4);
      if (t.kind != Target::Window || !window_value_ok(t.window, v)) break;
      write_window(t, v);
    } else {
      break;
    }
    done += 4;
  }
  return done;
}

}  // namespace accel
