#pragma once
// Home Assistant discovery in the running daemon: feeds the pure ha::DiscoveryState with what the
// pipeline sees and publishes what it returns. Loop thread only.
//
// Timing (reference home-assistant-mqtt.md §9):
// - Configs are retained and go out before the states that belong to them.
// - HA subscribes to an entity's state topic only after it has processed the entity's config, so
//   a non-retained message published right after a new config is lost to HA. The events of a
//   camera and category whose entities were just announced (new in this run and not already on
//   the broker unchanged) are therefore held until k_settle after the announcement: the event
//   messages themselves (P/C/<category> and its images), which entities read, or in images mode
//   base64 only their feed copy (P/C/<category>/ha; the event goes out at once). Held means
//   published with not_before set: the publisher spools them at once (a crash loses nothing) and
//   sends them, in order, when due; what is published after them waits behind them. Retained
//   states (alarm states, counting totals) go out at once: HA gets them when it subscribes. So
//   one message per event, and a brand-new entity's first events arrive ~2 s late for every
//   subscriber, once per camera and category.
// - "online" on <discovery_prefix>/status (and homeassistant/status) and every broker
//   (re)connect republish every config and retained state.
// - Counting totals retained by an earlier run (P/+/counting/totals) seed this run's counters.
// - P/bridge/request/ha_remove with a camera key as payload clears that camera's configs and
//   retained states (docs/home-assistant.md "Removing a camera").
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/pipeline_observer.h"
#include "config/config.h"
#include "ha/discovery_state.h"
#include "http/libevent_handles.h"
#include "mqtt/publisher.h"

struct event_base;

namespace cam2mqtt::app {

class HaObserver final : public PipelineObserver {
public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds k_settle{2000};
  static constexpr std::chrono::milliseconds k_birth_delay{1000};
  // A hold is forgotten this long after it ended: longer than the publisher takes to release
  // held messages (its worker tick), so later events cannot overtake them.
  static constexpr std::chrono::milliseconds k_release_margin{1000};

  // `base` may be null (tests drive tick() themselves).
  HaObserver(const config::Config& cfg, mqtt::Publisher& publisher, event_base* base);

  // Topic filters the daemon must subscribe to.
  std::vector<std::string> subscriptions() const;

  void on_event(const model::Event& ev, const encode::Envelope& env, const std::string& json) override;
  void before_publish(const encode::Envelope& env, model::Category category,
                      std::vector<mqtt::OutgoingMessage>& messages) override;
  void on_camera_seen(const model::DeviceRecord& rec) override;
  void on_mqtt_connected() override;
  void on_mqtt_message(const std::string& topic, const std::string& payload) override;

  // Ends due holds and runs a due republish.
  void tick(Clock::time_point now);
  // Camera/category pairs whose events are being held now.
  std::size_t holds() const noexcept { return m_holds.size(); }

private:
  // By value: callers with a message to spare move it in (base64 feed copies are large).
  void publish(ha::Message m, Clock::time_point not_before = {});
  void publish_all(const std::vector<ha::Message>& ms);
  using HoldKey = std::pair<std::string, int>; // (camera key, category)
  static HoldKey hold_key(const std::string& camera_key, model::Category c) {
    return {camera_key, static_cast<int>(c)};
  }
  static void on_timer(evutil_socket_t, short, void* self) noexcept;

  const config::Config& m_cfg;
  mqtt::Publisher& m_publisher;
  ha::DiscoveryState m_state;
  std::map<std::string, model::DeviceRecord> m_records; // latest record per camera key
  std::map<HoldKey, Clock::time_point> m_holds; // -> held until
  std::optional<Clock::time_point> m_republish_at;
  std::string m_remove_topic;
  http::EventPtr m_timer;
};

} // namespace cam2mqtt::app
