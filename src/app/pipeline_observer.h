#pragma once
// Extension point of the ingest pipeline: features that react to what the daemon publishes
// (Home Assistant discovery, the status page, metrics) implement this and are registered with
// IngestPipeline::add_observer(). All calls happen on the loop thread; observers must not block.
#include <string>
#include <vector>

#include "encode/event_json.h"
#include "model/device_record.h"
#include "model/event.h"
#include "model/parse_result.h"
#include "mqtt/publisher.h"

namespace cam2mqtt::app {

class PipelineObserver {
public:
  virtual ~PipelineObserver() = default;
  // An event is about to be published (`json` is its payload): what an observer publishes here
  // (Home Assistant configs) goes out before the event.
  virtual void on_event(const model::Event& ev, const encode::Envelope& env, const std::string& json) {
    (void)ev;
    (void)env;
    (void)json;
  }
  // Right after on_event: the event's own messages (images, then the JSON), which the pipeline
  // publishes after this. An observer may set their not_before: Home Assistant holds the first
  // events of entities it has just announced (the publisher keeps them, spooled, until then).
  virtual void before_publish(const encode::Envelope& env, model::Category category,
                              std::vector<mqtt::OutgoingMessage>& messages) {
    (void)env;
    (void)category;
    (void)messages;
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
