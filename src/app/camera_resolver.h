#pragma once
// Decides the camera key, name and IP of a post (PRODUCT.md "Topics"): the configured id, else
// the IP the post reports, else the TCP peer; "-ch<N>" appended when the post names an NVR
// channel. Decided from the post in hand and the config only.
#include <string>
#include <string_view>

#include "config/config.h"
#include "model/event.h"

namespace cam2mqtt::app {

struct ResolvedCamera {
  std::string key;
  std::string name;
  std::string ip;
};

class CameraResolver {
public:
  explicit CameraResolver(const config::CamerasConfig& cfg) : m_cfg(cfg) {}
  ResolvedCamera resolve(const model::DeviceIdentity& id, std::string_view peer_ip) const;

private:
  const config::CameraEntry* find(std::string_view ip, std::string_view channel) const;
  const config::CamerasConfig& m_cfg;
};

// Makes device-supplied text safe as one MQTT topic level: '/', '+', '#', NUL and other control
// characters become '_'; empty text becomes "unknown".
std::string topic_level(std::string_view text);

} // namespace cam2mqtt::app
