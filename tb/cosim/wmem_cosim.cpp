// Weight memories: SystemC wmem vs RTL wmem reading the ROM images
// `lstmsim rtl-gen` writes, random enables and addresses, every output
// compared every cycle. Config: COSIM_ARCH (a file in sc_model/configs/).
#include <catch2/catch.hpp>
#include <type_traits>

#include "cosim.hpp"
#include "lstm/arch.hpp"
#include "lstm/rom_layout.hpp"
#include "test_util.hpp"
#include "wmem.hpp"
#include RTL_HEADER

namespace {
constexpr int L = COSIM_LANES, E = COSIM_EWU, F = COSIM_FC, EW = COSIM_EW;
using bv_l = sc_dt::sc_bv<L * EW>;
using bv_b = sc_dt::sc_bv<4 * E * 16>;
using bv_f = sc_dt::sc_bv<F * EW>;
}  // namespace

TEST_CASE("cosim wmem " COSIM_NAME, "[cosim]") {
  using namespace sc_core;
  const lstm::ArchConfig a = lstm::load_arch(testutil::repo_dir() + "/sc_model/configs/" COSIM_ARCH ".json");
  REQUIRE(a.mvm_lanes == L);
  REQUIRE(a.ewu_lanes == E);
  REQUIRE(a.fc_lanes == F);
  lstm::Model shape;
  shape.I = a.I;
  shape.H = a.H;
  shape.T = a.T;
  shape.classes = a.classes;
  shape.c = a.c;
  shape.k = a.k;
  const lstm::Model m = lstm::random_model(shape, 99);
  testutil::TempDir tmp;
  lstm::write_rom_images(m, a, tmp.str());
  const std::string plus = "+rom_dir=" + tmp.str();
  const char* args[] = {"cosim", plus.c_str()};
  Verilated::commandArgsAdd(2, args);

  sc_clock clk("clk", 10, SC_NS);
  sc_signal<bool> lstm_en("lstm_en"), bias_en("bias_en"), fc_en("fc_en");
  sc_signal<int> lstm_addr("lstm_addr"), bias_addr("bias_addr"), fc_addr("fc_addr"), fc_row("fc_row");
  sc_signal<accel::Words> m_lstm("m_lstm", accel::Words(L)), m_bias("m_bias", accel::Words(4 * E)),
      m_fc("m_fc", accel::Words(F));
  sc_signal<int> m_fcb("m_fcb");
  sc_signal<sc_dt::sc_bv<32>> r_lstm_addr, r_bias_addr, r_fc_addr, r_fc_row;
  sc_signal<bv_l> r_lstm;
  sc_signal<bv_b> r_bias;
  sc_signal<bv_f> r_fc;
  sc_signal<sc_dt::sc_bv<16>> r_fcb;

  accel::wmem model("model", m, a);
  model.clk_i(clk);
  model.lstm_en_i(lstm_en);
  model.lstm_addr_i(lstm_addr);
  model.lstm_data_o(m_lstm);
  model.bias_en_i(bias_en);
  model.bias_addr_i(bias_addr);
  model.bias_data_o(m_bias);
  model.fc_en_i(fc_en);
  model.fc_addr_i(fc_addr);
  model.fc_row_i(fc_row);
  model.fc_data_o(m_fc);
  model.fcb_data_o(m_fcb);

  RTL_TOP rtl("rtl");
  // Address ports are narrower than 32 bits: bridge through signals of the
  // RTL's own widths.
  // (Verilator makes a 1-bit port a bool.)
  using LA = std::conditional_t<COSIM_LA_W == 1, bool, sc_dt::sc_bv<COSIM_LA_W>>;
  using BA = std::conditional_t<COSIM_BA_W == 1, bool, sc_dt::sc_bv<COSIM_BA_W>>;
  using FA = std::conditional_t<COSIM_FA_W == 1, bool, sc_dt::sc_bv<COSIM_FA_W>>;
  using FR = std::conditional_t<COSIM_FR_W == 1, bool, sc_dt::sc_bv<COSIM_FR_W>>;
  sc_signal<LA> ra("ra");
  sc_signal<BA> rb("rb");
  sc_signal<FA> rf("rf");
  sc_signal<FR> rr("rr");
  rtl.clk_i(clk);
  rtl.lstm_en_i(lstm_en);
  rtl.lstm_addr_i(ra);
  rtl.lstm_data_o(r_lstm);
  rtl.bias_en_i(bias_en);
  rtl.bias_addr_i(rb);
  rtl.bias_data_o(r_bias);
  rtl.fc_en_i(fc_en);
  rtl.fc_addr_i(rf);
  rtl.fc_row_i(rr);
  rtl.fc_data_o(r_fc);
  rtl.fcb_data_o(r_fcb);

  const int lstm_depth = a.blocks() * (a.w_beats() + a.u_beats());
  const int fc_depth = a.classes * a.fc_beats_per_row();
  struct stim : sc_module {
    SC_HAS_PROCESS(stim);
    sc_signal<bool>&le, &be, &fe;
    sc_signal<int>&la, &ba, &fa, &fr;
    sc_signal<LA>& ra;
    sc_signal<BA>& rb;
    sc_signal<FA>& rf;
    sc_signal<FR>& rr;
    int ld, bd, fd, fb;
    std::mt19937_64 rng{7};
    stim(sc_module_name n, sc_signal<bool>& le_, sc_signal<bool>& be_, sc_signal<bool>& fe_, sc_signal<int>& la_,
         sc_signal<int>& ba_, sc_signal<int>& fa_, sc_signal<int>& fr_, sc_signal<LA>& ra_, sc_signal<BA>& rb_,
         sc_signal<FA>& rf_, sc_signal<FR>& rr_, int ld_, int bd_, int fd_, int fb_, sc_clock& c)
        : sc_module(n), le(le_), be(be_), fe(fe_), la(la_), ba(ba_), fa(fa_), fr(fr_), ra(ra_), rb(rb_), rf(rf_),
          rr(rr_), ld(ld_), bd(bd_), fd(fd_), fb(fb_) {
      SC_METHOD(tick);
      sensitive << c.posedge_event();
      dont_initialize();
    }
    void tick() {
      le.write(rng() % 3 != 0);
      be.write(rng() % 2 != 0);
      fe.write(rng() % 2 != 0);
      const int a1 = static_cast<int>(rng() % ld), a2 = static_cast<int>(rng() % bd), a3 = static_cast<int>(rng() % fd);
      la.write(a1);
      ba.write(a2);
      fa.write(a3);
      fr.write(a3 / fb);  // the row FC reads together with the address
      ra.write(LA(a1));
      rb.write(BA(a2));
      rf.write(FA(a3));
      rr.write(FR(a3 / fb));
    }
  } st("stim", lstm_en, bias_en, fc_en, lstm_addr, bias_addr, fc_addr, fc_row, ra, rb, rf, rr, lstm_depth,
       a.H / E, fc_depth, a.fc_beats_per_row(), clk);

  cosim::checker chk("checker");
  chk.clk_i(clk);
  cosim::compare(chk, "lstm_data_o", m_lstm, r_lstm, [](const bv_l& b) { return cosim::unpack<L * EW>(b, EW, L, false); });
  cosim::compare(chk, "bias_data_o", m_bias, r_bias,
                 [](const bv_b& b) { return cosim::unpack<4 * E * 16>(b, 16, 4 * E, true); });
  cosim::compare(chk, "fc_data_o", m_fc, r_fc, [](const bv_f& b) { return cosim::unpack<F * EW>(b, EW, F, false); });
  cosim::compare(chk, "fcb_data_o", m_fcb, r_fcb,
                 [](const sc_dt::sc_bv<16>& b) { return static_cast<int>(cosim::to_int<16>(b, true)); });
  chk.stop_after = COSIM_CYCLES;
  sc_start();
  if (chk.failed)
    FAIL(cosim::report(chk.first));
  CHECK(chk.cycle >= COSIM_CYCLES);
  WARN("wmem " COSIM_NAME ": " << chk.cycle << " cycles compared (" << chk.compared << " port compares)");
}
