#pragma once
// Discovery messages (per-entity form, reference home-assistant-mqtt.md §2-§8):
//   <discovery_prefix>/<component>/cam2mqtt_<camera key>/<entity key>/config   retained
// with the full device block, the origin block and availability on the bridge topic and the
// camera topic (mode "all") in every payload.
#include <string>

#include "ha/entities.h"

namespace cam2mqtt::ha {

struct Message {
  std::string topic;
  std::string payload;
  bool retain = true;
};

std::string discovery_topic(const Settings& s, const std::string& camera_key, const EntitySpec& e);
// The retained config announcing `e` of the device `d` (camera key `camera_key`).
Message discovery_message(const Settings& s, const std::string& camera_key, const DeviceSpec& d,
                          const EntitySpec& e);
// An empty retained payload: removes the entity (and the device with its last entity).
Message removal_message(const std::string& topic);

} // namespace cam2mqtt::ha
