// Golden tests of the outbound sources: every payload under fixtures/hikvision (*.xml, *.txt)
// and fixtures/cvedia (*.json, *.txt) goes through `cam2mqtt parse --source`'s decode path and
// must equal <name>.expected.json beside it (a JSON array, one element per printed line).
// UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/parse_command.h"

namespace fs = std::filesystem;
using namespace cam2mqtt;
using nlohmann::ordered_json;

namespace {
const fs::path k_root = CAM2MQTT_FIXTURES_DIR;
const std::string k_peer = "192.168.1.10";
const util::SysMicros k_received{std::chrono::microseconds(1795348800LL * 1000000)}; // 2026-11-22T12:00Z
const std::string k_id = "00000000-0000-7000-8000-000000000000";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_expected(const fs::path& p) {
  return p.filename().string().size() > 14 &&
         p.filename().string().compare(p.filename().string().size() - 14, 14, ".expected.json") == 0;
}

std::vector<fs::path> payloads(const std::string& dir, std::initializer_list<const char*> extensions) {
  std::vector<fs::path> out;
  if (!fs::exists(k_root / dir)) {
    return out;
  }
  for (const auto& e : fs::directory_iterator(k_root / dir)) {
    const auto ext = e.path().extension().string();
    if (!e.is_regular_file() || is_expected(e.path())) {
      continue;
    }
    for (const char* want : extensions) {
      if (ext == want) {
        out.push_back(e.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void check_goldens(model::Source source, const std::string& dir, std::initializer_list<const char*> extensions) {
  setenv("TZ", "UTC", 1);
  tzset();
  const bool update = std::getenv("UPDATE_GOLDEN") != nullptr;
  const config::Config cfg;
  for (const auto& file : payloads(dir, extensions)) {
    const auto rel = fs::relative(file, k_root).string();
    auto expected_path = file;
    expected_path.replace_extension(".expected.json");
    std::vector<std::string> lines;
    app::decode_payload_lines(source, read(file), rel, cfg, model::ImageMode::split, k_peer, k_received,
                              [] { return k_id; }, lines);
    ordered_json actual = ordered_json::array();
    for (const auto& line : lines) {
      actual.push_back(ordered_json::parse(line));
    }
    if (update) {
      std::ofstream(expected_path) << actual.dump(2) << "\n";
      continue;
    }
    INFO("fixture: " << rel << " (UPDATE_GOLDEN=1 rewrites " << expected_path.string() << ")");
    REQUIRE(fs::exists(expected_path));
    CHECK(actual.dump(2) == ordered_json::parse(read(expected_path)).dump(2));
  }
}
} // namespace

TEST_CASE("source fixtures are present") {
  CHECK(payloads("hikvision", {".xml", ".txt"}).size() >= 10);
  CHECK(payloads("cvedia", {".json", ".txt"}).size() >= 20);
}

TEST_CASE("every CVEDIA-RT fixture decodes to its expected JSON") {
  check_goldens(model::Source::cvedia, "cvedia", {".json", ".txt"});
}

TEST_CASE("every Hikvision fixture decodes to its expected JSON") {
  check_goldens(model::Source::hikvision, "hikvision", {".xml", ".txt"});
}
