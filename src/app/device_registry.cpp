#include "app/device_registry.h"

#include <spdlog/spdlog.h>

#include "encode/device_json.h"
#include "encode/topics.h"

namespace cam2mqtt::app {

void merge_identity(model::DeviceIdentity& base, const model::DeviceIdentity& update) {
  auto take = [](std::string& dst, const std::string& src) {
    if (!src.empty()) {
      dst = src;
    }
  };
  take(base.name, update.name);
  take(base.ip, update.ip);
  take(base.mac, update.mac);
  take(base.macRaw, update.macRaw);
  take(base.serial, update.serial);
  take(base.deviceNo, update.deviceNo);
  take(base.model, update.model);
  take(base.manufacturer, update.manufacturer);
  take(base.channelId, update.channelId);
  take(base.deviceType, update.deviceType);
}

void DeviceRegistry::touch(const std::string& camera_key, const std::string& name,
                           const std::string& peer_ip, const model::DeviceIdentity& identity,
                           util::SysMicros now) {
  auto [it, inserted] = m_records.try_emplace(camera_key);
  auto& rec = it->second;
  if (inserted) {
    rec.cameraKey = camera_key;
    rec.firstSeen = now;
    SPDLOG_INFO("camera: first post camera={} peer={}", camera_key, peer_ip);
  }
  merge_identity(rec.identity, identity);
  if (!name.empty()) {
    rec.name = name;
  }
  rec.peerIp = peer_ip;
  rec.lastSeen = now;

  auto& state = m_states[camera_key];
  if (!state.online) {
    state.online = true;
    if (!inserted) {
      SPDLOG_INFO("camera: online again camera={}", camera_key);
    }
    publish_availability(camera_key, true);
  }
  publish_device(camera_key, now, false);
}

void DeviceRegistry::sweep(util::SysMicros now) {
  for (auto& [key, state] : m_states) {
    if (!state.online) {
      continue;
    }
    const auto& rec = m_records.at(key);
    if (now - rec.lastSeen >= m_settings.offline_after) {
      state.online = false;
      SPDLOG_WARN("camera: offline camera={} silent_for={}s", key,
                  std::chrono::duration_cast<std::chrono::seconds>(now - rec.lastSeen).count());
      publish_availability(key, false);
    }
  }
}

void DeviceRegistry::republish_all() {
  for (auto& [key, state] : m_states) {
    publish_availability(key, state.online);
    publish_device(key, m_records.at(key).lastSeen, true);
  }
}

std::size_t DeviceRegistry::online_count() const {
  std::size_t n = 0;
  for (const auto& [key, state] : m_states) {
    n += state.online ? 1 : 0;
  }
  return n;
}

void DeviceRegistry::publish_availability(const std::string& key, bool online) {
  m_publisher.publish({encode::camera_topic(m_settings.topic_prefix, key, "availability"),
                       online ? "online" : "offline", m_settings.qos, true});
}

namespace {
bool same_identity(const model::DeviceIdentity& a, const model::DeviceIdentity& b) {
  return a.name == b.name && a.ip == b.ip && a.mac == b.mac && a.serial == b.serial &&
         a.deviceNo == b.deviceNo && a.model == b.model && a.manufacturer == b.manufacturer &&
         a.channelId == b.channelId && a.deviceType == b.deviceType;
}
} // namespace

void DeviceRegistry::publish_device(const std::string& key, util::SysMicros now, bool force) {
  auto& state = m_states[key];
  const auto& rec = m_records.at(key);
  // Identity changes are published at once; a lastSeen-only change waits for device_refresh.
  const bool changed = !state.published || rec.name != state.last.name ||
                       rec.peerIp != state.last.peerIp || !same_identity(rec.identity, state.last.identity);
  const bool stale = now - state.last_device_publish >= m_settings.device_refresh;
  if (!force && !changed && !stale) {
    return;
  }
  state.published = true;
  state.last = rec;
  state.last_device_publish = now;
  m_publisher.publish({encode::camera_topic(m_settings.topic_prefix, key, "device"),
                       encode::encode_device(rec), m_settings.qos, true});
}

} // namespace cam2mqtt::app
