#pragma once
// Extension point of the ingest pipeline: features that react to what the daemon publishes
// (Home Assistant discovery, the status page, metrics) implement this and are registered with
// IngestPipeline::add_observer(). All calls happen on the loop thread, after the event has
// been handed to the publisher; observers must not block.
#include <string>

#include "encode/event_json.h"
#include "model/device_record.h"
#include "model/event.h"
#include "model/parse_result.h"

namespace cam2mqtt::app {

class PipelineObserver {
public:
  virtual ~PipelineObserver() = default;
  // An event was published. `encoded` still holds the JSON; its images (split mode) have been
  // moved to the publisher, so `sourceImage`/`targetImage` in `ev` are the way to get them.
  virtual void on_event(const model::Event& ev, const encode::Envelope& env, const std::string& json) {
    (void)ev;
    (void)env;
    (void)json;
  }
  // A post (event or heartbeat) from this camera was accepted; `rec` is the merged record.
  virtual void on_camera_seen(const model::DeviceRecord& rec) { (void)rec; }
  // A body could not be decoded.
  virtual void on_parse_error(const std::string& peer_ip, const model::ParseError& err) {
    (void)peer_ip;
    (void)err;
  }
  // The MQTT session is (again) up: retained state should be published anew.
  virtual void on_mqtt_connected() {}
  // A message arrived on a topic the daemon subscribed to.
  virtual void on_mqtt_message(const std::string& topic, const std::string& payload) {
    (void)topic;
    (void)payload;
  }
};

} // namespace cam2mqtt::app
