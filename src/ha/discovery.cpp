#include "ha/discovery.h"

#include <nlohmann/json.hpp>

#include "encode/topics.h"
#include "ha/ids.h"

namespace cam2mqtt::ha {

namespace {
using nlohmann::json;

void put(json& j, const char* key, const std::string& value) {
  if (!value.empty()) {
    j[key] = value;
  }
}

json device_json(const DeviceSpec& d) {
  json j;
  j["identifiers"] = d.identifiers;
  put(j, "name", d.name);
  put(j, "manufacturer", d.manufacturer);
  put(j, "model", d.model);
  put(j, "serial_number", d.serial);
  put(j, "configuration_url", d.configuration_url);
  if (!d.mac.empty()) {
    j["connections"] = json::array({json::array({"mac", d.mac})});
  }
  put(j, "via_device", d.via_device);
  return j;
}
} // namespace

std::string discovery_topic(const Settings& s, const std::string& camera_key, const EntitySpec& e) {
  return s.discovery_prefix + "/" + e.component + "/" + node_id(camera_key) + "/" + e.key + "/config";
}

Message discovery_message(const Settings& s, const std::string& camera_key, const DeviceSpec& d,
                          const EntitySpec& e) {
  json j;
  j["name"] = e.name;
  j["unique_id"] = unique_id(camera_key, e.key);
  put(j, "icon", e.icon);
  put(j, "device_class", e.device_class);
  put(j, "state_class", e.state_class);
  put(j, "entity_category", e.entity_category);
  put(j, "state_topic", e.state_topic);
  put(j, "value_template", e.value_template);
  put(j, "json_attributes_topic", e.json_attributes_topic);
  put(j, "json_attributes_template", e.json_attributes_template);
  put(j, "payload_on", e.payload_on);
  put(j, "payload_off", e.payload_off);
  if (e.off_delay) {
    j["off_delay"] = *e.off_delay;
  }
  if (!e.event_types.empty()) {
    j["event_types"] = e.event_types;
  }
  if (!e.image_topic.empty()) {
    j["image_topic"] = e.image_topic;
    j["content_type"] = "image/jpeg";
  }
  if (e.component != "image") {
    j["qos"] = 1; // images are large; the default QoS 0 is enough for the last picture
  }
  json avail = json::array({json{{"topic", encode::bridge_state_topic(s.topic_prefix)}}});
  if (!e.bridge_only_availability) {
    avail.push_back(json{{"topic", encode::camera_topic(s.topic_prefix, camera_key, "availability")}});
  }
  j["availability"] = std::move(avail);
  j["availability_mode"] = "all";
  j["device"] = device_json(d);
  j["origin"] = json{{"name", "cam2mqtt"}, {"sw_version", s.sw_version}, {"support_url", k_support_url}};
  return Message{discovery_topic(s, camera_key, e), j.dump(), true};
}

Message removal_message(const std::string& topic) {
  return Message{topic, "", true};
}

} // namespace cam2mqtt::ha
