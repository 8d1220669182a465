// Table-driven fixture tests: every fixtures/config/invalid/<case>.yaml starts with
// "# expect: L:C: key.path: message" and must fail with exactly that one diagnostic;
// every fixtures/config/valid/*.yaml must load without errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.h"

namespace fs = std::filesystem;
using cam2mqtt::config::ConfigError;
using cam2mqtt::config::load_config;

namespace {

const std::string k_fixtures = CAM2MQTT_FIXTURES_DIR "/config";

std::vector<std::string> yaml_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

} // namespace

TEST_CASE("fixtures are present") {
  REQUIRE(fs::is_directory(k_fixtures + "/invalid"));
  CHECK(yaml_files(k_fixtures + "/invalid").size() >= 15);
  CHECK(yaml_files(k_fixtures + "/valid").size() >= 4);
}

TEST_CASE("each invalid fixture fails with its expected diagnostic") {
  const std::string prefix = "# expect: ";
  for (const std::string& path : yaml_files(k_fixtures + "/invalid")) {
    CAPTURE(path);
    const std::string header = first_line(path);
    REQUIRE(header.rfind(prefix, 0) == 0);
    const std::string expected = path + ":" + header.substr(prefix.size());
    std::vector<std::string> actual;
    try {
      load_config(path);
    } catch (const ConfigError& e) {
      actual = e.diagnostics();
    }
    REQUIRE(actual.size() == 1);
    CHECK(actual.front() == expected);
  }
}

TEST_CASE("each valid fixture loads without errors") {
  for (const std::string& path : yaml_files(k_fixtures + "/valid")) {
    CAPTURE(path);
    std::string diagnostics;
    try {
      load_config(path);
    } catch (const ConfigError& e) {
      diagnostics = e.what();
    }
    CHECK(diagnostics == "");
  }
}
