#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/camera_resolver.h"
#include "app/ingest_pipeline.h"
#include "encode/device_json.h"
#include "encode/event_json.h"
#include "parse/viewtron_parser.h"

namespace fs = std::filesystem;
using namespace cam2mqtt;
using nlohmann::ordered_json;

namespace {
const fs::path k_root = CAM2MQTT_FIXTURES_DIR;
const std::string k_peer = "192.168.1.10";
// A fixed receive time (2026-11-22T12:00:00Z) keeps eventTime fallbacks reproducible.
const util::SysMicros k_received{std::chrono::microseconds(1795348800LL * 1000000)};
const std::string k_id = "00000000-0000-7000-8000-000000000000";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every line the daemon (or `cam2mqtt parse`) would print for this payload, as one JSON array.
ordered_json decode(const std::string& body, const std::string& rel) {
  auto outcome = parse::parse_viewtron(body, parse::ParseContext{k_received});
  if (!outcome) {
    return ordered_json::array({ordered_json::parse(encode::encode_parse_error(outcome.error(), rel))});
  }
  if (outcome->kind == model::Message::Kind::heartbeat) {
    return ordered_json::array({ordered_json::parse(encode::encode_heartbeat(outcome->device))});
  }
  config::CamerasConfig cameras;
  app::CameraResolver resolver(cameras);
  ordered_json out = ordered_json::array();
  for (const auto& ev : outcome->events) {
    const auto cam = resolver.resolve(ev.device, k_peer);
    const auto env = app::make_envelope(cam, k_peer, "cam2mqtt", k_id, k_received);
    out.push_back(ordered_json::parse(encode::encode_event(ev, env, model::ImageMode::split).json));
  }
  return out;
}

std::vector<fs::path> fixtures() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(k_root / "xml")) {
    if (e.is_regular_file() && e.path().extension() == ".xml") {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}
} // namespace

TEST_CASE("fixtures are present") {
  CHECK(fixtures().size() >= 30);
}

TEST_CASE("every fixture decodes to its expected JSON") {
  setenv("TZ", "UTC", 1);
  tzset();
  const bool update = std::getenv("UPDATE_GOLDEN") != nullptr;
  for (const auto& xml : fixtures()) {
    const auto rel = fs::relative(xml, k_root / "xml");
    const auto expected_path = (k_root / "expected" / rel).replace_extension(".json");
    const auto actual = decode(read(xml), rel.string());
    if (update) {
      fs::create_directories(expected_path.parent_path());
      std::ofstream(expected_path) << actual.dump(2) << "\n";
      continue;
    }
    INFO("fixture: " << rel.string() << " (UPDATE_GOLDEN=1 rewrites " << expected_path.string() << ")");
    REQUIRE(fs::exists(expected_path));
    const auto expected = ordered_json::parse(read(expected_path));
    CHECK(actual.dump(2) == expected.dump(2));
    const bool invalid = rel.begin()->string() == "invalid";
    CHECK(invalid == actual.at(0).contains("error"));
  }
}
