#include "app/application.h"

#include <csignal>
#include <memory>
#include <event2/event.h>
#include <event2/thread.h>
#include <libxml/xmlversion.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "app/device_registry.h"
#include "app/ha_observer.h"
#include "app/ingest_pipeline.h"
#include "app/mailbox.h"
#include "app/publish_batcher.h"
#include "app/status_service.h"
#include "app/systemd_notify.h"
#include "http/http_server.h"
#include "http/libevent_handles.h"
#include "http/libevent_log.h"
#include "mqtt/paho_publisher.h"
#include "sources/curl_loop.h"
#include "sources/cvedia_client.h"
#include "sources/hikvision_client.h"

namespace cam2mqtt::app {

namespace {
constexpr auto k_stop_timeout = std::chrono::seconds(5);

timeval to_timeval(std::chrono::microseconds us) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(us.count() / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(us.count() % 1000000);
  return tv;
}

http::EventBasePtr make_base() {
  http::install_libevent_log_callback();
  if (evthread_use_pthreads() != 0) {
    throw StartupError("libevent: cannot enable pthreads support");
  }
  // The changelist folds the several epoll_ctl calls evhttp makes per request (read off while
  // the request is handled, write on for the reply, then back) into at most one per fd and
  // loop pass. Its documented caveat, fds cloned with dup(), does not apply: none are.
  std::unique_ptr<event_config, decltype(&event_config_free)> config(event_config_new(), &event_config_free);
  if (!config || event_config_set_flag(config.get(), EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST) != 0) {
    throw StartupError("libevent: cannot create event base config");
  }
  http::EventBasePtr base(event_base_new_with_config(config.get()));
  if (!base) {
    throw StartupError("libevent: cannot create event base");
  }
  return base;
}

// After the first stop signal a second one ends the process at once (pgbouncer style).
void exit_now(int) {
  _exit(0);
}
} // namespace

struct Application::Impl {
  sources::CurlGlobal curl_global; // before any thread (Paho) starts
  const config::Config& cfg;
  http::EventBasePtr base = make_base();
  Mailbox mailbox{base.get(), 100000};
  mqtt::PahoPublisher publisher;
  PublishBatcher batcher{base.get(), publisher}; // what the loop thread publishes goes through here
  DeviceRegistry registry;
  std::unique_ptr<HaObserver> ha; // null when homeassistant.enabled is false
  IngestPipeline pipeline;
  StatusService status; // before the server: its routes point here
  std::unique_ptr<sources::CurlLoop> curl_loop;
  std::vector<std::unique_ptr<sources::HikvisionClient>> hikvision_clients; // leave curl_loop first
  std::vector<std::unique_ptr<sources::CvediaClient>> cvedia_clients;
  std::unique_ptr<http::HttpServer> server;
  std::vector<http::EventPtr> signal_events;
  http::EventPtr sweep_timer;
  http::EventPtr watchdog_timer;
  bool stopping = false;
  // What finish_stop waits for after a stop signal: the 100 ms the loop gets to answer what is
  // already in flight, and each CVEDIA source (a poll in flight gets up to k_poll_grace).
  std::size_t stop_waits = 0;
  bool stop_finished = false;

  explicit Impl(const config::Config& c)
      : cfg(c),
        publisher(c.mqtt, [this](mqtt::MqttEvent ev) { mailbox.post([this, ev = std::move(ev)] { on_mqtt(ev); }); }),
        registry(RegistrySettings{c.mqtt.topic_prefix, c.mqtt.qos, c.cameras.offline_after}, batcher),
        pipeline(c, batcher, registry),
        status(base.get(), c, publisher, pipeline, registry) {
    if (c.homeassistant.enabled) {
      ha = std::make_unique<HaObserver>(c, batcher, base.get());
      pipeline.add_observer(*ha);
      for (const auto& topic : ha->subscriptions()) {
        publisher.subscribe(topic, c.mqtt.qos);
      }
    }
    pipeline.add_observer(status.observer());
  }

  void on_mqtt(const mqtt::MqttEvent& ev) {
    switch (ev.kind) {
    case mqtt::MqttEvent::Kind::connected:
      systemd::notify_status("mqtt connected");
      registry.republish_all();
      for (auto* o : pipeline.observers()) {
        o->on_mqtt_connected();
      }
      break;
    case mqtt::MqttEvent::Kind::message_arrived:
      for (auto* o : pipeline.observers()) {
        o->on_mqtt_message(ev.topic, ev.payload);
      }
      break;
    case mqtt::MqttEvent::Kind::connection_lost:
      systemd::notify_status("mqtt disconnected: " + ev.cause);
      break;
    default:
      break;
    }
  }

  void start() {
    try {
      server = std::make_unique<http::HttpServer>(
          base.get(), cfg.http, [this](http::IncomingPost&& post) { pipeline.on_post(std::move(post)); });
    } catch (const std::exception& e) {
      throw StartupError(e.what());
    }
    status.register_routes(*server);
    publisher.start();
    add_signals();
    add_timers();
    SPDLOG_INFO("ready: cam2mqtt {} listening={}:{} mqtt={} libevent={} libxml2={} images={}",
                CAM2MQTT_VERSION, cfg.http.listen_host, server->port(), cfg.mqtt.url, event_get_version(),
                LIBXML_DOTTED_VERSION, cfg.images == model::ImageMode::split    ? "split"
                                       : cfg.images == model::ImageMode::base64 ? "base64"
                                                                                : "none");
    start_sources();
    systemd::notify_ready("listening on port " + std::to_string(server->port()));
  }

  // Outbound streams run on this loop through libcurl's multi-socket API.
  void start_sources() {
    if (!cfg.sources.hikvision.empty() || !cfg.sources.cvedia.empty()) {
      curl_loop = std::make_unique<sources::CurlLoop>(base.get());
    }
    for (const auto& entry : cfg.sources.hikvision) {
      auto client = std::make_unique<sources::HikvisionClient>(
          base.get(), *curl_loop, entry, [this, &entry](model::Message& msg, const sources::SourceCamera& cam) {
            pipeline.publish_source(msg, ResolvedCamera{cam.key, cam.name, cam.ip}, cam.ip, util::now_micros(),
                                    entry.event_timeout);
          });
      client->start();
      hikvision_clients.push_back(std::move(client));
    }
    for (const auto& entry : cfg.sources.cvedia) {
      cvedia_clients.push_back(std::make_unique<sources::CvediaClient>(
          base.get(), *curl_loop, entry, [this](model::Message& msg, const sources::SourceCamera& cam) {
            pipeline.publish_source(msg, ResolvedCamera{cam.key, cam.name, cam.ip}, cam.ip, util::now_micros());
          }));
      cvedia_clients.back()->start();
    }
    status.watch_cvedia(cvedia_clients);
    status.watch_hikvision(hikvision_clients);
  }

  void add_signals() {
    std::signal(SIGPIPE, SIG_IGN);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
      http::EventPtr ev(evsignal_new(base.get(), sig, &Impl::on_signal, this));
      event_add(ev.get(), nullptr);
      signal_events.push_back(std::move(ev));
    }
  }

  void add_timers() {
    sweep_timer.reset(event_new(base.get(), -1, EV_PERSIST, &Impl::on_sweep, this));
    const auto one_second = to_timeval(std::chrono::seconds(1));
    event_add(sweep_timer.get(), &one_second);
    const auto wd = systemd::watchdog_interval();
    if (wd.count() > 0) {
      watchdog_timer.reset(event_new(base.get(), -1, EV_PERSIST, &Impl::on_watchdog, this));
      const auto half = to_timeval(wd / 2);
      event_add(watchdog_timer.get(), &half);
    }
  }

  static void on_sweep(evutil_socket_t, short, void* self) noexcept {
    auto* impl = static_cast<Impl*>(self);
    try {
      impl->registry.sweep(util::now_micros());
      impl->pipeline.sweep_sources(util::now_micros());
    } catch (const std::exception& e) {
      SPDLOG_ERROR("app: sweep failed error={}", e.what());
    }
  }

  static void on_watchdog(evutil_socket_t, short, void*) noexcept { systemd::notify_watchdog(); }

  static void on_signal(evutil_socket_t sig, short, void* self) noexcept {
    auto* impl = static_cast<Impl*>(self);
    if (sig == SIGHUP) {
      SPDLOG_WARN("app: SIGHUP ignored; reload is not supported, restart the service to apply changes");
      return;
    }
    impl->begin_stop(static_cast<int>(sig));
  }

  void begin_stop(int sig) {
    if (stopping) {
      return;
    }
    stopping = true;
    SPDLOG_INFO("app: stopping signal={}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    systemd::notify_stopping();
    std::signal(SIGTERM, exit_now);
    std::signal(SIGINT, exit_now);
    server->stop_accepting();
    stop_waits = 1 + cvedia_clients.size();
    stop_sources();
    // Let the loop answer what is already in flight (and the sources finish), then flush MQTT
    // and leave. The backstop bounds the wait should a source never report back.
    const auto soon = to_timeval(std::chrono::milliseconds(100));
    event_base_once(base.get(), -1, EV_TIMEOUT, &Impl::on_stop_wait_over, this, &soon);
    const auto backstop = to_timeval(sources::CvediaClient::k_poll_grace + std::chrono::seconds(1));
    event_base_once(base.get(), -1, EV_TIMEOUT, &Impl::on_stop_backstop, this, &backstop);
  }

  // The source streams close. Hikvision events still waiting for a picture (image parts,
  // snapshot) are published without it at once; a CVEDIA poll in flight is let finish (bounded:
  // the server may have drained events into it), then the events still waiting for a crop are
  // published without it. All while the publisher still takes them (finish_stop flushes them to
  // the broker or the spool).
  void stop_sources() noexcept {
    for (auto& client : hikvision_clients) {
      try {
        client->stop();
      } catch (const std::exception& e) {
        SPDLOG_ERROR("app: stopping a hikvision source failed source={} error={}", client->camera_key(), e.what());
      }
    }
    for (auto& client : cvedia_clients) {
      try {
        client->stop([this] { stop_wait_over(); });
      } catch (const std::exception& e) {
        SPDLOG_ERROR("app: stopping a cvedia source failed source={} error={}", client->camera_key(), e.what());
        stop_wait_over();
      }
    }
  }

  // The last wait over: finish_stop runs from the loop, not from inside a source's callback.
  void stop_wait_over() noexcept {
    if (stop_waits > 0 && --stop_waits == 0) {
      const timeval now{0, 0};
      event_base_once(base.get(), -1, EV_TIMEOUT, &Impl::on_finish_stop, this, &now);
    }
  }

  static void on_finish_stop(evutil_socket_t, short, void* self) noexcept { static_cast<Impl*>(self)->finish_stop(); }

  static void on_stop_wait_over(evutil_socket_t, short, void* self) noexcept {
    static_cast<Impl*>(self)->stop_wait_over();
  }

  static void on_stop_backstop(evutil_socket_t, short, void* self) noexcept {
    auto* impl = static_cast<Impl*>(self);
    if (!impl->stop_finished) {
      SPDLOG_WARN("app: sources did not finish stopping in time, stopping without them waiting={}",
                  impl->stop_waits);
      impl->finish_stop();
    }
  }

  void finish_stop() noexcept {
    if (stop_finished) {
      return;
    }
    stop_finished = true;
    try {
      batcher.flush();
      publisher.stop(std::chrono::duration_cast<std::chrono::milliseconds>(k_stop_timeout));
    } catch (const std::exception& e) {
      SPDLOG_WARN("app: mqtt stop failed error={}", e.what());
    }
    event_base_loopexit(base.get(), nullptr);
  }
};

Application::Application(const config::Config& cfg) : m_impl(std::make_unique<Impl>(cfg)) {}
Application::~Application() = default;

int Application::run() {
  m_impl->start();
  event_base_dispatch(m_impl->base.get());
  SPDLOG_INFO("app: stopped");
  return 0;
}

} // namespace cam2mqtt::app
