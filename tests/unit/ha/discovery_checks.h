#pragma once
// Checks every discovery config must pass (reference home-assistant-mqtt.md §2-§8), shared by the
// unit tests and the integration test that reads the configs back from a real broker.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "template_eval.h"

namespace cam2mqtt::testing {

inline void check_discovery_config(const std::string& topic, const nlohmann::json& cfg,
                                   const std::string& discovery_prefix = "homeassistant",
                                   const std::string& topic_prefix = "cam2mqtt") {
  INFO(topic << " " << cfg.dump());
  static const std::regex k_id("[a-zA-Z0-9_-]+");
  const std::regex k_topic(discovery_prefix + "/(binary_sensor|sensor|image|event)/([a-zA-Z0-9_-]+)/([a-zA-Z0-9_-]+)/config");
  std::smatch m;
  REQUIRE(std::regex_match(topic, m, k_topic));
  const std::string node = m[2];
  const std::string object = m[3];
  CHECK(node.rfind("cam2mqtt_", 0) == 0);
  REQUIRE(cfg.is_object());
  const auto uid = cfg.at("unique_id").get<std::string>();
  CHECK(std::regex_match(uid, k_id));
  CHECK(uid == node + "_" + object);

  const auto& dev = cfg.at("device");
  REQUIRE(dev.at("identifiers").is_array());
  REQUIRE(!dev.at("identifiers").empty());
  for (const auto& id : dev.at("identifiers")) {
    CHECK(std::regex_match(id.get<std::string>(), k_id));
  }
  const auto dev_name = dev.at("name").get<std::string>();
  CHECK(!dev_name.empty());
  CHECK(!dev.at("manufacturer").get<std::string>().empty());
  CHECK(!dev.at("model").get<std::string>().empty());
  CHECK(dev.at("configuration_url").get<std::string>().rfind("http://", 0) == 0);
  if (dev.contains("via_device")) {
    for (const auto& id : dev.at("identifiers")) {
      CHECK(id != dev.at("via_device")); // never its own via device
    }
  }

  const auto name = cfg.at("name").get<std::string>();
  CHECK(!name.empty());
  CHECK(name.rfind(dev_name, 0) != 0); // HA prefixes the device name itself

  const auto& origin = cfg.at("origin");
  CHECK(origin.at("name") == "cam2mqtt");
  CHECK(!origin.at("sw_version").get<std::string>().empty());
  CHECK(!origin.at("support_url").get<std::string>().empty());

  CHECK(cfg.at("availability_mode") == "all");
  const auto& avail = cfg.at("availability");
  REQUIRE(avail.is_array());
  REQUIRE(!avail.empty());
  CHECK(avail[0].at("topic") == topic_prefix + "/bridge/state");
  const bool bridge_only = object == "connectivity" || object == "ip_address";
  if (bridge_only) {
    CHECK(avail.size() == 1);
  } else {
    REQUIRE(avail.size() == 2);
    const auto cam_avail = avail[1].at("topic").get<std::string>();
    CHECK(cam_avail.rfind(topic_prefix + "/", 0) == 0);
    CHECK(cam_avail.size() > 13);
    CHECK(cam_avail.substr(cam_avail.size() - 13) == "/availability");
  }
  const auto component = topic.substr(discovery_prefix.size() + 1, topic.find('/', discovery_prefix.size() + 1) -
                                                                       discovery_prefix.size() - 1);
  if (component == "image") {
    CHECK(cfg.at("image_topic").get<std::string>().rfind(topic_prefix + "/", 0) == 0);
    CHECK(cfg.at("content_type") == "image/jpeg");
  } else {
    CHECK(cfg.at("state_topic").get<std::string>().rfind(topic_prefix + "/", 0) == 0);
  }
  if (component == "event") {
    CHECK(!cfg.at("event_types").empty());
  }
}

// Renders the entity's templates against a payload published on its state topic and checks the
// result is something HA accepts for the platform.
inline void check_templates(const nlohmann::json& cfg, const nlohmann::json& payload) {
  INFO(cfg.dump() << "\nagainst " << payload.dump());
  const auto component = cfg.contains("event_types") ? std::string("event")
                         : cfg.contains("image_topic") ? std::string("image")
                         : cfg.contains("off_delay") || cfg.contains("payload_on") ||
                                   cfg.value("value_template", "").find("'ON'") != std::string::npos
                             ? std::string("binary_sensor")
                             : std::string("sensor");
  if (cfg.contains("value_template")) {
    const auto out = TemplateEval::render(cfg["value_template"].get<std::string>(), payload);
    if (component == "event") {
      const auto ev = nlohmann::json::parse(out);
      const auto type = ev.at("event_type").get<std::string>();
      bool listed = false;
      for (const auto& t : cfg["event_types"]) {
        listed = listed || t == type;
      }
      CHECK(listed);
    } else if (component == "binary_sensor") {
      CHECK((out == "ON" || out == "OFF" || out.empty()));
    } else {
      CHECK(out.size() <= 255);
      CHECK(out.find('{') == std::string::npos);
    }
  }
  if (cfg.contains("json_attributes_template")) {
    const auto attrs = nlohmann::json::parse(TemplateEval::render(cfg["json_attributes_template"].get<std::string>(), payload));
    CHECK(attrs.is_object());
  }
}

} // namespace cam2mqtt::testing
