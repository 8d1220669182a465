#pragma once
// One received POST -> parse -> camera key -> JSON -> MQTT. Loop thread only. The camera has
// already had its 200 when on_post() runs.
#include <cstdint>
#include <map>
#include <string>

#include "app/camera_resolver.h"
#include "app/device_registry.h"
#include "app/message_id.h"
#include "app/pipeline_observer.h"
#include "config/config.h"
#include "encode/event_json.h"
#include "http/http_server.h"
#include "model/parse_result.h"
#include "mqtt/publisher.h"
#include "sources/event_state.h"
#include "util/rate_limiter.h"

namespace cam2mqtt::app {

struct IngestStats {
  std::uint64_t posts = 0;
  std::uint64_t heartbeats = 0;
  std::uint64_t events_published = 0;
  std::uint64_t traject_skipped = 0;
  std::map<std::string, std::uint64_t> parse_errors;                         // by kind
  std::map<std::pair<std::string, std::string>, std::uint64_t> events;      // (category, camera)
};

// Builds the envelope of one event exactly as the daemon publishes it (also used by the
// `parse` command, so its output matches the daemon's byte for byte apart from id and time).
encode::Envelope make_envelope(const ResolvedCamera& cam, const std::string& peer_ip,
                               const std::string& topic_prefix, std::string id,
                               util::SysMicros received_at);

class IngestPipeline {
public:
  IngestPipeline(const config::Config& cfg, mqtt::Publisher& publisher, DeviceRegistry& registry);

  void on_post(http::IncomingPost&& post);
  // A decoded message from an outbound source or Hikvision push mode, its camera already
  // resolved: availability and device info as for Viewtron, then each event through the
  // start/end tracker (repeats refresh, ends carry durationMs) and the same publishing path.
  // `event_timeout`: the source entry's stale time (sources.hikvision[].event_timeout); nullopt =
  // the tracker's default (push mode).
  void publish_source(model::Message& msg, const ResolvedCamera& cam, const std::string& peer_ip,
                      util::SysMicros now, std::optional<std::chrono::milliseconds> event_timeout = std::nullopt);
  // Ends source events whose stale timer ran out (endReason "timeout"); call periodically.
  void sweep_sources(util::SysMicros now);
  const IngestStats& stats() const noexcept { return m_stats; }
  // Observers are not owned and must outlive the pipeline.
  void add_observer(PipelineObserver& observer) { m_observers.push_back(&observer); }
  const std::vector<PipelineObserver*>& observers() const noexcept { return m_observers; }

private:
  void on_parse_error(const http::IncomingPost& post, const model::ParseError& err);
  // Hikvision push mode (httpHosts): told apart from Viewtron by content, not path.
  void on_hikvision_push(const http::IncomingPost& post, util::SysMicros now);
  void publish_event(const model::Event& ev, const ResolvedCamera& cam, const std::string& peer_ip,
                     util::SysMicros now);

  const config::Config& m_cfg;
  mqtt::Publisher& m_publisher;
  DeviceRegistry& m_registry;
  CameraResolver m_resolver;
  MessageIdGenerator m_ids;
  util::RateLimiter m_warn_limiter;
  IngestStats m_stats;
  std::vector<PipelineObserver*> m_observers;
  sources::EventStateTracker m_source_states;
};

} // namespace cam2mqtt::app
