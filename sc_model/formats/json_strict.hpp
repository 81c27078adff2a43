// JSON parsing for files users write by hand: a key given twice in one
// object is an error (nlohmann keeps the last one silently, so a config
// with two "mvm_lanes" would simulate a design nobody meant).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "formats/error.hpp"

namespace lstm::formats {

// Parses `text`; throws InputError naming `where` on a duplicate key and
// lets Json::exception (syntax errors) through for the caller to word.
template <typename Json>
Json parse_json_strict(const std::string& text, const std::string& where) {
  std::vector<std::set<std::string>> keys;  // one set per open object
  return Json::parse(text, [&](int, typename Json::parse_event_t ev, Json& parsed) {
    using E = typename Json::parse_event_t;
    if (ev == E::object_start) {
      keys.emplace_back();
    } else if (ev == E::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (ev == E::key && !keys.empty()) {
      const std::string k = parsed.template get<std::string>();
      if (!keys.back().insert(k).second) throw file_error(where, 0, "duplicate field '" + k + "'");
    }
    return true;
  });
}

}  // namespace lstm::formats
