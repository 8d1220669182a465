#pragma once
// What Home Assistant gets for each camera: the device block and the entity catalogue per event
// category (docs/home-assistant.md has the table). Plain values; discovery.h turns them into
// discovery payloads. Every template here stays inside the small Jinja subset that
// tests/unit/ha/template_eval.h evaluates: `{{ value_json.a.b }}`, filters `default(x[, true])`
// and `tojson`, and `'A' if <path> [== 'lit'] else 'B'`.
#include <optional>
#include <string>
#include <vector>

#include "model/category.h"
#include "model/device_record.h"
#include "model/event.h"
#include "model/image_mode.h"

namespace cam2mqtt::ha {

inline constexpr const char* k_support_url = "https://github.com/cam2mqtt/cam2mqtt";

struct Settings {
  std::string discovery_prefix = "homeassistant";
  std::string topic_prefix = "cam2mqtt";
  int off_delay_s = 30;
  model::ImageMode images = model::ImageMode::split;
  std::string sw_version;
};

struct DeviceSpec {
  std::vector<std::string> identifiers; // hardware id (when known) first, then the key id
  std::string name;
  std::string manufacturer;
  std::string model;
  std::string serial;
  std::string configuration_url;
  std::string mac;        // connections [["mac", ...]]; never set for NVR channels
  std::string via_device; // the NVR's id for a channel
  bool operator==(const DeviceSpec&) const = default;
};

struct EntitySpec {
  std::string component; // binary_sensor | sensor | image | event
  std::string key;       // object_id, unique within the camera
  std::string name;      // never repeats the device name
  std::string icon;
  std::string device_class;
  std::string state_class;
  std::string entity_category;
  std::string state_topic;
  std::string value_template;
  std::string json_attributes_topic;
  std::string json_attributes_template;
  std::string payload_on;
  std::string payload_off;
  std::optional<int> off_delay;
  std::vector<std::string> event_types;
  std::string image_topic; // raw JPEG, retained
  bool bridge_only_availability = false; // the connectivity sensor must see "offline"
};

// Topics the daemon publishes for Home Assistant besides the event topics.
// The topic entities read events from: the event topic P/C/<category> itself, except in images
// mode base64, where P/C/<category>/ha carries a copy without the base64 images (entities never
// read them, and HA would parse megabytes per event). Not retained.
// Whether the category's entities read its events (from feed_topic()), rather than retained
// states the daemon keeps (alarm states, counting totals) or nothing (traject).
bool reads_events(model::Category c);
std::string feed_topic(const Settings& s, const std::string& camera_key, model::Category c);
// P/C/alarm/<alarmName>_<alarmId>/state: the last alarm event of that alarm, retained.
std::string alarm_state_topic(const Settings& s, const std::string& camera_key, const std::string& alarm_name,
                              const std::string& alarm_id);
// P/C/counting/totals: {"<target type>": n, ..., "total": n}, retained.
std::string counting_totals_topic(const Settings& s, const std::string& camera_key);
// Key of a target type in the totals JSON and in the entity key ("person", "car", "unknown").
std::string counting_key(const std::string& target_type);

DeviceSpec camera_device(const model::DeviceRecord& rec);
// The NVR device a channel is linked to with via_device; nullopt for a plain camera.
std::optional<DeviceSpec> nvr_device(const model::DeviceRecord& rec);
// The NVR device's own entity (HA drops a device without entities): its IP address, announced
// under the node of nvr_node_key() (discovery_message() takes it as the "camera key").
EntitySpec nvr_entity(const Settings& s, const model::DeviceRecord& rec);
std::string nvr_node_key(const model::DeviceRecord& rec);

EntitySpec connectivity_entity(const Settings& s, const std::string& camera_key);
// Entities announced the first time a camera sends `c` (none for traject).
std::vector<EntitySpec> category_entities(const Settings& s, const std::string& camera_key, model::Category c);
EntitySpec alarm_entity(const Settings& s, const std::string& camera_key, const model::Event& ev);
EntitySpec counting_entity(const Settings& s, const std::string& camera_key, const std::string& count_key);

} // namespace cam2mqtt::ha
