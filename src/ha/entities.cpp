#include "ha/entities.h"

#include <cctype>

#include "encode/topics.h"
#include "ha/ids.h"

namespace cam2mqtt::ha {

namespace {
using model::Category;

std::string availability_of(const Settings& s, const std::string& key) {
  return encode::camera_topic(s.topic_prefix, key, "availability");
}

EntitySpec make(std::string component, std::string key, std::string name, std::string icon = "") {
  EntitySpec e;
  e.component = std::move(component);
  e.key = std::move(key);
  e.name = std::move(name);
  e.icon = std::move(icon);
  return e;
}

// A binary sensor that turns on for every event of the feed whose `field` equals `value`, and off
// again after homeassistant.off_delay (Viewtron smart events have no end).
EntitySpec pulse_sensor(const Settings& s, const std::string& key, Category c, std::string entity_key,
                        std::string name, std::string device_class, const std::string& field,
                        const std::string& value) {
  auto e = make("binary_sensor", std::move(entity_key), std::move(name));
  e.device_class = std::move(device_class);
  e.state_topic = feed_topic(s, key, c);
  e.value_template = "{{ 'ON' if value_json." + field + " == '" + value + "' else '' }}";
  e.off_delay = s.off_delay_s;
  return e;
}

EntitySpec image_entity(const Settings& s, const std::string& key, Category c, const char* which,
                        std::string entity_key, std::string name, std::string icon) {
  auto e = make("image", std::move(entity_key), std::move(name), std::move(icon));
  e.image_topic = encode::image_topic(s.topic_prefix, key, c, which);
  return e;
}

struct IntrusionKind {
  const char* subtype;
  const char* name;
};
constexpr IntrusionKind k_intrusion[] = {
    {"regionIntrusion", "Region intrusion"}, {"lineCrossing", "Line crossing"}, {"regionEntry", "Region entry"},
    {"regionExit", "Region exit"},           {"loitering", "Loitering"},         {"illegalParking", "Illegal parking"},
};
constexpr const char* k_intrusion_event_types[] = {"regionIntrusion", "lineCrossing", "regionEntry",
                                                   "regionExit",      "loitering",    "illegalParking",
                                                   "fastMoving",      "tailgating",   "dwelling"};

std::vector<EntitySpec> lpr_entities(const Settings& s, const std::string& key) {
  const auto feed = feed_topic(s, key, Category::lpr);
  std::vector<EntitySpec> out;
  auto plate = make("sensor", "plate", "Plate", "mdi:car");
  plate.state_topic = feed;
  plate.value_template = "{{ value_json.plateNumber }}";
  plate.json_attributes_topic = feed;
  plate.json_attributes_template =
      "{\"plate_group\": {{ value_json.plateGroup | tojson }}, \"plate_color\": {{ value_json.plateColor | tojson }}, "
      "\"car_owner\": {{ value_json.carOwner | tojson }}, "
      "\"confidence\": {{ value_json.confidence | default(none) | tojson }}, "
      "\"direction\": {{ value_json.direction | default('') | tojson }}, "
      "\"vehicle_type\": {{ value_json.vehicle.type | default('') | tojson }}, "
      "\"vehicle_color\": {{ value_json.vehicle.color | default('') | tojson }}, "
      "\"vehicle_brand\": {{ value_json.vehicle.brand | default('') | tojson }}, "
      "\"vehicle_model\": {{ value_json.vehicle.model | default('') | tojson }}, "
      "\"event_time\": {{ value_json.eventTime | tojson }}, \"event_id\": {{ value_json.id | tojson }}}";
  out.push_back(plate);

  auto group = make("sensor", "plate_group", "Plate group", "mdi:account-group");
  group.state_topic = feed;
  group.value_template = "{{ value_json.plateGroup | default('none', true) }}";
  out.push_back(group);

  const struct {
    const char* field;
    const char* key;
    const char* name;
    const char* icon;
  } vehicle[] = {{"type", "vehicle_type", "Vehicle type", "mdi:car-info"},
                 {"color", "vehicle_color", "Vehicle colour", "mdi:palette"},
                 {"brand", "vehicle_brand", "Vehicle brand", "mdi:car-side"}};
  for (const auto& v : vehicle) {
    auto e = make("sensor", v.key, v.name, v.icon);
    e.state_topic = feed;
    e.value_template = std::string("{{ value_json.vehicle.") + v.field + " | default('unknown', true) }}";
    out.push_back(e);
  }

  auto read = make("event", "plate_read", "Plate read", "mdi:car-arrow-right");
  read.state_topic = feed;
  read.event_types = {"known", "unknown"};
  read.value_template = "{\"event_type\": \"{{ 'known' if value_json.plateGroup else 'unknown' }}\", "
                        "\"plate\": {{ value_json.plateNumber | tojson }}, "
                        "\"group\": {{ value_json.plateGroup | tojson }}}";
  out.push_back(read);

  if (s.images == model::ImageMode::split) {
    out.push_back(image_entity(s, key, Category::lpr, "target", "plate_image", "Plate image", "mdi:card-text"));
    out.push_back(image_entity(s, key, Category::lpr, "source", "overview_image", "Overview image", "mdi:image"));
  }
  return out;
}

std::vector<EntitySpec> intrusion_entities(const Settings& s, const std::string& key) {
  std::vector<EntitySpec> out;
  for (const auto& k : k_intrusion) {
    out.push_back(pulse_sensor(s, key, Category::intrusion, snake_case(k.subtype), k.name, "motion", "subtype",
                               k.subtype));
  }
  auto ev = make("event", "intrusion_event", "Intrusion", "mdi:shield-alert");
  ev.device_class = "motion";
  ev.state_topic = feed_topic(s, key, Category::intrusion);
  ev.event_types.assign(std::begin(k_intrusion_event_types), std::end(k_intrusion_event_types));
  ev.value_template = "{\"event_type\": {{ value_json.subtype | tojson }}, "
                      "\"target_type\": {{ value_json.targetType | tojson }}, "
                      "\"status\": {{ value_json.status | default('') | tojson }}}";
  out.push_back(ev);
  if (s.images == model::ImageMode::split) {
    out.push_back(
        image_entity(s, key, Category::intrusion, "source", "intrusion_image", "Intrusion snapshot", "mdi:image"));
  }
  return out;
}

std::vector<EntitySpec> face_entities(const Settings& s, const std::string& key) {
  const auto feed = feed_topic(s, key, Category::face);
  std::vector<EntitySpec> out;
  auto face = pulse_sensor(s, key, Category::face, "face", "Face", "occupancy", "category", "face");
  face.json_attributes_topic = feed;
  face.json_attributes_template =
      "{\"subtype\": {{ value_json.subtype | tojson }}, \"age\": {{ value_json.face.age | default('') | tojson }}, "
      "\"sex\": {{ value_json.face.sex | default('') | tojson }}, "
      "\"glasses\": {{ value_json.face.glasses | default('') | tojson }}, "
      "\"mask\": {{ value_json.face.mask | default('') | tojson }}, "
      "\"target_id\": {{ value_json.targetId | tojson }}, \"event_time\": {{ value_json.eventTime | tojson }}}";
  out.push_back(face);
  auto ev = make("event", "face_event", "Face detected", "mdi:face-recognition");
  ev.state_topic = feed;
  ev.event_types = {"faceDetection", "faceMatch"};
  ev.value_template = "{\"event_type\": {{ value_json.subtype | tojson }}, "
                      "\"target_id\": {{ value_json.targetId | tojson }}}";
  out.push_back(ev);
  if (s.images == model::ImageMode::split) {
    out.push_back(image_entity(s, key, Category::face, "target", "face_image", "Face image", "mdi:face-man"));
    out.push_back(image_entity(s, key, Category::face, "source", "face_snapshot", "Face snapshot", "mdi:image"));
  }
  return out;
}

EntitySpec simple_event(const Settings& s, const std::string& key, Category c, std::string entity_key,
                        std::string name, std::string icon, std::vector<std::string> types, std::string tmpl) {
  auto ev = make("event", std::move(entity_key), std::move(name), std::move(icon));
  ev.state_topic = feed_topic(s, key, c);
  ev.event_types = std::move(types);
  ev.value_template = std::move(tmpl);
  return ev;
}
} // namespace

bool reads_events(Category c) {
  switch (c) {
  case Category::lpr:
  case Category::intrusion:
  case Category::face:
  case Category::metadata:
  case Category::other:
  case Category::motion:
  case Category::io:
  case Category::tamper:
    return true;
  case Category::counting:
  case Category::alarm:
  case Category::traject:
    return false;
  }
  return false;
}

std::string feed_topic(const Settings& s, const std::string& camera_key, model::Category c) {
  auto topic = encode::category_topic(s.topic_prefix, camera_key, c);
  return s.images == model::ImageMode::base64 ? topic + "/ha" : topic;
}

std::string alarm_state_topic(const Settings& s, const std::string& camera_key, const std::string& alarm_name,
                              const std::string& alarm_id) {
  return encode::category_topic(s.topic_prefix, camera_key, Category::alarm) + "/" + sanitize_id(alarm_name) +
         "_" + sanitize_id(alarm_id.empty() ? "0" : alarm_id) + "/state";
}

std::string counting_totals_topic(const Settings& s, const std::string& camera_key) {
  return encode::category_topic(s.topic_prefix, camera_key, Category::counting) + "/totals";
}

std::string counting_key(const std::string& target_type) {
  std::string k;
  for (char c : target_type) {
    const auto u = static_cast<unsigned char>(c);
    k.push_back(u < 0x80 && std::isalnum(u) != 0 ? static_cast<char>(std::tolower(u)) : '_');
  }
  if (k.empty()) {
    return "unknown";
  }
  if (std::isdigit(static_cast<unsigned char>(k[0])) != 0 || k == "total") {
    k = "type_" + k; // a bare `value_json.1` or a clash with the total is no good
  }
  return k;
}

namespace {
// Outbound sources name their maker on the device record; Viewtron posts do not, and Viewtron is
// what reaches the HTTP listener.
std::string manufacturer_of(const model::DeviceRecord& rec) {
  return rec.identity.manufacturer.empty() ? std::string("Viewtron") : rec.identity.manufacturer;
}
} // namespace

DeviceSpec camera_device(const model::DeviceRecord& rec) {
  DeviceSpec d;
  if (auto hw = hardware_device_id(rec); !hw.empty()) {
    d.identifiers.push_back(std::move(hw));
  }
  d.identifiers.push_back(key_device_id(rec.cameraKey));
  const bool channel = is_nvr_channel(rec);
  d.name = rec.name.empty() ? rec.cameraKey : rec.name;
  d.manufacturer = manufacturer_of(rec);
  d.model = !rec.identity.model.empty() ? rec.identity.model : (channel ? "NVR channel" : "IP camera");
  const auto& ip = rec.identity.ip.empty() ? rec.peerIp : rec.identity.ip;
  if (!ip.empty()) {
    d.configuration_url = "http://" + ip + "/";
  }
  if (channel) {
    d.via_device = nvr_device_id(rec);
  } else {
    d.serial = rec.identity.serial;
    d.mac = rec.identity.mac;
  }
  return d;
}

std::optional<DeviceSpec> nvr_device(const model::DeviceRecord& rec) {
  if (!is_nvr_channel(rec)) {
    return std::nullopt;
  }
  DeviceSpec d;
  d.identifiers.push_back(nvr_device_id(rec));
  const auto& ip = rec.identity.ip.empty() ? rec.peerIp : rec.identity.ip;
  d.name = "NVR " + ip;
  d.manufacturer = manufacturer_of(rec);
  d.model = "NVR";
  d.serial = rec.identity.serial;
  d.mac = rec.identity.mac;
  if (!ip.empty()) {
    d.configuration_url = "http://" + ip + "/";
  }
  return d;
}

EntitySpec nvr_entity(const Settings& s, const model::DeviceRecord& rec) {
  auto e = make("sensor", "ip_address", "IP address", "mdi:ip-network");
  e.entity_category = "diagnostic";
  e.state_topic = encode::camera_topic(s.topic_prefix, rec.cameraKey, "device");
  e.value_template = "{{ value_json.ip | default('', true) }}";
  e.bridge_only_availability = true;
  return e;
}

std::string nvr_node_key(const model::DeviceRecord& rec) {
  return nvr_device_id(rec).substr(std::string_view("cam2mqtt_").size());
}

EntitySpec connectivity_entity(const Settings& s, const std::string& camera_key) {
  auto e = make("binary_sensor", "connectivity", "Connection");
  e.device_class = "connectivity";
  e.entity_category = "diagnostic";
  e.state_topic = availability_of(s, camera_key);
  e.payload_on = "online";
  e.payload_off = "offline";
  e.bridge_only_availability = true;
  return e;
}

std::vector<EntitySpec> category_entities(const Settings& s, const std::string& key, model::Category c) {
  switch (c) {
  case Category::lpr:
    return lpr_entities(s, key);
  case Category::intrusion:
    return intrusion_entities(s, key);
  case Category::face:
    return face_entities(s, key);
  case Category::metadata:
    return {simple_event(s, key, c, "metadata_event", "Metadata", "mdi:tag-text", {"videoMetadata"},
                         "{\"event_type\": {{ value_json.subtype | tojson }}, "
                         "\"target_type\": {{ value_json.targetType | tojson }}}")};
  case Category::other:
    return {simple_event(s, key, c, "other_event", "Other event", "mdi:alert-circle-outline", {"other"},
                         "{\"event_type\": \"other\", \"code\": {{ value_json.eventType | tojson }}, "
                         "\"subtype\": {{ value_json.subtype | tojson }}, "
                         "\"description\": {{ value_json.eventDescription | tojson }}}")};
  case Category::motion:
    return {pulse_sensor(s, key, c, "motion", "Motion", "motion", "category", "motion")};
  case Category::io:
    return {pulse_sensor(s, key, c, "alarm_input", "Alarm input", "", "category", "io")};
  case Category::tamper:
    return {pulse_sensor(s, key, c, "tamper", "Tamper", "tamper", "category", "tamper")};
  case Category::counting: // one sensor per target type, see counting_entity()
  case Category::alarm:    // one binary sensor per alarm, see alarm_entity()
  case Category::traject:
    return {};
  }
  return {};
}

EntitySpec alarm_entity(const Settings& s, const std::string& camera_key, const model::Event& ev) {
  const auto id = ev.alarmId.empty() ? std::string() : " " + ev.alarmId;
  auto e = make("binary_sensor", "alarm_" + snake_case(ev.alarmName) + "_" + sanitize_id(ev.alarmId.empty() ? "0" : ev.alarmId),
                sentence_case(ev.alarmName) + id, "mdi:alarm-light");
  const auto& rel = ev.relatedCategory;
  if (rel == "intrusion" || rel == "motion" || rel == "face" || rel == "lpr" || rel == "counting") {
    e.device_class = "motion";
  } else if (rel == "tamper") {
    e.device_class = "tamper";
  }
  e.state_topic = alarm_state_topic(s, camera_key, ev.alarmName, ev.alarmId);
  e.value_template = "{{ 'ON' if value_json.active else 'OFF' }}";
  e.json_attributes_topic = e.state_topic;
  e.json_attributes_template = "{\"alarm_name\": {{ value_json.alarmName | tojson }}, "
                               "\"alarm_id\": {{ value_json.alarmId | tojson }}, "
                               "\"related_category\": {{ value_json.relatedCategory | tojson }}, "
                               "\"event_time\": {{ value_json.eventTime | tojson }}}";
  return e;
}

EntitySpec counting_entity(const Settings& s, const std::string& camera_key, const std::string& count_key) {
  const bool total = count_key == "total";
  auto e = make("sensor", "count_" + count_key, total ? "Counted total" : sentence_case(count_key) + " count",
                "mdi:counter");
  e.state_class = "total_increasing";
  e.state_topic = counting_totals_topic(s, camera_key);
  e.value_template = "{{ value_json." + count_key + " | default(0) }}";
  return e;
}

} // namespace cam2mqtt::ha
