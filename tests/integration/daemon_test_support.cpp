#include "daemon_test_support.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cam2mqtt::testing {

namespace {
std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
} // namespace

std::string fixture(const std::string& rel) {
  return read_file(std::filesystem::path(CAM2MQTT_FIXTURES_DIR) / "xml" / rel);
}

nlohmann::json golden(const std::string& rel) {
  auto p = std::filesystem::path(CAM2MQTT_FIXTURES_DIR) / "expected" / rel;
  p.replace_extension(".json");
  return nlohmann::json::parse(read_file(p));
}

nlohmann::json comparable(nlohmann::json payload) {
  if (payload.value("eventTimeSource", "") == "receive") {
    payload.erase("eventTime");
  }
  for (const char* key : {"id", "receivedAt", "cameraKey", "cameraIp", "peerIp"}) {
    payload.erase(key);
  }
  if (payload.contains("images")) {
    for (auto& [which, meta] : payload["images"].items()) {
      meta.erase("topic");
    }
  }
  return payload;
}

int post(test::RawClient& client, const std::string& body, const std::string& target) {
  if (!client.send_all(test::make_post(target, body))) {
    return 0;
  }
  const auto reply = client.read_response();
  return reply ? reply->status : 0;
}

} // namespace cam2mqtt::testing
