#pragma once
// What the daemon knows about one camera key, merged from every post it sent.
#include <string>

#include "model/event.h"
#include "util/time_format.h"

namespace cam2mqtt::model {

struct DeviceRecord {
  std::string cameraKey;
  std::string name;   // configured name, else the latest reported one
  std::string peerIp; // TCP peer of the latest post
  DeviceIdentity identity;
  util::SysMicros firstSeen;
  util::SysMicros lastSeen;
};

} // namespace cam2mqtt::model
