#include "host_driver.hpp"

#include <cstdio>
#include <cstring>

#include "formats/error.hpp"

namespace accel {

using namespace regs;

namespace {

std::string hex32(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string device_error_text(const std::string& what, uint32_t code, uint32_t addr) {
  return what + ": STATUS.ERROR, ERR_CODE " + std::to_string(code) + " (" + err_name(code) + "), ERR_ADDR " +
         hex32(addr);
}

std::string response_name(tlm::tlm_response_status st) {
  tlm::tlm_generic_payload p;
  p.set_response_status(st);
  return p.get_response_string();
}

}  // namespace

BusError::BusError(tlm::tlm_command cmd, uint64_t addr, tlm::tlm_response_status st)
    : std::runtime_error(std::string(cmd == tlm::TLM_READ_COMMAND ? "read" : "write") + " at " + hex32(addr) +
                         ": " + response_name(st)),
      status(st),
      addr(addr) {}

host_initiator::host_initiator(sc_core::sc_module_name name, Body body)
    : sc_module(name), socket("socket"), body_(std::move(body)) {
  SC_THREAD(run);
  set_stack_size(4 << 20);  // host programs may hold models and Catch state
}

void host_initiator::run() {
  try {
    body_(*this);
  } catch (...) {
    failure = std::current_exception();
  }
  finished = true;
  sc_core::sc_stop();
}

tlm::tlm_response_status host_initiator::transact(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
                                                  const unsigned char* be, unsigned be_len,
                                                  unsigned streaming_width) {
  tlm::tlm_generic_payload gp;
  gp.set_command(cmd);
  gp.set_address(addr);
  gp.set_data_ptr(static_cast<unsigned char*>(data));
  gp.set_data_length(len);
  gp.set_streaming_width(streaming_width ? streaming_width : len);
  gp.set_byte_enable_ptr(const_cast<unsigned char*>(be));
  gp.set_byte_enable_length(be_len);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  const sc_core::sc_time at = sc_core::sc_time_stamp();
  socket->b_transport(gp, delay);
  if (trace) trace(gp, at, delay);
  ++transactions;
  bytes += len;
  bus_time += delay;
  wait(delay);  // synchronise: the target's clocked side runs meanwhile
  return gp.get_response_status();
}

unsigned host_initiator::debug(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len) {
  tlm::tlm_generic_payload gp;
  gp.set_command(cmd);
  gp.set_address(addr);
  gp.set_data_ptr(static_cast<unsigned char*>(data));
  gp.set_data_length(len);
  return socket->transport_dbg(gp);
}

uint32_t host_initiator::read(uint64_t addr) {
  uint32_t v = 0;
  const auto st = transact(tlm::TLM_READ_COMMAND, addr, &v, 4);
  if (st != tlm::TLM_OK_RESPONSE) throw BusError(tlm::TLM_READ_COMMAND, addr, st);
  return v;
}

void host_initiator::write(uint64_t addr, uint32_t v) {
  const auto st = transact(tlm::TLM_WRITE_COMMAND, addr, &v, 4);
  if (st != tlm::TLM_OK_RESPONSE) throw BusError(tlm::TLM_WRITE_COMMAND, addr, st);
}

std::vector<uint32_t> host_initiator::read_words(uint64_t addr, size_t n) {
  std::vector<uint32_t> w(n);
  for (size_t at = 0; at < n; at += kMaxBurst) {
    const size_t k = std::min(kMaxBurst, n - at);
    const uint64_t a = addr + 4 * at;
    const auto st = transact(tlm::TLM_READ_COMMAND, a, w.data() + at, unsigned(4 * k));
    if (st != tlm::TLM_OK_RESPONSE) throw BusError(tlm::TLM_READ_COMMAND, a, st);
  }
  return w;
}

void host_initiator::write_words(uint64_t addr, const std::vector<uint32_t>& w) {
  std::vector<uint32_t> buf(w);
  for (size_t at = 0; at < buf.size(); at += kMaxBurst) {
    const size_t k = std::min(kMaxBurst, buf.size() - at);
    const uint64_t a = addr + 4 * at;
    const auto st = transact(tlm::TLM_WRITE_COMMAND, a, buf.data() + at, unsigned(4 * k));
    if (st != tlm::TLM_OK_RESPONSE) throw BusError(tlm::TLM_WRITE_COMMAND, a, st);
  }
}

DeviceInfo probe(host_initiator& h) {
  DeviceInfo d;
  d.id = h.read(ID);
  d.version = h.read(VERSION);
  if (d.id != kIdValue)
    throw DeviceError("no LSTM accelerator at the target: ID " + hex32(d.id) + ", expected " + hex32(kIdValue),
                      0, ID);
  // Major must match; this host reads the CNN registers of 1.1 (and the
  // layer registers of 1.2 when the device has them).
  if (d.version >> 16 != kVersionValue >> 16 || (d.version & 0xFFFF) < 1)
    throw DeviceError("unsupported interface version " + hex32(d.version) + " (this host needs 1.1 or a later 1.x)",
                      0, VERSION);
  const std::vector<uint32_t> c = h.read_words(CFG_FIRST, (CFG_LAST - CFG_FIRST) / 4 + 1);
  auto cfg = [&](uint32_t reg) { return c[(reg - CFG_FIRST) / 4]; };
  lstm::arch::ArchConfig& a = d.arch;
  a.name = "device";
  a.I = int(cfg(CFG_I));
  a.H = int(cfg(CFG_H));
  a.T = int(cfg(CFG_T));
  a.classes = int(cfg(CFG_CLASSES));
  a.c = int(cfg(CFG_C));
  a.k = int(cfg(CFG_K));
  a.mvm_lanes = int(cfg(CFG_MVM_LANES));
  a.mvm_groups = int(cfg(CFG_MVM_GROUPS));
  a.ewu_lanes = int(cfg(CFG_EWU_LANES));
  a.fc_lanes = int(cfg(CFG_FC_LANES));
  a.pixels_per_beat = int(cfg(CFG_PIXELS_PER_BEAT));
  a.spx_buffers = int(cfg(CFG_SPX_BUFFERS));
  a.clock_mhz = cfg(CFG_CLOCK_KHZ) / 1000.0;
  a.cnn_in = int(cfg(CFG_CNN_IN));
  a.conv_lanes = int(cfg(CFG_CONV_LANES));
  d.idx_bits = cfg(CFG_IDX_BITS);
  // Since 1.2: the stacked layers (a 1.1 device has one layer).
  if ((d.version & 0xFFFF) >= 2) {
    const uint32_t L = h.read(CFG_LAYERS);
    if (L < 1 || L > uint32_t(lstm::formats::kMaxLayers))
      throw DeviceError("device reports " + std::to_string(L) + " LSTM layers (CFG_LAYERS), expected 1.." +
                            std::to_string(lstm::formats::kMaxLayers),
                        0, CFG_LAYERS);
    for (int n = 2; n <= int(L); ++n) {
      const std::vector<uint32_t> f = h.read_words(CFG_LAYER(n, 0), kLayerCfgWords);
      lstm::arch::LayerArch la;
      la.H = int(f[LCFG_H / 4]);
      la.mvm_lanes = int(f[LCFG_MVM_LANES / 4]);
      la.mvm_groups = int(f[LCFG_MVM_GROUPS / 4]);
      la.ewu_lanes = int(f[LCFG_EWU_LANES / 4]);
      la.spx_buffers = int(f[LCFG_SPX_BUFFERS / 4]);
      a.more_layers.push_back(la);
    }
  }
  // Since 1.3: a device whose input is Q2.13 words.
  if ((d.version & 0xFFFF) >= 3) a.input_words = h.read(CFG_INPUT_WORDS) != 0;
  if (uint32_t(a.image_rows()) != cfg(CFG_IMAGE_ROWS) || uint32_t(a.image_cols()) != cfg(CFG_IMAGE_COLS))
    throw DeviceError("device's image is " + std::to_string(cfg(CFG_IMAGE_ROWS)) + "x" +
                          std::to_string(cfg(CFG_IMAGE_COLS)) + ", its CONFIG registers imply " +
                          std::to_string(a.image_rows()) + "x" + std::to_string(a.image_cols()),
                      0, CFG_IMAGE_ROWS);
  // 17 windows per 1.1 device, 12 more per stacked layer.
  const int count = window_count(a.num_layers());
  if (cfg(CFG_WIN_COUNT) != uint32_t(count))
    throw DeviceError("device has " + std::to_string(cfg(CFG_WIN_COUNT)) + " windows, this host expects " +
                          std::to_string(count) + " for " + std::to_string(a.num_layers()) + " LSTM layer(s)",
                      0, CFG_WIN_COUNT);
  d.layout.stride = cfg(CFG_WIN_STRIDE);
  d.layout.entries.assign(size_t(count), 0);
  const std::vector<uint32_t> t = h.read_words(WIN_TABLE, 2 * size_t(count));
  for (int n = 0; n < count; ++n) {
    if (t[2 * n] != d.layout.base(n))
      throw DeviceError("window " + window_name(n) + " at " + hex32(t[2 * n]) + ", expected " +
                            hex32(d.layout.base(n)),
                        0, WIN_BASE(n));
    d.layout.entries[size_t(n)] = t[2 * n + 1] / 4;
  }
  return d;
}

size_t load_weights(host_initiator& h, const DeviceInfo& d, const lstm::formats::Model& m) {
  // Also catches a cnn-lstm model on a device without a CNN front end and
  // the reverse (CFG_CNN_IN), and a layer count or layer H that differs
  // (CFG_LAYERS, CFG_Ln_H).
  lstm::arch::check_arch_matches_model(d.arch, m, "accelerator (CONFIG registers) vs model", /*stacked_ok=*/true);
  size_t words = 0;
  for (int n = kWinW; n < d.layout.count(); ++n) {
    const std::vector<uint32_t> w = window_words(m, n);
    if (w.size() != d.layout.entries[n])
      throw DeviceError("window " + window_name(n) + " holds " + std::to_string(d.layout.entries[n]) +
                            " entries, the model's file has " + std::to_string(w.size()),
                        0, WIN_BYTES(n));
    if (w.empty()) continue;  // the conv windows without a CNN front end
    h.write_words(d.layout.base(n), w);
    words += w.size();
  }
  h.write(CTRL, CTRL_COMMIT);
  const uint32_t s = h.read(STATUS);
  if (s & STATUS_ERROR) {
    const uint32_t code = h.read(ERR_CODE), addr = h.read(ERR_ADDR);
    throw DeviceError(device_error_text("weight commit failed", code, addr), code, addr);
  }
  if (s & STATUS_DIRTY) throw DeviceError("weight commit failed: STATUS.DIRTY still set", 0, STATUS);
  return words;
}

void write_image(host_initiator& h, const DeviceInfo& d, const uint8_t* pixels) {
  if (d.arch.input_words)
    throw DeviceError("the device's input is Q2.13 words (CFG_INPUT_WORDS), not pixels", 0, CFG_INPUT_WORDS);
  h.write_words(d.layout.base(kWinImage), image_words(pixels, size_t(d.arch.image_rows()) * d.arch.image_cols()));
}

void write_image(host_initiator& h, const DeviceInfo& d, const lstm::formats::ImageSet& s, size_t n) {
  if (!s.is_words) return write_image(h, d, s.image(n));
  if (!d.arch.input_words)
    throw DeviceError("the device's input is pixels: it has no Q2.13 word input (no CFG_INPUT_WORDS, version " +
                          std::to_string(d.version >> 16) + "." + std::to_string(d.version & 0xFFFF) + ")",
                      0, VERSION);
  h.write_words(d.layout.base(kWinImage), image_words(s.word_image(n), size_t(d.arch.image_rows()) * d.arch.image_cols()));
}

RunResult run_inference(host_initiator& h, const DeviceInfo& d, sc_core::sc_time poll_gap) {
  RunResult r;
  h.write(CTRL, CTRL_START);
  uint32_t s = 0;
  while ((s = h.read(STATUS)) & STATUS_BUSY) {
    ++r.polls;
    sc_core::wait(poll_gap);
  }
  if (s & STATUS_ERROR) {
    const uint32_t code = h.read(ERR_CODE), addr = h.read(ERR_ADDR);
    throw DeviceError(device_error_text("inference failed", code, addr), code, addr);
  }
  if (!(s & STATUS_DONE)) throw DeviceError("inference failed: STATUS.DONE not set after BUSY cleared", 0, STATUS);
  r.cycles = h.read(CYCLES);
  r.cls = static_cast<int>(h.read(RESULT_CLASS));
  for (uint32_t v : h.read_words(LOGITS, size_t(d.arch.classes))) r.logits.push_back(int32_t(v));
  return r;
}

}  // namespace accel
