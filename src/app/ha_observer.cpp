#include "app/ha_observer.h"

#include <event2/event.h>
#include <spdlog/spdlog.h>

#include "app/camera_resolver.h"
#include "encode/topics.h"
#include "util/strings.h"

namespace cam2mqtt::app {

namespace {
ha::Settings settings_of(const config::Config& cfg) {
  ha::Settings s;
  s.discovery_prefix = cfg.homeassistant.discovery_prefix;
  s.topic_prefix = cfg.mqtt.topic_prefix;
  s.off_delay_s = static_cast<int>(cfg.homeassistant.off_delay.count());
  s.images = cfg.images;
  s.sw_version = CAM2MQTT_VERSION;
  return s;
}
} // namespace

HaObserver::HaObserver(const config::Config& cfg, mqtt::Publisher& publisher, event_base* base)
    : m_cfg(cfg), m_publisher(publisher), m_state(settings_of(cfg)),
      m_remove_topic(cfg.mqtt.topic_prefix + "/bridge/request/ha_remove") {
  // Cameras listed in the config are devices from the start (at least their connectivity).
  CameraResolver resolver(cfg.cameras);
  for (const auto& entry : cfg.cameras.list) {
    model::DeviceIdentity id;
    id.ip = entry.ip;
    id.channelId = entry.channel;
    const auto cam = resolver.resolve(id, entry.ip);
    model::DeviceRecord rec;
    rec.cameraKey = cam.key;
    rec.name = cam.name;
    rec.peerIp = entry.ip;
    rec.identity = id;
    m_records[cam.key] = rec;
    m_state.on_camera_seen(rec); // published by on_mqtt_connected()
  }
  if (base != nullptr) {
    m_timer.reset(event_new(base, -1, EV_PERSIST, &HaObserver::on_timer, this));
    const timeval tv{0, 250000};
    event_add(m_timer.get(), &tv);
  }
}

std::vector<std::string> HaObserver::subscriptions() const {
  const auto& prefix = m_cfg.homeassistant.discovery_prefix;
  std::vector<std::string> out{prefix + "/status", prefix + "/+/+/+/config", m_remove_topic,
                               m_cfg.mqtt.topic_prefix + "/+/counting/totals"};
  if (prefix != "homeassistant") {
    out.push_back("homeassistant/status");
  }
  return out;
}

void HaObserver::publish(ha::Message m, Clock::time_point not_before) {
  mqtt::OutgoingMessage msg{std::move(m.topic), std::move(m.payload), m_cfg.mqtt.qos, m.retain};
  msg.not_before = not_before;
  m_publisher.publish(std::move(msg));
}

void HaObserver::publish_all(const std::vector<ha::Message>& ms) {
  for (const auto& m : ms) {
    publish(m);
  }
}

void HaObserver::on_camera_seen(const model::DeviceRecord& rec) {
  m_records[rec.cameraKey] = rec;
  publish_all(m_state.on_camera_seen(rec));
}

void HaObserver::on_event(const model::Event& ev, const encode::Envelope& env, const std::string& json) {
  auto it = m_records.find(env.cameraKey);
  if (it == m_records.end()) {
    // The post's camera was seen under this key already; this only happens for the rare event
    // naming another channel than its post.
    model::DeviceRecord rec;
    rec.cameraKey = env.cameraKey;
    rec.name = env.cameraName;
    rec.peerIp = env.peerIp;
    rec.identity = ev.device;
    it = m_records.emplace(env.cameraKey, rec).first;
  }
  auto out = m_state.on_event(it->second, ev, json);
  publish_all(out.discovery);
  const auto key = hold_key(env.cameraKey, ev.category);
  auto hold = m_holds.find(key);
  if (out.new_entities && hold == m_holds.end() && ha::reads_events(ev.category)) {
    hold = m_holds.emplace(key, Clock::now() + k_settle).first;
    SPDLOG_INFO("ha: announced camera={} category={}; holding its events for {} ms", env.cameraKey,
                model::to_string(ev.category), k_settle.count());
  }
  for (auto& m : out.states) {
    // Held: the base64-mode feed copy. Retained states go out at once (HA reads them on subscribe).
    const bool held = !m.retain && hold != m_holds.end();
    publish(std::move(m), held ? hold->second : Clock::time_point{});
  }
}

void HaObserver::before_publish(const encode::Envelope& env, model::Category category,
                                std::vector<mqtt::OutgoingMessage>& messages) {
  if (m_cfg.images == model::ImageMode::base64) {
    return; // entities read the feed copy, held in on_event
  }
  const auto hold = m_holds.find(hold_key(env.cameraKey, category));
  if (hold == m_holds.end()) {
    return;
  }
  // Also just after the hold ended (until tick() forgets it): the publisher may not have sent
  // the held ones yet, and a message with a not_before, even a past one, queues behind them.
  for (auto& m : messages) {
    m.not_before = hold->second;
  }
}

void HaObserver::on_mqtt_connected() {
  publish_all(m_state.republish_all());
}

void HaObserver::on_mqtt_message(const std::string& topic, const std::string& payload) {
  const auto& prefix = m_cfg.homeassistant.discovery_prefix;
  if (topic == prefix + "/status" || topic == "homeassistant/status") {
    if (payload == "online") {
      // HA has just subscribed to the discovery topics; a short pause spreads the load.
      m_republish_at = Clock::now() + k_birth_delay;
      SPDLOG_INFO("ha: home assistant online; republishing discovery");
    }
    return;
  }
  if (topic == m_remove_topic) {
    const auto key = std::string(util::trim(payload));
    if (key.empty()) {
      return;
    }
    const auto msgs = m_state.remove_camera(key);
    m_records.erase(key);
    for (auto it = m_holds.begin(); it != m_holds.end();) {
      it = it->first.first == key ? m_holds.erase(it) : std::next(it);
    }
    publish_all(msgs);
    SPDLOG_INFO("ha: removed camera={} cleared_topics={}", key, msgs.size());
    return;
  }
  const std::string totals = "/counting/totals";
  const auto& p = m_cfg.mqtt.topic_prefix;
  if (topic.ends_with(totals) && topic.rfind(p + "/", 0) == 0 && topic.size() > p.size() + 1 + totals.size()) {
    if (!payload.empty()) {
      m_state.seed_counts(topic.substr(p.size() + 1, topic.size() - p.size() - 1 - totals.size()), payload);
    }
    return;
  }
  if (topic.ends_with("/config")) {
    m_state.on_broker_config(topic, payload);
  }
}

void HaObserver::tick(Clock::time_point now) {
  for (auto it = m_holds.begin(); it != m_holds.end();) {
    if (now >= it->second + k_release_margin) {
      it = m_holds.erase(it);
    } else {
      ++it;
    }
  }
  if (m_republish_at && now >= *m_republish_at) {
    m_republish_at.reset();
    publish_all(m_state.republish_all());
  }
}

void HaObserver::on_timer(evutil_socket_t, short, void* self) noexcept {
  try {
    static_cast<HaObserver*>(self)->tick(Clock::now());
  } catch (const std::exception& e) {
    SPDLOG_ERROR("ha: tick failed error={}", e.what());
  }
}

} // namespace cam2mqtt::app
