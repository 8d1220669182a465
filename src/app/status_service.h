#pragma once
// GET /metrics, GET /healthz and the status page at GET /: gathers the daemon's counters and
// state on the loop thread and hands them to the pure renderers in src/status/.
//
// Owns the StatusTracker (register observer() with the pipeline) and a 1 s loop timer that
// proves the loop is alive and notes since when MQTT has been down (for the health rule).
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "app/device_registry.h"
#include "app/ingest_pipeline.h"
#include "app/status_tracker.h"
#include "config/config.h"
#include "http/http_server.h"
#include "http/libevent_handles.h"
#include "mqtt/paho_publisher.h"

namespace cam2mqtt::sources {
class CvediaClient;
class HikvisionClient;
}

namespace cam2mqtt::app {

class StatusService {
public:
  StatusService(event_base* base, const config::Config& cfg, const mqtt::PahoPublisher& publisher,
                const IngestPipeline& pipeline, const DeviceRegistry& registry);

  PipelineObserver& observer() noexcept { return m_tracker; }
  // Registers /metrics, /healthz and / on the server; the server must outlive nothing here
  // (the routes capture this service, which the Application destroys after the server).
  void register_routes(http::HttpServer& server);
  // The cvedia sources whose crop join counters /metrics shows; the vector must outlive the
  // routes (the Application owns both and destroys the server first).
  void watch_cvedia(const std::vector<std::unique_ptr<sources::CvediaClient>>& clients) noexcept {
    m_cvedia = &clients;
  }
  // The hikvision sources whose snapshot counters /metrics shows; the same lifetime rule.
  void watch_hikvision(const std::vector<std::unique_ptr<sources::HikvisionClient>>& clients) noexcept {
    m_hikvision = &clients;
  }

  http::HttpResponse metrics(const http::HttpServer& server) const;
  http::HttpResponse healthz() const;
  http::HttpResponse page() const;

private:
  static void on_tick(evutil_socket_t, short, void* self) noexcept;
  void tick();

  const config::Config& m_cfg;
  const mqtt::PahoPublisher& m_publisher;
  const IngestPipeline& m_pipeline;
  const DeviceRegistry& m_registry;
  StatusTracker m_tracker;
  const std::vector<std::unique_ptr<sources::CvediaClient>>* m_cvedia = nullptr;
  const std::vector<std::unique_ptr<sources::HikvisionClient>>* m_hikvision = nullptr;
  std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
  util::SysMicros m_started_wall = util::now_micros();
  std::chrono::steady_clock::time_point m_last_tick = m_started;
  std::optional<std::chrono::steady_clock::time_point> m_mqtt_down_since = m_started;
  http::EventPtr m_timer;
};

} // namespace cam2mqtt::app
