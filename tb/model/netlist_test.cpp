// The hand-written RTL tops against the netlist table (sc_model/blocks/
// netlist.cpp): every instance connection of rtl/lstm_layer.v (both front
// ends), and the top ports of rtl/lstm_accel.v and rtl/cnn_lstm_accel.v,
// must be the table's, and the checker must
// catch a missing, an extra and a cross-wired connection.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "netlist.hpp"
#include "test_util.hpp"

namespace {

using Conns = std::map<std::string, std::string>;  // port -> wire

std::string read(const std::string& path) {
  std::ifstream f(path);
  REQUIRE(f);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Instance name (u_<block>) -> its named port connections. Every `u_<name>
// (` opens an instance (the RTL style names instances u_<module>).
std::map<std::string, Conns> instances(std::string v) {
  v = std::regex_replace(v, std::regex("//[^\n]*"), "");
  std::map<std::string, Conns> out;
  const std::regex head(R"(\b(u_\w+)\s*\()");
  for (auto it = std::sregex_iterator(v.begin(), v.end(), head); it != std::sregex_iterator(); ++it) {
    size_t i = it->position() + it->length(), depth = 1, start = i;
    Conns& c = out[(*it)[1].str().substr(2)];
    std::vector<std::string> items;
    for (; i < v.size() && depth; ++i) {
      if (v[i] == '(') ++depth;
      if (v[i] == ')') --depth;
      if ((v[i] == ',' && depth == 1) || depth == 0) {
        items.push_back(trim(v.substr(start, i - start)));
        start = i + 1;
      }
    }
    const std::regex conn(R"(^\.(\w+)\s*\((.*)\)$)");
    for (const std::string& s : items) {
      std::smatch m;
      if (std::regex_match(s, m, conn)) c[m[1]] = trim(m[2]);
      else c["<unparsed>"] = s;
    }
  }
  return out;
}

// The table's connections of each block (both tops), and of the LSTM top
// as instantiated by cnn_lstm_accel.
std::map<std::string, Conns> expected_blocks() {
  std::map<std::string, Conns> e;
  for (const auto& b : accel::netlist::blocks()) {
    e[b.name]["clk_i"] = "clk_i";
    if (b.reset) e[b.name]["rst_ni"] = "rst_ni";
  }
  for (const auto& n : accel::netlist::nets())
    if (!n.up)
      for (const auto& p : accel::netlist::pins(n))
        if (std::string(p.block) != accel::netlist::kTop) e[p.block][p.port] = n.name;
  // S-P-H's stream to the layer above is lstm_layer's own out_* port (its
  // S-P-X end is the pixel stream, already wired).
  for (const auto& n : accel::netlist::nets())
    if (n.up)
      for (const auto& p : accel::netlist::pins(n))
        if (!e[p.block].count(p.port)) e[p.block][p.port] = p.port;
  return e;
}

Conns expected_top() {
  Conns c = {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}};
  for (const auto& n : accel::netlist::nets())
    for (const auto& p : accel::netlist::pins(n))
      if (std::string(p.block) == accel::netlist::kTop) c[p.port] = p.port;
  return c;
}

// Every difference, as "block.port: ..." lines.
std::vector<std::string> diff(const std::map<std::string, Conns>& want, const std::map<std::string, Conns>& got) {
  std::vector<std::string> d;
  for (const auto& [blk, w] : want) {
    const auto g = got.find(blk);
    if (g == got.end()) {
      d.push_back(blk + ": no instance u_" + blk);
      continue;
    }
    for (const auto& [port, wire] : w) {
      const auto x = g->second.find(port);
      if (x == g->second.end()) d.push_back(blk + "." + port + ": missing (want " + wire + ")");
      else if (x->second != wire) d.push_back(blk + "." + port + ": wired to " + x->second + ", want " + wire);
    }
    for (const auto& [port, wire] : g->second)
      if (!w.count(port)) d.push_back(blk + "." + port + ": extra connection to " + wire);
  }
  for (const auto& [blk, c] : got)
    if (!want.count(blk)) d.push_back(blk + ": instance u_" + blk + " not in the netlist");
  return d;
}

std::vector<std::string> check_lstm_top(const std::string& verilog) {
  return diff(expected_blocks(), instances(verilog));
}

std::string lstm_top_v() { return read(testutil::repo_dir() + "/rtl/lstm_layer.v"); }

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t i = s.find(from);
  REQUIRE(i != std::string::npos);
  return s.replace(i, from.size(), to);
}

bool mentions(const std::vector<std::string>& d, const std::string& what) {
  for (const std::string& s : d)
    if (s.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("netlist: rtl/lstm_layer.v wires every block as the table", "[netlist]") {
  const auto got = instances(lstm_top_v());
  CHECK(got.size() == accel::netlist::blocks().size());  // spx and the CNN front end (generate branches)
  const auto d = diff(expected_blocks(), got);
  for (const std::string& s : d) UNSCOPED_INFO(s);
  CHECK(d.empty());
}

TEST_CASE("netlist: rtl/lstm_accel.v wires the top ports as the table, no layer above", "[netlist]") {
  const auto got = instances(read(testutil::repo_dir() + "/rtl/lstm_accel.v"));
  Conns want = expected_top();
  want["out_valid_o"] = "";
  want["out_ready_i"] = "1'b0";
  want["out_data_o"] = "";
  const auto d = diff({{"lstm_layer", want}}, got);
  for (const std::string& s : d) UNSCOPED_INFO(s);
  CHECK(d.empty());
}

TEST_CASE("netlist: rtl/cnn_lstm_accel.v wires the top ports as the table", "[netlist]") {
  const auto got = instances(read(testutil::repo_dir() + "/rtl/cnn_lstm_accel.v"));
  const auto d = diff({{"lstm_accel", expected_top()}}, got);
  for (const std::string& s : d) UNSCOPED_INFO(s);
  CHECK(expected_top().size() == 9);
  CHECK(d.empty());
}

TEST_CASE("netlist: the RTL check catches a missing, an extra and a cross-wired connection", "[netlist]") {
  const std::string v = lstm_top_v();
  const auto missing = check_lstm_top(replace(v, ".h_last_o(h_last)", ".h_last_o()"));
  CHECK(missing == std::vector<std::string>{"ewu.h_last_o: wired to , want h_last"});
  const auto dropped = check_lstm_top(replace(v, ", .h_last_o(h_last)", ""));
  CHECK(dropped == std::vector<std::string>{"ewu.h_last_o: missing (want h_last)"});
  const auto extra = check_lstm_top(replace(v, ".op_tag_i(op_tag),", ".op_tag_i(op_tag), .dbg_o(dbg),"));
  CHECK(extra == std::vector<std::string>{"mvm.dbg_o: extra connection to dbg"});
  const auto crossed = check_lstm_top(
      replace(v, ".cpop_valid_i(cpop_valid), .cpop_ready_o(cpop_ready)", ".cpop_valid_i(cpop_ready), .cpop_ready_o(cpop_valid)"));
  CHECK(crossed.size() == 2);
  CHECK(mentions(crossed, "ewu.cpop_valid_i: wired to cpop_ready, want cpop_valid"));
  CHECK(mentions(crossed, "ewu.cpop_ready_o: wired to cpop_valid, want cpop_ready"));
  const auto renamed = check_lstm_top(replace(v, "u_argmax", "u_argmax2"));
  CHECK(mentions(renamed, "argmax: no instance u_argmax"));
  CHECK(mentions(renamed, "argmax2: instance u_argmax2 not in the netlist"));
}
