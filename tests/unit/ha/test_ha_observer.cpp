// The app glue: timing of held feed messages, HA birth, removal requests (no broker, no loop).
#include <catch2/catch.hpp>

#include "app/ha_observer.h"
#include "support/recording_publisher.h"

using namespace cam2mqtt;
using Clock = app::HaObserver::Clock;

namespace {
std::size_t count_prefix(const test::RecordingPublisher& pub, const std::string& prefix) {
  std::size_t n = 0;
  for (const auto& m : pub.messages) {
    n += m.topic.rfind(prefix, 0) == 0 ? 1 : 0;
  }
  return n;
}

model::DeviceRecord record(const std::string& key) {
  model::DeviceRecord rec;
  rec.cameraKey = key;
  rec.peerIp = "192.168.1.10";
  return rec;
}

encode::Envelope envelope(const std::string& key) {
  encode::Envelope env;
  env.cameraKey = key;
  return env;
}
} // namespace

TEST_CASE("the first feed messages of new entities wait for the settle time, later ones do not") {
  config::Config cfg;
  test::RecordingPublisher pub;
  app::HaObserver obs(cfg, pub, nullptr);
  obs.on_camera_seen(record("gate"));
  model::Event ev;
  ev.category = model::Category::lpr;
  obs.on_event(ev, envelope("gate"), R"({"plateNumber": "A"})");
  obs.on_event(ev, envelope("gate"), R"({"plateNumber": "B"})");
  CHECK(count_prefix(pub, "homeassistant/") > 5);
  CHECK(count_prefix(pub, "cam2mqtt/gate/lpr/ha") == 0);
  CHECK(obs.held() == 2);
  obs.tick(Clock::now());
  CHECK(obs.held() == 2);
  obs.tick(Clock::now() + app::HaObserver::k_settle);
  CHECK(obs.held() == 0);
  REQUIRE(count_prefix(pub, "cam2mqtt/gate/lpr/ha") == 2);
  std::vector<std::string> order;
  for (const auto& m : pub.messages) {
    if (m.topic == "cam2mqtt/gate/lpr/ha") {
      order.push_back(m.payload);
      CHECK(!m.retain);
    }
  }
  CHECK(order == std::vector<std::string>{R"({"plateNumber": "A"})", R"({"plateNumber": "B"})"});
  obs.on_event(ev, envelope("gate"), R"({"plateNumber": "C"})");
  CHECK(count_prefix(pub, "cam2mqtt/gate/lpr/ha") == 3);
}

TEST_CASE("HA birth republishes every config after a short pause; other status payloads do nothing") {
  config::Config cfg;
  cfg.cameras.list.push_back(config::CameraEntry{"192.168.1.50", "", "Gate", "gate"});
  test::RecordingPublisher pub;
  app::HaObserver obs(cfg, pub, nullptr);
  CHECK(pub.messages.empty()); // listed cameras go out on connect
  obs.on_mqtt_connected();
  CHECK(count_prefix(pub, "homeassistant/binary_sensor/cam2mqtt_gate/connectivity/config") == 1);
  obs.on_mqtt_message("homeassistant/status", "offline");
  obs.tick(Clock::now() + std::chrono::seconds(5));
  CHECK(count_prefix(pub, "homeassistant/") == 1);
  obs.on_mqtt_message("homeassistant/status", "online");
  obs.tick(Clock::now());
  CHECK(count_prefix(pub, "homeassistant/") == 1);
  obs.tick(Clock::now() + app::HaObserver::k_birth_delay);
  CHECK(count_prefix(pub, "homeassistant/") == 2);
}

TEST_CASE("the observer subscribes to HA status, its discovery configs and the removal topic") {
  config::Config cfg;
  cfg.homeassistant.discovery_prefix = "hass";
  test::RecordingPublisher pub;
  app::HaObserver obs(cfg, pub, nullptr);
  const auto subs = obs.subscriptions();
  CHECK(subs == std::vector<std::string>{"hass/status", "hass/+/+/+/config", "cam2mqtt/bridge/request/ha_remove",
                                         "cam2mqtt/+/counting/totals", "homeassistant/status"});
  obs.on_camera_seen(record("gate"));
  pub.messages.clear();
  obs.on_mqtt_message("cam2mqtt/bridge/request/ha_remove", "gate\n");
  CHECK(count_prefix(pub, "hass/binary_sensor/cam2mqtt_gate/connectivity/config") == 1);
  for (const auto& m : pub.messages) {
    CHECK(m.payload.empty());
    CHECK(m.retain);
  }
}
