#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ha/discovery_state.h"

using namespace cam2mqtt;
using nlohmann::json;

namespace {
model::DeviceRecord camera(const std::string& key) {
  model::DeviceRecord rec;
  rec.cameraKey = key;
  rec.name = "Gate";
  rec.peerIp = "192.168.1.20";
  return rec;
}

model::Event counting(const std::string& type) {
  model::Event ev;
  ev.category = model::Category::counting;
  model::Target t;
  t.type = type;
  ev.targets.push_back(t);
  return ev;
}

bool has_topic(const std::vector<ha::Message>& ms, const std::string& topic) {
  for (const auto& m : ms) {
    if (m.topic == topic) {
      return true;
    }
  }
  return false;
}
} // namespace

TEST_CASE("a camera seen first announces its device with the connectivity sensor, once") {
  ha::DiscoveryState state{ha::Settings{}};
  const auto first = state.on_camera_seen(camera("gate"));
  REQUIRE(first.size() == 1);
  CHECK(first[0].topic == "homeassistant/binary_sensor/cam2mqtt_gate/connectivity/config");
  const auto cfg = json::parse(first[0].payload);
  CHECK(cfg["state_topic"] == "cam2mqtt/gate/availability");
  CHECK(cfg["availability"].size() == 1);
  CHECK(state.on_camera_seen(camera("gate")).empty());
  CHECK(state.knows("gate"));
}

TEST_CASE("a changed device block (MAC learnt) re-announces every entity of the camera") {
  ha::DiscoveryState state{ha::Settings{}};
  auto rec = camera("gate");
  model::Event ev;
  ev.category = model::Category::motion;
  state.on_event(rec, ev, "{}");
  rec.identity.mac = "58:5b:69:5a:84:bb";
  const auto again = state.on_camera_seen(rec);
  CHECK(again.size() == 2); // connectivity and motion
  for (const auto& m : again) {
    CHECK(json::parse(m.payload)["device"]["identifiers"][0] == "cam2mqtt_vt_585b695a84bb");
  }
}

TEST_CASE("a new name or peer address re-announces; a new lastSeen alone does not") {
  ha::DiscoveryState state{ha::Settings{}};
  auto rec = camera("gate");
  REQUIRE(state.on_camera_seen(rec).size() == 1);
  rec.lastSeen = util::SysMicros{std::chrono::microseconds{1732300000000000}};
  CHECK(state.on_camera_seen(rec).empty());
  rec.name = "Gate North";
  auto renamed = state.on_camera_seen(rec);
  REQUIRE(renamed.size() == 1);
  CHECK(json::parse(renamed[0].payload)["device"]["name"] == "Gate North");
  CHECK(state.on_camera_seen(rec).empty());
  rec.peerIp = "192.168.1.21";
  auto moved = state.on_camera_seen(rec);
  REQUIRE(moved.size() == 1);
  CHECK(json::parse(moved[0].payload)["device"]["configuration_url"] == "http://192.168.1.21/");
  rec.identity.model = "TI-M4";
  auto remodelled = state.on_camera_seen(rec);
  REQUIRE(remodelled.size() == 1);
  CHECK(json::parse(remodelled[0].payload)["device"]["model"] == "TI-M4");
}

TEST_CASE("the daemon counts counting events per target type in a retained totals message") {
  ha::DiscoveryState state{ha::Settings{}};
  const auto rec = camera("door");
  auto out = state.on_event(rec, counting("person"), "{}");
  CHECK(out.new_entities);
  CHECK(out.discovery.size() == 3); // connectivity, total, person
  REQUIRE(out.states.size() == 1);
  CHECK(out.states[0].topic == "cam2mqtt/door/counting/totals");
  CHECK(out.states[0].retain);
  CHECK(json::parse(out.states[0].payload) == json{{"person", 1}, {"total", 1}});
  out = state.on_event(rec, counting("person"), "{}");
  CHECK(out.discovery.empty());
  out = state.on_event(rec, counting("car"), "{}");
  CHECK(out.discovery.size() == 1);
  CHECK(json::parse(out.discovery[0].payload)["name"] == "Car count");
  CHECK(json::parse(out.discovery[0].payload)["state_class"] == "total_increasing");
  CHECK(json::parse(out.states[0].payload) == json{{"person", 2}, {"car", 1}, {"total", 3}});
  state.on_event(rec, counting(""), "{}");
  CHECK(state.count("door", "unknown") == 1);
  CHECK(state.count("door", "total") == 4);
  CHECK(ha::counting_key("1") == "type_1");
  CHECK(ha::counting_key("total") == "type_total");
}

TEST_CASE("alarms get one binary sensor per name and id, with retained states") {
  ha::DiscoveryState state{ha::Settings{}};
  const auto rec = camera("door");
  model::Event ev;
  ev.category = model::Category::alarm;
  ev.alarmName = "perimeterAlarm";
  ev.alarmId = "1";
  auto out = state.on_event(rec, ev, R"({"active": true})");
  CHECK(has_topic(out.discovery, "homeassistant/binary_sensor/cam2mqtt_door/alarm_perimeter_alarm_1/config"));
  REQUIRE(out.states.size() == 1);
  CHECK(out.states[0].retain);
  ev.alarmId = "2";
  out = state.on_event(rec, ev, R"({"active": true})");
  CHECK(out.discovery.size() == 1);
  ev.alarmId = "1";
  out = state.on_event(rec, ev, R"({"active": false})");
  CHECK(out.discovery.empty());
  const auto all = state.republish_all();
  CHECK(has_topic(all, "cam2mqtt/door/alarm/perimeterAlarm_1/state"));
  CHECK(has_topic(all, "cam2mqtt/door/alarm/perimeterAlarm_2/state"));
}

TEST_CASE("feed messages are not retained and carry no base64 images") {
  ha::Settings s;
  s.images = model::ImageMode::base64;
  ha::DiscoveryState state{s};
  model::Event ev;
  ev.category = model::Category::lpr;
  const auto out = state.on_event(camera("gate"), ev, R"({"plateNumber": "AB1", "sourceImage": "xx", "targetImage": "yy"})");
  REQUIRE(out.states.size() == 1);
  CHECK(out.states[0].topic == "cam2mqtt/gate/lpr/ha");
  CHECK(!out.states[0].retain);
  CHECK(json::parse(out.states[0].payload) == json{{"plateNumber", "AB1"}});
}

TEST_CASE("republish_all repeats every config and retained state") {
  ha::DiscoveryState state{ha::Settings{}};
  model::Event ev;
  ev.category = model::Category::intrusion;
  const auto first = state.on_event(camera("gate"), ev, "{}");
  state.on_event(camera("door"), counting("car"), "{}");
  const auto all = state.republish_all();
  for (const auto& m : first.discovery) {
    CHECK(has_topic(all, m.topic));
  }
  CHECK(has_topic(all, "cam2mqtt/door/counting/totals"));
}

TEST_CASE("removing a camera clears its configs, from this run and from the broker, and its retained states") {
  ha::DiscoveryState state{ha::Settings{}};
  model::Event ev;
  ev.category = model::Category::face;
  const auto out = state.on_event(camera("gate"), ev, "{}");
  // An alarm config left by an earlier run, and another integration's config.
  state.on_broker_config("homeassistant/binary_sensor/cam2mqtt_gate/alarm_x_1/config",
                         R"({"state_topic": "cam2mqtt/gate/alarm/x_1/state"})");
  state.on_broker_config("homeassistant/sensor/zigbee_0x1/temp/config", R"({"state_topic": "z/1"})");
  const auto removed = state.remove_camera("gate");
  for (const auto& m : out.discovery) {
    CHECK(has_topic(removed, m.topic));
  }
  CHECK(has_topic(removed, "homeassistant/binary_sensor/cam2mqtt_gate/alarm_x_1/config"));
  CHECK(has_topic(removed, "cam2mqtt/gate/alarm/x_1/state"));
  CHECK(has_topic(removed, "cam2mqtt/gate/availability"));
  CHECK(has_topic(removed, "cam2mqtt/gate/device"));
  CHECK(has_topic(removed, "cam2mqtt/gate/lpr/image/source"));
  CHECK(!has_topic(removed, "homeassistant/sensor/zigbee_0x1/temp/config"));
  for (const auto& m : removed) {
    CHECK(m.payload.empty());
    CHECK(m.retain);
  }
  CHECK(!state.knows("gate"));
  CHECK(state.republish_all().empty());
}

TEST_CASE("counting goes on from the totals an earlier run left on the broker") {
  ha::DiscoveryState state{ha::Settings{}};
  state.seed_counts("door", R"({"person": 5, "car": 2, "total": 7})");
  state.seed_counts("other", "not json");
  const auto out = state.on_event(camera("door"), counting("car"), "{}");
  CHECK(json::parse(out.states[0].payload) == json{{"person", 5}, {"car", 3}, {"total", 8}});
  bool person = false;
  for (const auto& m : out.discovery) {
    person = person || m.topic == "homeassistant/sensor/cam2mqtt_door/count_person/config";
  }
  CHECK(person); // every seeded counter is announced again in this run
  // Our own totals coming back are no seed.
  state.seed_counts("door", R"({"car": 1, "total": 1})");
  state.on_event(camera("door"), counting("car"), "{}");
  CHECK(state.count("door", "car") == 4);
}
