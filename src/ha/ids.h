#pragma once
// Identifiers Home Assistant accepts in discovery topics and unique ids ([a-zA-Z0-9_-]+), and the
// device identities derived from what a camera reported (reference home-assistant-mqtt.md §2, §4).
#include <string>
#include <string_view>

#include "model/device_record.h"

namespace cam2mqtt::ha {

// Every character outside [a-zA-Z0-9_-] becomes '_'; "" becomes "unknown".
std::string sanitize_id(std::string_view text);
// "perimeterAlarm" -> "perimeter_alarm" (then sanitized, lower case).
std::string snake_case(std::string_view camel);
// "perimeterAlarm" -> "Perimeter alarm".
std::string sentence_case(std::string_view camel);

// node_id of every discovery topic of a camera: "cam2mqtt_<camera key>". Keyed on the camera
// key (not the MAC) so the topics are stable and `ha remove` can find them from the key alone.
std::string node_id(std::string_view camera_key);
// unique_id of an entity: "<node_id>_<entity key>".
std::string unique_id(std::string_view camera_key, std::string_view entity_key);

// True when the record is one channel of an NVR (its MAC/serial are the NVR's).
bool is_nvr_channel(const model::DeviceRecord& rec);
// Device identifier from MAC or serial: "cam2mqtt_vt_<mac hex>" / "cam2mqtt_vt_sn_<serial>",
// with "_ch<N>" for an NVR channel; "" when neither is known.
std::string hardware_device_id(const model::DeviceRecord& rec);
// "cam2mqtt_<camera key>": always present, so a device keeps its identity when its MAC becomes
// known later or its IP (and so its key) changes.
std::string key_device_id(std::string_view camera_key);
// The NVR a channel belongs to: "cam2mqtt_vt_<nvr mac hex>", else serial, else
// "cam2mqtt_nvr_<ip>" (reported IP, else TCP peer).
std::string nvr_device_id(const model::DeviceRecord& rec);

} // namespace cam2mqtt::ha
