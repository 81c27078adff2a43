// Every derived dimension of the design, written once: a name, its rule as
// a Verilog constant expression over the RTL parameter names, and what it
// is. The C++ side evaluates these rules (ArchConfig's accessors, sizing,
// the tools); `lstmsim rtl-gen --headers` writes them as localparams into
// rtl/derived/<module>.vh, which each RTL module includes; `lstmsim arch
// --json` prints their values for CMake and the scripts. A unit test checks
// that the committed headers are what this table generates, and a lint-label
// test that Verilator's elaboration of every module agrees with the C++
// values for every shipped config (docs/rtl.md, "Derived parameters").
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace lstm::arch {

struct ArchConfig;

struct DerivedRule {
  const char* name;
  const char* expr;  // Verilog constant expression: + - * / % ?: < <= > >= == != && || $clog2()
  const char* what;
};

// In dependency order (a rule uses base parameters and earlier rules only).
const std::vector<DerivedRule>& derived_rules();

// The RTL modules that include a generated header, each with the derived
// names it uses (its header holds those and every rule they depend on).
struct RtlModuleDerived {
  const char* module;
  std::vector<const char*> names;
  std::vector<const char*> own = {};  // rule names that are this module's own parameters
  // ANSI-style modules whose ports use derived widths include the header at
  // the end of their #(...) list: `parameter integer X = ...,` lines.
  bool in_params = false;
};
const std::vector<RtlModuleDerived>& rtl_module_derived();

using ParamEnv = std::map<std::string, int64_t>;

// The config's fields under their RTL parameter names (I, H, T, CLASSES, C,
// K, LANES, GROUPS, EWU_LANES, FC_LANES, PIX_PER_BEAT, SPX_BUFFERS, CNN_IN,
// CONV_LANES).
ParamEnv base_params(const ArchConfig& a);
// base_params plus every derived value.
ParamEnv derive(const ArchConfig& a);
// A block's parameter set (e.g. a cosim variant's I, H, C, K, LANES,
// GROUPS): `given` plus every rule whose inputs are all known. Throws
// std::invalid_argument for a name that is no RTL base parameter.
ParamEnv derive_partial(const ParamEnv& given);
// One derived value (throws std::out_of_range for an unknown name).
int64_t derived_value(const ArchConfig& a, std::string_view name);

// Evaluates a Verilog constant expression over `env` with Verilog's integer
// semantics (truncating division; x / 0 and x % 0 are 0 here, and no rule
// divides by zero for a config validate_arch accepts). Throws
// std::invalid_argument for a syntax error or an unknown name.
int64_t eval_verilog_expr(const std::string& expr, const ParamEnv& env);

// The top's RTL parameters (the config fields; CNN_IN and CONV_LANES only
// with a CNN front end) in a fixed order.
std::vector<std::pair<std::string, int64_t>> rtl_base_params(const ArchConfig& a);
// Those as Verilator -G options, space- or newline-separated.
std::string verilator_params(const ArchConfig& a, bool lines = false);
// The RTL top's parameters as Verilog constants: rtl_base_params for one
// layer; for a stack (rtl/lstm_stack.v) LAYERS, the shared dimensions and
// each per-layer field packed 32 bits per layer ("64'h0000001c0000001c").
std::vector<std::pair<std::string, std::string>> rtl_params(const ArchConfig& a);
// The RTL top module for a config: lstm_accel, cnn_lstm_accel or lstm_stack.
std::string rtl_top(const ArchConfig& a);

// `lstmsim arch --json`: name, top module, RTL parameters, Verilator
// options and every derived value.
nlohmann::ordered_json describe(const ArchConfig& a);

// The text of rtl/derived/<module>.vh.
std::string verilog_header(const RtlModuleDerived& m);

}  // namespace lstm::arch
