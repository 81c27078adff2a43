// The message load_arch gives for a config file's text (written to a temp
// cfg.json); checks that it names the file. Empty when the config loads.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "arch/arch.hpp"
#include "formats/error.hpp"
#include "test_util.hpp"

inline std::string arch_error(const std::string& json) {
  testutil::TempDir tmp;
  const std::string path = tmp.file("cfg.json");
  testutil::spit(path, json);
  try {
    lstm::arch::load_arch(path);
  } catch (const lstm::formats::InputError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("cfg.json") != std::string::npos);  // names the file
    return msg;
  }
  return "";
}
