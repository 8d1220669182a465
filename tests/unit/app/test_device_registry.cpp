#include <catch2/catch.hpp>

#include "app/device_registry.h"
#include "support/recording_publisher.h"

using namespace cam2mqtt;
using std::chrono::seconds;

namespace {
util::SysMicros at(int s) {
  return util::SysMicros(std::chrono::microseconds(1774792700000000LL + s * 1000000LL));
}
std::vector<std::string> topics(const test::RecordingPublisher& p) {
  std::vector<std::string> out;
  for (const auto& m : p.messages) {
    out.push_back(m.topic + "=" + (m.topic.ends_with("availability") ? m.payload : "json"));
  }
  return out;
}
} // namespace

TEST_CASE("availability turns online on the first post and offline after silence") {
  test::RecordingPublisher pub;
  app::DeviceRegistry reg({"p", 1, seconds(90), seconds(60)}, pub);
  model::DeviceIdentity id;
  id.name = "Cam";
  reg.touch("cam", "", "10.0.0.2", id, at(0));
  CHECK(topics(pub) == std::vector<std::string>{"p/cam/availability=online", "p/cam/device=json"});
  CHECK(pub.messages[0].retain);
  CHECK(reg.online_count() == 1);

  pub.messages.clear();
  reg.touch("cam", "", "10.0.0.2", id, at(10)); // nothing changed, not stale
  reg.sweep(at(89));
  CHECK(pub.messages.empty());
  reg.sweep(at(100));
  CHECK(topics(pub) == std::vector<std::string>{"p/cam/availability=offline"});
  CHECK(reg.online_count() == 0);

  pub.messages.clear();
  reg.touch("cam", "", "10.0.0.2", id, at(120));
  CHECK(topics(pub).front() == "p/cam/availability=online");
}

TEST_CASE("device info is republished when the identity changes, and after reconnect") {
  test::RecordingPublisher pub;
  app::DeviceRegistry reg({"p", 1, seconds(90), seconds(60)}, pub);
  model::DeviceIdentity id;
  reg.touch("cam", "", "10.0.0.2", id, at(0));
  pub.messages.clear();
  id.mac = "58:5b:69:5a:84:bb";
  reg.touch("cam", "", "10.0.0.2", id, at(1));
  REQUIRE(pub.messages.size() == 1);
  CHECK(pub.messages[0].payload.find("58:5b:69:5a:84:bb") != std::string::npos);

  pub.messages.clear();
  model::DeviceIdentity empty;
  reg.touch("cam", "", "10.0.0.2", empty, at(2)); // an empty post never erases what is known
  CHECK(pub.messages.empty());
  CHECK(reg.devices().at("cam").identity.mac == "58:5b:69:5a:84:bb");

  reg.republish_all();
  CHECK(topics(pub) == std::vector<std::string>{"p/cam/availability=online", "p/cam/device=json"});
}
