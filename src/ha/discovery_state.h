#pragma once
// What has been announced to Home Assistant in this run, per camera, and the messages that follow
// from each post: discovery configs for entities a camera has not had yet, and the state messages
// those entities read (the feed copy of the event, alarm states, the daemon's own counters).
// Pure: no I/O and no clock; the app's HaObserver publishes what it returns and decides when.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ha/discovery.h"
#include "ha/entities.h"
#include "model/device_record.h"
#include "model/event.h"

namespace cam2mqtt::ha {

class DiscoveryState {
public:
  explicit DiscoveryState(Settings settings) : m_settings(std::move(settings)) {}
  const Settings& settings() const noexcept { return m_settings; }

  // A camera listed in the config (at start) or a post from it: the first time, its device with
  // the connectivity sensor (and the NVR device for a channel); when its device block changed
  // (MAC learnt, name changed), every config of the camera again.
  std::vector<Message> on_camera_seen(const model::DeviceRecord& rec);

  struct EventOutput {
    std::vector<Message> discovery; // publish first
    std::vector<Message> states;    // then these: retained ones (alarm, totals), the feed copy (base64)
    // `discovery` holds entities HA may not be subscribed to yet: new in this run and not on
    // the broker with the same config already.
    bool new_entities = false;
  };
  // `json` is the event payload as published on P/C/<category>.
  EventOutput on_event(const model::DeviceRecord& rec, const model::Event& ev, const std::string& json);

  // Every config announced so far, then the retained states (HA birth, broker reconnect).
  std::vector<Message> republish_all() const;

  // A retained config seen on the broker (the daemon subscribes to its discovery topics), so
  // remove_camera() also finds what earlier runs announced. Other integrations' configs are ignored.
  void on_broker_config(const std::string& topic, const std::string& payload);
  // Empty retained payloads for every config and retained state topic of the camera; forgets it.
  std::vector<Message> remove_camera(const std::string& camera_key);

  // Totals an earlier run left retained on P/C/counting/totals: this run counts on from them,
  // unless it has already counted for that camera. Ignores anything that is not such a JSON.
  void seed_counts(const std::string& camera_key, const std::string& payload);

  bool knows(const std::string& camera_key) const { return m_cameras.count(camera_key) != 0; }
  std::uint64_t count(const std::string& camera_key, const std::string& count_key) const;

private:
  // What camera_device() and nvr_device() read from a DeviceRecord (its cameraKey is the map
  // key): while it is unchanged, so are the devices, and ensure() need not build them again.
  struct DeviceInputs {
    std::string name;
    std::string peerIp;
    model::DeviceIdentity identity;
    bool operator==(const DeviceInputs&) const = default;
  };
  struct Camera {
    DeviceInputs inputs;
    DeviceSpec device;
    std::optional<DeviceSpec> nvr;
    std::string nvr_key;
    std::optional<EntitySpec> nvr_entity;
    std::map<std::string, EntitySpec> entities; // by key, connectivity included
    std::set<model::Category> categories;
    std::map<std::string, std::uint64_t> counts; // counting_key -> n, plus "total"
    std::map<std::string, std::string> alarm_states; // state topic -> last payload
  };
  Camera& ensure(const model::DeviceRecord& rec, std::vector<Message>& out, bool& fresh);
  void announce_all(const std::string& key, const Camera& cam, std::vector<Message>& out) const;
  Message totals_message(const std::string& key, const Camera& cam) const;
  std::string feed_payload(const std::string& json) const;

  Settings m_settings;
  std::map<std::string, Camera> m_cameras;
  std::map<std::string, std::set<std::string>> m_broker_topics; // node -> configs and retained states
  std::map<std::string, std::string> m_broker_configs;           // config topic -> retained payload
  std::map<std::string, std::map<std::string, std::uint64_t>> m_seeds; // camera key -> counts
};

} // namespace cam2mqtt::ha
