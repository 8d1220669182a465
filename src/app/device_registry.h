#pragma once
// Every camera key seen: identity merged from its posts, first/last seen, and availability.
// Publishes P/C/device and P/C/availability (both retained) when they change, marks cameras
// offline after `offline_after` without a post, and republishes everything after a reconnect.
// Loop thread only.
#include <chrono>
#include <map>
#include <string>

#include "model/device_record.h"
#include "mqtt/publisher.h"

namespace cam2mqtt::app {

struct RegistrySettings {
  std::string topic_prefix;
  int qos = 1;
  std::chrono::seconds offline_after{90};
  // lastSeen in P/C/device is refreshed at most this often (it changes with every post).
  std::chrono::seconds device_refresh{60};
};

class DeviceRegistry {
public:
  DeviceRegistry(RegistrySettings settings, mqtt::Publisher& publisher)
      : m_settings(std::move(settings)), m_publisher(publisher) {}

  // A post (event or heartbeat) arrived for `camera_key`.
  void touch(const std::string& camera_key, const std::string& name, const std::string& peer_ip,
             const model::DeviceIdentity& identity, util::SysMicros now);
  // Marks silent cameras offline; call periodically.
  void sweep(util::SysMicros now);
  // Republishes availability and device info of every known camera (after a reconnect).
  void republish_all();

  std::size_t online_count() const;
  const std::map<std::string, model::DeviceRecord>& devices() const { return m_records; }

private:
  struct State {
    bool online = false;
    bool published = false;
    util::SysMicros last_device_publish;
    model::DeviceRecord last; // as last published

  };
  void publish_availability(const std::string& key, bool online);
  void publish_device(const std::string& key, util::SysMicros now, bool force);

  RegistrySettings m_settings;
  mqtt::Publisher& m_publisher;
  std::map<std::string, model::DeviceRecord> m_records;
  std::map<std::string, State> m_states;
};

// Keeps what `update` knows and `base` does not; never erases a known value with "".
void merge_identity(model::DeviceIdentity& base, const model::DeviceIdentity& update);

} // namespace cam2mqtt::app
