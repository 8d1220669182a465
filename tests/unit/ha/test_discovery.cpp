// Discovery payloads for every category, checked against the documented example payloads
// (docs/examples/*.json are verbatim encoder output).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "discovery_checks.h"
#include "ha/discovery.h"
#include "ha/discovery_state.h"
#include "model/category.h"

using namespace cam2mqtt;
using nlohmann::json;

namespace {
std::string example(const std::string& name) {
  std::ifstream in(std::filesystem::path(CAM2MQTT_SOURCE_DIR) / "docs" / "examples" / (name + ".json"));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The record and event the pipeline would have for an example payload.
std::pair<model::DeviceRecord, model::Event> from_payload(const json& p) {
  model::DeviceRecord rec;
  rec.cameraKey = p["cameraKey"];
  rec.name = p["cameraName"];
  rec.peerIp = p["peerIp"];
  rec.identity.ip = p["cameraIp"];
  rec.identity.mac = p["cameraMac"];
  rec.identity.channelId = p["channelId"];
  rec.identity.serial = p.value("serialNumber", "");
  model::Event ev;
  ev.category = *model::category_from_string(p["category"].get<std::string>());
  ev.subtype = p["subtype"];
  ev.alarmName = p.value("alarmName", "");
  ev.alarmId = p.value("alarmId", "");
  ev.relatedCategory = p.value("relatedCategory", "");
  if (p.contains("targets")) {
    for (const auto& t : p["targets"]) {
      model::Target target;
      target.type = t["type"];
      ev.targets.push_back(target);
    }
  }
  return {rec, ev};
}
} // namespace

TEST_CASE("every category's configs pass the discovery checks and their templates render against the example") {
  const std::vector<std::pair<std::string, std::size_t>> cases{
      {"lpr", 8}, {"intrusion", 8}, {"face", 4}, {"counting", 2}, {"metadata", 1},
      {"other", 1}, {"alarm", 1},   {"motion", 1}, {"io", 1},     {"tamper", 1}};
  for (const auto& [name, new_entities] : cases) {
    SECTION(name) {
      const auto text = example(name);
      const auto payload = json::parse(text);
      auto [rec, ev] = from_payload(payload);
      ha::DiscoveryState state(ha::Settings{"homeassistant", "cam2mqtt", 30, model::ImageMode::split, "1.2.3"});
      const auto out = state.on_event(rec, ev, text);
      CHECK(out.new_entities);
      // Split mode: entities read the event topic itself, or retained states the daemon keeps.
      const auto event_topic = "cam2mqtt/" + rec.cameraKey + "/" + name;
      std::set<std::string> uids;
      std::size_t category_entities = 0;
      for (const auto& m : out.discovery) {
        CHECK(m.retain);
        const auto cfg = json::parse(m.payload);
        testing::check_discovery_config(m.topic, cfg);
        CHECK(uids.insert(cfg["unique_id"].get<std::string>()).second);
        const auto object = m.topic.substr(0, m.topic.rfind('/'));
        const auto key = object.substr(object.rfind('/') + 1);
        if (key == "connectivity" || key == "ip_address") {
          continue;
        }
        ++category_entities;
        if (cfg.contains("image_topic")) {
          const auto which = cfg["image_topic"].get<std::string>().substr(cfg["image_topic"].get<std::string>().rfind('/') + 1);
          CHECK(payload["images"][which]["topic"] == cfg["image_topic"]);
          continue;
        }
        bool rendered = false;
        if (cfg["state_topic"] == event_topic) {
          testing::check_templates(cfg, payload);
          rendered = true;
        }
        for (const auto& s : out.states) {
          if (s.topic == cfg["state_topic"]) {
            testing::check_templates(cfg, json::parse(s.payload));
            rendered = true;
          }
        }
        CHECK(rendered);
      }
      CHECK(category_entities == new_entities);
      // A second event of the category announces nothing new.
      const auto again = state.on_event(rec, ev, text);
      CHECK(again.discovery.empty());
      CHECK(!again.new_entities);
    }
  }
}

TEST_CASE("binary sensors fire only for their own sub type; alarms follow active") {
  ha::Settings s;
  for (const auto& e : ha::category_entities(s, "cam", model::Category::intrusion)) {
    if (e.component != "binary_sensor") {
      continue;
    }
    INFO(e.key);
    CHECK(e.off_delay == 30);
    const auto mine = json{{"subtype", e.value_template.substr(e.value_template.find("== '") + 4,
                                                              e.value_template.find("' else") - e.value_template.find("== '") - 4)}};
    CHECK(testing::TemplateEval::render(e.value_template, mine) == "ON");
    CHECK(testing::TemplateEval::render(e.value_template, json{{"subtype", "other"}}).empty());
  }
  model::Event ev;
  ev.category = model::Category::alarm;
  ev.alarmName = "perimeterAlarm";
  ev.alarmId = "1";
  const auto alarm = ha::alarm_entity(s, "cam", ev);
  CHECK(alarm.key == "alarm_perimeter_alarm_1");
  CHECK(alarm.name == "Perimeter alarm 1");
  CHECK(alarm.state_topic == "cam2mqtt/cam/alarm/perimeterAlarm_1/state");
  CHECK(testing::TemplateEval::render(alarm.value_template, json{{"active", true}}) == "ON");
  CHECK(testing::TemplateEval::render(alarm.value_template, json{{"active", false}}) == "OFF");
}

TEST_CASE("a plain camera is its own device; an NVR channel links to the NVR") {
  model::DeviceRecord cam;
  cam.cameraKey = "driveway";
  cam.name = "Driveway";
  cam.peerIp = "192.168.1.10";
  cam.identity.mac = "58:5b:69:5a:84:bb";
  cam.identity.serial = "SN1";
  const auto d = ha::camera_device(cam);
  CHECK(d.identifiers == std::vector<std::string>{"cam2mqtt_vt_585b695a84bb", "cam2mqtt_driveway"});
  CHECK(d.mac == "58:5b:69:5a:84:bb");
  CHECK(d.serial == "SN1");
  CHECK(d.configuration_url == "http://192.168.1.10/");
  CHECK(d.via_device.empty());
  CHECK(!ha::nvr_device(cam));

  model::DeviceRecord ch;
  ch.cameraKey = "192.168.0.60-ch2";
  ch.name = "Parking Entrance";
  ch.peerIp = "192.168.1.10";
  ch.identity.ip = "192.168.0.60";
  ch.identity.mac = "00:18:ae:12:34:56";
  ch.identity.channelId = "2";
  const auto cd = ha::camera_device(ch);
  CHECK(cd.identifiers.front() == "cam2mqtt_vt_0018ae123456_ch2");
  CHECK(cd.mac.empty()); // the NVR's MAC would merge every channel into one device
  CHECK(cd.via_device == "cam2mqtt_vt_0018ae123456");
  CHECK(cd.configuration_url == "http://192.168.0.60/");
  const auto nvr = ha::nvr_device(ch);
  REQUIRE(nvr);
  CHECK(nvr->identifiers == std::vector<std::string>{"cam2mqtt_vt_0018ae123456"});
  CHECK(nvr->mac == "00:18:ae:12:34:56");
  CHECK(nvr->manufacturer == "Viewtron");
}

TEST_CASE("HA device: a source's manufacturer and model, Viewtron when the record names none") {
  model::DeviceRecord cam;
  cam.cameraKey = "gate";
  CHECK(ha::camera_device(cam).manufacturer == "Viewtron");
  CHECK(ha::camera_device(cam).model == "IP camera");
  cam.identity.manufacturer = "Hikvision";
  cam.identity.model = "DS-2CD2185FWD-I";
  CHECK(ha::camera_device(cam).manufacturer == "Hikvision");
  CHECK(ha::camera_device(cam).model == "DS-2CD2185FWD-I");
  cam.identity.channelId = "3";
  REQUIRE(ha::nvr_device(cam));
  CHECK(ha::nvr_device(cam)->manufacturer == "Hikvision");
}

TEST_CASE("no image entities unless images go to their own topics") {
  for (auto mode : {model::ImageMode::base64, model::ImageMode::none}) {
    ha::Settings s;
    s.images = mode;
    for (auto c : {model::Category::lpr, model::Category::face, model::Category::intrusion}) {
      for (const auto& e : ha::category_entities(s, "cam", c)) {
        CHECK(e.component != "image");
      }
    }
  }
}

TEST_CASE("the discovery topic carries component, node and entity key") {
  ha::Settings s;
  s.discovery_prefix = "ha/disc";
  const auto e = ha::connectivity_entity(s, "192.168.1.10");
  CHECK(ha::discovery_topic(s, "192.168.1.10", e) == "ha/disc/binary_sensor/cam2mqtt_192_168_1_10/connectivity/config");
  CHECK(ha::removal_message("t").payload.empty());
  CHECK(ha::removal_message("t").retain);
}
