// Weight memories: SystemC wmem vs RTL wmem reading the ROM images
// `lstmsim rtl-gen` writes, random enables and addresses, every output
// compared every cycle. Config: COSIM_ARCH (the config JSON's path).
#include "cosim.hpp"
#include "arch/arch.hpp"
#include "rtlgen/rom_layout.hpp"
#include "test_util.hpp"
#include "wmem.hpp"
#include RTL_HEADER

TEST_CASE("cosim wmem " COSIM_NAME, "[cosim]") {
  const lstm::arch::ArchConfig a = lstm::arch::load_arch(COSIM_ARCH);
  REQUIRE(a.mvm_lanes == COSIM_LANES);
  REQUIRE(a.ewu_lanes == COSIM_EWU_LANES);
  REQUIRE(a.fc_lanes == COSIM_FC_LANES);
  const lstm::formats::Model m = lstm::formats::random_model(lstm::arch::model_shape(a), 99);
  testutil::TempDir tmp;
  lstm::rtlgen::write_rom_images(m, a, tmp.str());
  const std::string plus = "+rom_dir=" + tmp.str();
  const char* args[] = {"cosim", plus.c_str()};
  Verilated::commandArgsAdd(2, args);

  cosim::bench<accel::wmem, RTL_TOP> b("wmem", 7, m, a);
  const cosim::words entries{COSIM_ENT_W, false};  // derived (lstm-arch --params)
  auto& lstm_en = b.in(COSIM_PORT(b, lstm_en_i));
  auto& lstm_addr = b.in(COSIM_PORT(b, lstm_addr_i), cosim::number{});
  auto& bias_en = b.in(COSIM_PORT(b, bias_en_i));
  auto& bias_addr = b.in(COSIM_PORT(b, bias_addr_i), cosim::number{});
  auto& fc_en = b.in(COSIM_PORT(b, fc_en_i));
  auto& fc_addr = b.in(COSIM_PORT(b, fc_addr_i), cosim::number{});
  auto& fc_row = b.in(COSIM_PORT(b, fc_row_i), cosim::number{});
  b.out(COSIM_PORT(b, lstm_data_o), entries);
  b.out(COSIM_PORT(b, bias_data_o), cosim::words{16});
  b.out(COSIM_PORT(b, fc_data_o), entries);
  b.out(COSIM_PORT(b, fcb_data_o), cosim::number{true});
  const int lstm_depth = a.blocks() * (a.w_beats() + a.u_beats()), fc_depth = a.classes * a.fc_beats_per_row();
  b.every_cycle([&] {
    lstm_en.write(b.pace.below(3) != 0);
    bias_en.write(b.pace.below(2) != 0);
    fc_en.write(b.pace.below(2) != 0);
    lstm_addr.write(b.pace.below(lstm_depth));
    bias_addr.write(b.pace.below(a.H / a.ewu_lanes));
    const int f = b.pace.below(fc_depth);
    fc_addr.write(f);
    fc_row.write(f / a.fc_beats_per_row());  // the row FC reads together with the address
  });
  b.run(COSIM_CYCLES);
  b.summary();
}
