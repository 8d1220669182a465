#include "app/status_service.h"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "sources/cvedia_client.h"
#include "sources/hikvision_client.h"
#include "status/crop_join_metrics.h"
#include "status/health.h"
#include "status/metrics_text.h"
#include "status/snapshot_metrics.h"
#include "status/status_page.h"
#include "util/time_format.h"

namespace cam2mqtt::app {

namespace {
using namespace std::chrono;
using status::MetricType;

// Every parse error kind the parser declares (model/parse_result.h), so each series exists
// from the start at 0 and rate() works from the first error on.
// ("invalid_image" counts posts that were published with an image dropped for not being base64.)
constexpr const char* k_parse_error_kinds[] = {"not_xml",       "truncated",       "too_deep",
                                                "too_large",     "unknown_root",    "unknown_message",
                                                "forbidden_dtd", "invalid_field",   "invalid_image"};

status::CropJoinSample crop_join_sample(const sources::CvediaClient& client) {
  const auto& st = client.join_stats();
  status::CropJoinSample s;
  s.source = client.camera_key();
  s.crops_joined = st.crops_joined;
  s.waits_expired = st.waited_out;
  s.waits_overflowed = st.overflow;
  s.duplicates = st.duplicates;
  s.crops_late = st.crops_late;
  s.crops_orphaned = st.crops_orphaned;
  s.crops_unusable = st.crops_unusable;
  s.crops_shutdown = st.crops_shutdown;
  s.events_waiting = client.events_waiting();
  s.crops_held = client.crops_held();
  return s;
}

template <class Rep, class Period>
std::uint64_t whole_seconds(duration<Rep, Period> d) {
  return static_cast<std::uint64_t>(duration_cast<seconds>(d).count());
}
} // namespace

StatusService::StatusService(event_base* base, const config::Config& cfg, const mqtt::PahoPublisher& publisher,
                             const IngestPipeline& pipeline, const DeviceRegistry& registry)
    : m_cfg(cfg), m_publisher(publisher), m_pipeline(pipeline), m_registry(registry) {
  m_timer.reset(event_new(base, -1, EV_PERSIST, &StatusService::on_tick, this));
  if (!m_timer) {
    throw std::runtime_error("libevent: cannot create the status timer");
  }
  const timeval one_second{1, 0};
  event_add(m_timer.get(), &one_second);
}

void StatusService::on_tick(evutil_socket_t, short, void* self) noexcept {
  static_cast<StatusService*>(self)->tick();
}

void StatusService::tick() {
  m_last_tick = steady_clock::now();
  if (m_publisher.connected()) {
    m_mqtt_down_since.reset();
  } else if (!m_mqtt_down_since) {
    m_mqtt_down_since = m_last_tick;
  }
}

void StatusService::register_routes(http::HttpServer& server) {
  auto guarded = [](const char* what, auto fn) {
    return [what, fn](const http::GetRequest&) -> http::HttpResponse {
      try {
        return fn();
      } catch (const std::exception& e) {
        SPDLOG_ERROR("status: {} failed error={}", what, e.what());
        return {500, "text/plain; charset=utf-8", "internal error\n"};
      }
    };
  };
  server.add_get_route("/metrics", guarded("metrics", [this, &server] { return metrics(server); }));
  server.add_get_route("/healthz", guarded("healthz", [this] { return healthz(); }));
  server.add_get_route("/", guarded("status page", [this] { return page(); }));
}

http::HttpResponse StatusService::metrics(const http::HttpServer& server) const {
  status::MetricsText m;
  const auto& http_stats = server.stats();
  const auto& mqtt_stats = m_publisher.stats();
  const auto& ingest = m_pipeline.stats();

  m.family("cam2mqtt_build_info", MetricType::gauge, "Version of the running daemon (always 1).");
  m.sample(std::uint64_t{1}, {{"version", CAM2MQTT_VERSION}});
  m.family("cam2mqtt_start_time_seconds", MetricType::gauge, "Start time of the daemon, seconds since the epoch.");
  m.sample(static_cast<double>(m_started_wall.time_since_epoch().count()) / 1e6);
  m.family("cam2mqtt_uptime_seconds", MetricType::gauge, "Seconds since the daemon started.");
  m.sample(duration<double>(steady_clock::now() - m_started).count());

  m.family("cam2mqtt_http_requests_total", MetricType::counter, "HTTP requests received.");
  m.sample(http_stats.requests.load());
  m.family("cam2mqtt_http_posts_total", MetricType::counter, "Request bodies (POST/PUT) accepted and answered 200.");
  m.sample(http_stats.posts.load());
  m.family("cam2mqtt_http_received_bytes_total", MetricType::counter, "Bytes of accepted request bodies.");
  m.sample(http_stats.bytes_received.load());
  m.family("cam2mqtt_http_rejected_total", MetricType::counter,
           "Requests or connections refused, by reason (too_large = 413 over http.max_body_size).");
  m.sample(http_stats.rejected_too_large.load(), {{"reason", "too_large"}});
  m.sample(http_stats.rejected_other.load(), {{"reason", "other"}});
  m.family("cam2mqtt_http_connections_open", MetricType::gauge, "Camera HTTP connections open now.");
  m.sample(http_stats.connections_open.load());

  m.family("cam2mqtt_posts_total", MetricType::counter, "Bodies handed to the parser.");
  m.sample(ingest.posts);
  m.family("cam2mqtt_heartbeats_total", MetricType::counter, "Heartbeat posts decoded.");
  m.sample(ingest.heartbeats);
  m.family("cam2mqtt_events_total", MetricType::counter, "Events accepted and published, by category and camera key.");
  for (const auto& [key, count] : ingest.events) {
    m.sample(count, {{"category", key.first}, {"camera", key.second}});
  }
  m.family("cam2mqtt_parse_errors_total", MetricType::counter, "Bodies that could not be decoded, by kind.");
  auto errors = ingest.parse_errors;
  for (const char* kind : k_parse_error_kinds) {
    errors.try_emplace(kind, 0);
  }
  for (const auto& [kind, count] : errors) {
    m.sample(count, {{"kind", kind}});
  }

  m.family("cam2mqtt_mqtt_connected", MetricType::gauge, "1 while the MQTT session is up.");
  m.sample(std::uint64_t{m_publisher.connected() ? 1u : 0u});
  m.family("cam2mqtt_mqtt_published_total", MetricType::counter, "Messages accepted for publishing (events, images, state).");
  m.sample(mqtt_stats.published.load());
  m.family("cam2mqtt_mqtt_delivered_total", MetricType::counter, "Messages acknowledged by the broker.");
  m.sample(mqtt_stats.delivered.load());
  m.family("cam2mqtt_mqtt_failed_total", MetricType::counter, "Messages the MQTT client reported as failed.");
  m.sample(mqtt_stats.failed.load());
  m.family("cam2mqtt_mqtt_reconnects_total", MetricType::counter, "MQTT connections after the first one.");
  m.sample(mqtt_stats.reconnects.load());
  m.family("cam2mqtt_mqtt_session_resets_total", MetricType::counter,
           "MQTT sessions dropped and started clean because the broker kept rejecting what the client "
           "had stored (src/mqtt/README.md, Known issue); each resends what was unacknowledged.");
  m.sample(mqtt_stats.session_resets.load());
  m.family("cam2mqtt_mqtt_pending_messages", MetricType::gauge, "Messages buffered or in flight, not yet acknowledged.");
  m.sample(static_cast<std::uint64_t>(m_publisher.pending()));
  m.family("cam2mqtt_mqtt_inflight_messages", MetricType::gauge, "Messages handed to the broker, not yet acknowledged.");
  m.sample(mqtt_stats.inflight.load());
  m.family("cam2mqtt_buffer_messages", MetricType::gauge, "Messages waiting in the offline buffer.");
  m.sample(mqtt_stats.buffered.load());
  m.family("cam2mqtt_buffer_bytes", MetricType::gauge, "Topic and payload bytes waiting in the offline buffer.");
  m.sample(mqtt_stats.buffered_bytes.load());
  m.family("cam2mqtt_buffer_capacity_messages", MetricType::gauge, "Most messages the offline buffer keeps (mqtt.buffer.max_messages).");
  m.sample(static_cast<std::uint64_t>(m_cfg.mqtt.buffer.max_messages));
  m.family("cam2mqtt_buffer_dropped_total", MetricType::counter, "Messages dropped from the full offline buffer (oldest first).");
  m.sample(mqtt_stats.dropped.load());

  m.family("cam2mqtt_cameras_online", MetricType::gauge, "Cameras that posted within cameras.offline_after.");
  m.sample(static_cast<std::uint64_t>(m_registry.online_count()));
  m.family("cam2mqtt_cameras_known", MetricType::gauge, "Camera keys seen since start.");
  m.sample(static_cast<std::uint64_t>(m_registry.devices().size()));

  if (m_cvedia != nullptr) {
    std::vector<status::CropJoinSample> joins;
    for (const auto& client : *m_cvedia) {
      joins.push_back(crop_join_sample(*client));
    }
    status::write_crop_join_metrics(m, joins);
  }
  if (m_hikvision != nullptr) {
    std::vector<status::SnapshotSample> snapshots;
    for (const auto& client : *m_hikvision) {
      if (const auto* st = client->snapshot_stats()) {
        snapshots.push_back({client->camera_key(), st->fetched, st->failed, st->stopped});
      }
    }
    status::write_snapshot_metrics(m, snapshots);
  }
  return {200, std::string(status::k_metrics_content_type), m.take()};
}

http::HttpResponse StatusService::healthz() const {
  const auto now = steady_clock::now();
  status::HealthInput in;
  in.since_loop_tick = duration_cast<milliseconds>(now - m_last_tick);
  in.mqtt_connected = m_publisher.connected();
  if (!in.mqtt_connected) {
    in.mqtt_down_for = duration_cast<milliseconds>(now - m_mqtt_down_since.value_or(now));
  }
  in.buffer_messages = m_publisher.stats().buffered.load();
  in.buffer_capacity = m_cfg.mqtt.buffer.max_messages;
  in.mqtt_pending = m_publisher.pending();
  in.cameras_online = m_registry.online_count();
  in.cameras_known = m_registry.devices().size();
  in.uptime = duration_cast<seconds>(now - m_started);
  in.version = CAM2MQTT_VERSION;
  auto result = status::evaluate_health(in);
  return {result.healthy ? 200 : 503, "application/json", std::move(result.json)};
}

http::HttpResponse StatusService::page() const {
  const auto now = util::now_micros();
  status::StatusView view;
  view.version = CAM2MQTT_VERSION;
  view.now = util::format_iso8601_utc(now);
  view.uptime_seconds = whole_seconds(steady_clock::now() - m_started);
  view.mqtt_connected = m_publisher.connected();
  view.mqtt_url = m_cfg.mqtt.url;
  view.buffered = m_publisher.stats().buffered.load();
  view.dropped = m_publisher.stats().dropped.load();
  view.cameras_online = m_registry.online_count();
  const auto offline_after = duration_cast<microseconds>(m_cfg.cameras.offline_after);
  for (const auto& [key, rec] : m_registry.devices()) {
    status::CameraView cam;
    cam.name = rec.name.empty() ? rec.identity.name : rec.name;
    cam.key = key;
    cam.ip = rec.identity.ip.empty() ? rec.peerIp : rec.identity.ip;
    cam.online = now - rec.lastSeen < offline_after;
    cam.first_seen = util::format_iso8601_utc(rec.firstSeen);
    cam.last_seen = util::format_iso8601_utc(rec.lastSeen);
    const auto tracked = m_tracker.cameras().find(key);
    if (tracked != m_tracker.cameras().end()) {
      for (const auto& [category, count] : tracked->second.counts) {
        cam.counts.push_back({category, count});
      }
      for (const auto& [category, ev] : tracked->second.last) {
        cam.last.push_back({category, ev.subtype, ev.event_type, ev.summary, util::format_iso8601_utc(ev.received_at),
                            ev.image_base64, ev.image_width, ev.image_height});
      }
      std::sort(cam.last.begin(), cam.last.end(),
                [](const auto& a, const auto& b) { return a.time > b.time; });
    }
    view.cameras.push_back(std::move(cam));
  }
  return {200, "text/html; charset=utf-8", status::render_status_page(view)};
}

} // namespace cam2mqtt::app
