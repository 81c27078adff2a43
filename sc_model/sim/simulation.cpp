#include "simulation.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "formats/error.hpp"
#include "arch/timing.hpp"
#include "lstm_accel.hpp"

namespace accel {

void quiet_systemc() {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
}

bool freeze(const lstm_accel& top, const std::string& block) {
  const sc_core::sc_module* b = top.block(block);
  if (!b) return false;
  for (sc_core::sc_object* o : b->get_child_objects())
    if (o->basename() == std::string("tick")) {
      sc_core::sc_process_handle(o).disable();
      return true;
    }
  throw std::logic_error(std::string(b->name()) + " has no clocked process named tick");
}

namespace {
void check_dir(const std::string& path, const std::string& what) {
  const auto parent = std::filesystem::absolute(path).parent_path();
  if (!std::filesystem::is_directory(parent))
    throw lstm::formats::file_error(path, 0, "cannot write " + what + ": directory " + parent.string() + " does not exist");
}
}  // namespace

void write_gtkw(const std::string& path, const lstm::arch::ArchConfig& a, const std::string& vcd) {
  check_dir(path, "GTKWave file");
  std::ofstream f(path);
  if (!f) throw lstm::formats::file_error(path, 0, "cannot write GTKWave file");
  const int kMaxElems = 8;  // of each word vector: enough to see it move
  f << "[*] GTKWave save file for lstmsim run --vcd (lstmsim run --gtkw, from sc_model/blocks/netlist.cpp)\n"
    << "[dumpfile] \"" << (vcd.empty() ? "lstm_accel.vcd" : vcd) << "\"\n"
    << "[timestart] 0\n[size] 1600 1000\n[treeopen] SystemC.\n";
  std::vector<std::pair<std::string, bool>> groups = {{netlist::kTop, true}};
  for (const netlist::Block& b : netlist::blocks(a)) groups.push_back({b.name, b.reset});
  for (const auto& [blk, reset] : groups) {
    std::vector<std::string> vars = {"clk_i"};
    if (reset) vars.push_back("rst_ni");
    for (const netlist::Net& n : netlist::nets(a))
      for (const netlist::Pin& p : netlist::pins(n)) {
        if (blk != p.block) continue;
        auto names = netlist::vcd_names(n, p.port, a);
        if (n.type == netlist::Type::words && names.size() > kMaxElems) names.resize(kMaxElems);
        vars.insert(vars.end(), names.begin(), names.end());
      }
    f << "@800200\n-" << blk << "\n";
    for (const std::string& v : vars)
      f << (v.find('[') == std::string::npos ? "@28" : "@424") << "\nSystemC." << blk << "." << v << "\n";
    f << "@1000200\n-" << blk << "\n";
  }
  if (!f) throw lstm::formats::file_error(path, 0, "cannot write GTKWave file");
}

SimReport simulate(const lstm::formats::Model& m, const lstm::arch::ArchConfig& a, const lstm::formats::ImageSet& images,
                   const std::vector<size_t>& order, const SimOptions& opt) {
  using namespace sc_core;
  if (!opt.vcd.empty()) check_dir(opt.vcd, "VCD");
  if (!opt.gtkw.empty()) write_gtkw(opt.gtkw, a, opt.vcd);
  const sc_time period(1000.0 / a.clock_mhz, SC_NS);
  sc_clock clk("clk", period);
  sc_signal<bool> rst_n("rst_n", false);
  sc_signal<bool> pix_valid("pix_valid", false), pix_ready("pix_ready", false);
  sc_signal<Words> pix_data("pix_data", Words(a.pixels_per_beat));
  sc_signal<bool> res_valid("res_valid", false), res_ready("res_ready", false);
  sc_signal<int> res_class("res_class", 0);
  sc_signal<Words> res_logits("res_logits", Words(a.classes));

  // The manifest's kind picks the top (the config must agree: checked there).
  std::unique_ptr<lstm_accel> top_ptr;
  if (a.has_cnn()) top_ptr = std::make_unique<cnn_lstm_accel>("cnn_lstm_accel", m, a);
  else top_ptr = std::make_unique<lstm_accel>("lstm_accel", m, a);
  lstm_accel& top = *top_ptr;
  top.clk_i(clk);
  top.rst_ni(rst_n);
  top.pix_valid_i(pix_valid);
  top.pix_ready_o(pix_ready);
  top.pix_data_i(pix_data);
  top.res_valid_o(res_valid);
  top.res_ready_i(res_ready);
  top.res_class_o(res_class);
  top.res_logits_o(res_logits);
  if (!opt.freeze.empty() && !freeze(top, opt.freeze))
    throw lstm::formats::InputError("freeze: unknown block '" + opt.freeze + "'");

  pixel_source src("source", images, order, a.pixels_per_beat, opt.source_gap, opt.seed);
  src.clk_i(clk);
  src.rst_ni(rst_n);
  src.valid_o(pix_valid);
  src.ready_i(pix_ready);
  src.data_o(pix_data);

  result_sink sink("sink", order.size(), opt.sink_stall, opt.seed * 7919 + 13, opt.sink_hold);
  sink.clk_i(clk);
  sink.rst_ni(rst_n);
  sink.valid_i(res_valid);
  sink.ready_o(res_ready);
  sink.class_i(res_class);
  sink.logits_i(res_logits);
  sink.on_result = opt.progress;

  // The top's own ports face the pixel source and the result sink.
  auto hs = top.handshakes();
  for (Handshake& h : hs) {
    if (h.producer == netlist::kTop) h.producer = "source";
    if (h.consumer == netlist::kTop) h.consumer = "sink";
  }
  // A sink held for sink_hold cycles stalls everything by design: both limits
  // stretch by the hold.
  watchdog wd("watchdog", hs, opt.watchdog + opt.sink_hold, [&] { return sink.results.size() < order.size(); });
  wd.clk_i(clk);
  // A run that keeps handshaking but yields no result ends too: allow 8x the
  // first image's latency by the timing formula (room for random stalls) plus
  // the handshake limit.
  wd.set_progress_limit(8 * lstm::arch::schedule(a, 1).result[0] + opt.watchdog + opt.sink_hold,
                        [&] { return sink.results.size(); });

  sc_trace_file* tf = nullptr;
  if (!opt.vcd.empty()) {
    std::string base = opt.vcd;
    if (base.size() > 4 && base.substr(base.size() - 4) == ".vcd") base.resize(base.size() - 4);
    tf = sc_create_vcd_trace_file(base.c_str());
    tf->set_time_unit(1, SC_PS);
    top.trace(tf);
  }

  const auto t0 = std::chrono::steady_clock::now();
  SimReport rep;
  rep.reset_cycles = 2;
  sc_start(period * double(rep.reset_cycles));
  rst_n.write(true);
  if (opt.max_cycles)
    sc_start(period * double(opt.max_cycles));
  else
    sc_start();
  rep.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (tf) sc_close_vcd_trace_file(tf);

  rep.cycles = sink.cycle - rep.reset_cycles;
  rep.results = sink.results;
  rep.first_beat = src.first_beat_cycle;
  for (uint64_t& c : rep.first_beat) c -= rep.reset_cycles;
  for (Result& r : rep.results) r.cycle -= rep.reset_cycles;
  rep.mvm_lane_beats = top.mvm_lane_beats();
  for (auto& [name, c] : top.counters()) rep.counters.push_back({name, *c});
  rep.error = wd.error;
  if (rep.error.empty() && rep.results.size() < order.size())
    rep.error = "cycle limit of " + std::to_string(opt.max_cycles) + " reached with " +
                std::to_string(rep.results.size()) + " of " + std::to_string(order.size()) + " results";
  return rep;
}

}  // namespace accel
