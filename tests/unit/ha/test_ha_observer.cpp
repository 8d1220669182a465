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

// What IngestPipeline::publish_event does with one event: observers first, then the event's
// messages. Returns their not_before (epoch: not held).
Clock::time_point pipeline_event(app::HaObserver& obs, test::RecordingPublisher& pub, const std::string& key,
                                 model::Category c, const std::string& json) {
  model::Event ev;
  ev.category = c;
  obs.on_event(ev, envelope(key), json);
  std::vector<mqtt::OutgoingMessage> msgs{{"cam2mqtt/" + key + "/" + std::string(model::to_string(c)), json, 1, false}};
  obs.before_publish(envelope(key), c, msgs);
  const auto not_before = msgs.front().not_before;
  for (auto& m : msgs) {
    pub.publish(std::move(m));
  }
  return not_before;
}

const mqtt::OutgoingMessage* last_on(const test::RecordingPublisher& pub, const std::string& topic) {
  const mqtt::OutgoingMessage* found = nullptr;
  for (const auto& m : pub.messages) {
    found = m.topic == topic ? &m : found;
  }
  return found;
}
} // namespace

TEST_CASE("the first events of new entities are held for the settle time; later ones are not") {
  config::Config cfg; // images: split -> entities read the event topic itself
  test::RecordingPublisher pub;
  app::HaObserver obs(cfg, pub, nullptr);
  obs.on_camera_seen(record("gate"));
  const auto before = Clock::now();
  const auto a = pipeline_event(obs, pub, "gate", model::Category::lpr, R"({"plateNumber": "A"})");
  const auto b = pipeline_event(obs, pub, "gate", model::Category::lpr, R"({"plateNumber": "B"})");
  CHECK(count_prefix(pub, "homeassistant/") > 5);
  // Configs go out before the event, and are not held.
  CHECK(pub.messages.front().topic.rfind("homeassistant/", 0) == 0);
  CHECK(pub.messages.front().not_before == Clock::time_point{});
  CHECK(a >= before + app::HaObserver::k_settle);
  CHECK(b == a); // same release time: order kept by the publisher's queue
  CHECK(obs.holds() == 1);
  CHECK(count_prefix(pub, "cam2mqtt/gate/lpr/ha") == 0); // no copy: one message per event
  obs.tick(Clock::now());
  CHECK(obs.holds() == 1);
  // Just after the end the hold is kept a little: later events still queue behind the held ones.
  obs.tick(Clock::now() + app::HaObserver::k_settle);
  CHECK(obs.holds() == 1);
  CHECK(pipeline_event(obs, pub, "gate", model::Category::lpr, "{}") == a);
  obs.tick(Clock::now() + app::HaObserver::k_settle + app::HaObserver::k_release_margin);
  CHECK(obs.holds() == 0);
  CHECK(pipeline_event(obs, pub, "gate", model::Category::lpr, "{}") == Clock::time_point{});
  // Alarm entities read retained states, not events: nothing to hold.
  CHECK(pipeline_event(obs, pub, "gate", model::Category::alarm, R"({"active": true})") == Clock::time_point{});
}

TEST_CASE("in images mode base64 the feed copy is held and the event goes out at once") {
  config::Config cfg;
  cfg.images = model::ImageMode::base64;
  test::RecordingPublisher pub;
  app::HaObserver obs(cfg, pub, nullptr);
  obs.on_camera_seen(record("gate"));
  CHECK(pipeline_event(obs, pub, "gate", model::Category::lpr, R"({"plateNumber": "A", "sourceImage": "eHg="})") ==
        Clock::time_point{});
  const auto* feed = last_on(pub, "cam2mqtt/gate/lpr/ha");
  REQUIRE(feed != nullptr);
  CHECK(feed->payload == R"({"plateNumber":"A"})");
  CHECK(!feed->retain);
  CHECK(feed->not_before > Clock::now());
}

TEST_CASE("entities whose configs the broker already holds unchanged are not held") {
  config::Config cfg;
  test::RecordingPublisher earlier_pub;
  {
    app::HaObserver earlier(cfg, earlier_pub, nullptr);
    earlier.on_camera_seen(record("gate"));
    pipeline_event(earlier, earlier_pub, "gate", model::Category::lpr, "{}");
  }
  test::RecordingPublisher pub;
  app::HaObserver obs(cfg, pub, nullptr);
  for (const auto& m : earlier_pub.messages) { // the retained configs come back on subscribe
    if (m.retain && m.topic.rfind("homeassistant/", 0) == 0) {
      obs.on_mqtt_message(m.topic, m.payload);
    }
  }
  obs.on_camera_seen(record("gate"));
  CHECK(pipeline_event(obs, pub, "gate", model::Category::lpr, R"({"plateNumber": "A"})") == Clock::time_point{});
  CHECK(obs.holds() == 0);
  // A category the broker has no configs for is still held.
  CHECK(pipeline_event(obs, pub, "gate", model::Category::face, "{}") > Clock::now());
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
