// The host side of the TLM-2.0 interface: an initiator module whose thread
// runs a host program, 32-bit register/burst accessors over b_transport, and
// the host flow of docs/tlm.md (probe, load weights, write image, run, poll).
// Everything goes through b_transport; nothing touches the target directly.
#pragma once

#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <vector>

#include "arch/arch.hpp"
#include "formats/idx.hpp"
#include "formats/model.hpp"
#include "regmap.hpp"

namespace accel {

// A transaction came back with a response other than TLM_OK_RESPONSE.
class BusError : public std::runtime_error {
 public:
  BusError(tlm::tlm_command cmd, uint64_t addr, tlm::tlm_response_status st);
  tlm::tlm_response_status status;
  uint64_t addr;
};

// The device reported STATUS.ERROR (or did not finish).
class DeviceError : public std::runtime_error {
 public:
  DeviceError(const std::string& what, uint32_t code, uint32_t addr)
      : std::runtime_error(what), code(code), addr(addr) {}
  uint32_t code, addr;
};

class host_initiator : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(host_initiator);
  using Body = std::function<void(host_initiator&)>;

  tlm_utils::simple_initiator_socket<host_initiator, 32> socket;

  // The thread runs `body`, keeps any exception it throws (see `failure`),
  // then stops the simulation.
  host_initiator(sc_core::sc_module_name name, Body body);

  // One raw transaction; waits the annotated delay before returning (the
  // initiator stays in sync with the clocked side). For tests of error
  // responses: any length, byte enables, streaming width.
  tlm::tlm_response_status transact(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
                                    const unsigned char* be = nullptr, unsigned be_len = 0,
                                    unsigned streaming_width = 0);
  // Debug transport (no delay, no side effects); returns bytes transferred.
  unsigned debug(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len);

  // 32-bit accessors; throw BusError.
  uint32_t read(uint64_t addr);
  void write(uint64_t addr, uint32_t v);
  // Bursts of up to kMaxBurst words.
  std::vector<uint32_t> read_words(uint64_t addr, size_t n);
  void write_words(uint64_t addr, const std::vector<uint32_t>& w);
  static constexpr size_t kMaxBurst = 256;

  // Called after every b_transport with the payload, the time it was issued
  // and its annotated delay (for bus traces).
  std::function<void(const tlm::tlm_generic_payload&, const sc_core::sc_time&, const sc_core::sc_time&)> trace;

  // Statistics.
  uint64_t transactions = 0, bytes = 0;
  sc_core::sc_time bus_time = sc_core::SC_ZERO_TIME;  // sum of annotated delays

  std::exception_ptr failure;  // what the body threw, if anything
  bool finished = false;       // the body returned or threw

 private:
  void run();
  Body body_;
};

// What the host learns from the ID, VERSION, CONFIG and window registers.
struct DeviceInfo {
  uint32_t id = 0, version = 0;
  lstm::arch::ArchConfig arch;  // dimensions and parallelism, every layer's (name "device")
  uint32_t idx_bits = 0;
  regs::Layout layout;
};

// Reads ID/VERSION/CONFIG (the CNN front end and, from a 1.2 device,
// CFG_LAYERS and every layer's fields included)/window table; throws
// DeviceError on a wrong ID, an unsupported version or an inconsistent table.
DeviceInfo probe(host_initiator& h);

// Writes every weight window from `m` (bursts; every layer's windows, and
// the conv windows with a CNN front end), commits, and checks STATUS.
// Throws lstm::formats::InputError if `m` does not match the device's dimensions,
// DeviceError if the device reports an error. Returns the words written.
size_t load_weights(host_initiator& h, const DeviceInfo& d, const lstm::formats::Model& m);

// Writes one image (image_rows x image_cols pixels) into the IMAGE window.
void write_image(host_initiator& h, const DeviceInfo& d, const uint8_t* pixels);
// Writes item n of an input set: pixels, or Q2.13 words on a device whose
// input is words (1.3, CFG_INPUT_WORDS); DeviceError when they differ.
void write_image(host_initiator& h, const DeviceInfo& d, const lstm::formats::ImageSet& s, size_t n);

struct RunResult {
  int cls = 0;
  std::vector<int64_t> logits;
  uint32_t cycles = 0;  // CYCLES register
  uint64_t polls = 0;   // STATUS reads while BUSY
};

// START, poll STATUS every `poll_gap` until not BUSY, then read CYCLES,
// RESULT_CLASS and LOGITS. Throws DeviceError on STATUS.ERROR.
RunResult run_inference(host_initiator& h, const DeviceInfo& d, sc_core::sc_time poll_gap);

}  // namespace accel
