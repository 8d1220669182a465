#pragma once
// One CVEDIA-RT instance (cvedia-rt-sse.md §1, §7): mode `sse` keeps a long GET of
// consume_events_sse?events=... open through CurlLoop and frames it with parse::SseParser; mode
// `poll` GETs consume_events every poll_interval (each call drains the server's queue; 204 when
// nothing is pending). Records are decoded, crops joined and duplicates dropped by CropJoiner,
// and each released event goes to the sink as a one-event message.
//
// * Reconnect: a stream that ends or fails is reopened after the backoff delay (1 s doubling to
//   60 s, ±20 % jitter); a server `retry:` replaces the base delay. 404/409 (unknown or stopped
//   instance) wait the maximum. `id:` counts per connection, so no Last-Event-ID is sent and an
//   unterminated record is discarded with its connection.
// * Watchdog: a stream without a byte for stall_timeout is aborted (libcurl's low-speed limit)
//   and reopened; a poll request is bounded by stall_timeout.
// * Stop: stop() ends the stream for good and publishes the events still waiting for their crop,
//   without it, so a shutdown loses none. A poll in flight is different: the server may already
//   have drained its queue into it, so it gets up to poll_grace to finish (its events take the
//   normal path) before it is cancelled. Crops still held for events that never came are counted
//   (crops_shutdown). A reconnect keeps the joiner: events waiting when a stream drops keep
//   waiting (their crop may come on the new connection).
// * Availability: the stream opening, and any bytes at most every k_heartbeat_every after that
//   (statistics records, `: ping` comments), reach the sink as heartbeats.
#include <chrono>
#include <functional>
#include <random>
#include <string>

#include "config/config.h"
#include "parse/sse_parser.h"
#include "sources/backoff.h"
#include "sources/crop_joiner.h"
#include "sources/curl_loop.h"
#include "sources/hikvision_client.h" // url_host, topic_safe
#include "sources/http_get.h"
#include "sources/source_sink.h"
#include "util/rate_limiter.h"

namespace cam2mqtt::sources {

// Camera key of an entry (PRODUCT.md): id, else the instance id.
std::string cvedia_camera_key(const config::CvediaSourceConfig& cfg);
// The request URL of the entry's mode: .../consume_events_sse?events=a,b or .../consume_events.
std::string cvedia_url(const config::CvediaSourceConfig& cfg);

class CvediaClient {
public:
  CvediaClient(event_base* base, CurlLoop& loop, const config::CvediaSourceConfig& cfg, SourceSink sink);
  ~CvediaClient();
  CvediaClient(const CvediaClient&) = delete;
  CvediaClient& operator=(const CvediaClient&) = delete;

  // How long stop() lets a poll in flight finish: a server answers consume_events at once, so
  // this only bounds a slow one, well inside the daemon's stop budget (TimeoutStopSec).
  static constexpr std::chrono::milliseconds k_poll_grace{2000};

  void start();
  // Closes the stream and cancels the timers; a poll in flight gets up to `poll_grace` to
  // finish (its events are published as usual), then is cancelled. Then every event still
  // waiting for its crop goes to the sink, without it, in arrival order, the held crops are
  // dropped (counted) and `stopped` runs: from inside stop() when nothing was in flight, later
  // on the loop otherwise; always exactly once, even if the sink throws. Call before the
  // publisher stops; after it the client stays idle (start() is not called again).
  void stop(std::function<void()> stopped = {}, std::chrono::milliseconds poll_grace = k_poll_grace);
  // True from stop() until `stopped` has run.
  bool stopping() const noexcept { return m_stopped && !m_finished; }
  std::uint64_t connects() const noexcept { return m_connects; }
  const CropJoinerStats& join_stats() const noexcept { return m_joiner.stats(); }
  std::size_t events_waiting() const noexcept { return m_joiner.waiting(); }
  std::size_t crops_held() const noexcept { return m_joiner.crops_held(); }
  const std::string& camera_key() const noexcept { return m_camera.key; }

private:
  void connect();
  void on_done(CURLcode code, long status);
  void on_poll(HttpGet::Result& r);
  void on_bytes(std::string_view bytes);
  void handle(const parse::SseRecord& record);
  void deliver(std::vector<model::Event>& events);
  void heartbeat(bool force);
  void arm_join_timer();
  void finish_stop() noexcept;
  void schedule(std::chrono::milliseconds delay);
  bool wanted(const std::string& name) const;
  static size_t on_body(char* data, size_t size, size_t n, void* self) noexcept;
  static void on_retry(evutil_socket_t, short, void* self) noexcept;
  static void on_join_timer(evutil_socket_t, short, void* self) noexcept;
  static void on_stop_timer(evutil_socket_t, short, void* self) noexcept;

  event_base* m_base;
  CurlLoop& m_loop;
  const config::CvediaSourceConfig& m_cfg;
  SourceSink m_sink;
  SourceCamera m_camera;
  std::string m_url;
  bool m_poll;
  CurlEasyPtr m_easy;
  http::EventPtr m_retry_timer;
  http::EventPtr m_join_timer;
  http::EventPtr m_stop_timer; // the poll_grace of a poll in flight at stop
  Backoff m_backoff{Backoff::Settings{}};
  std::mt19937 m_rng{std::random_device{}()};
  parse::SseParser m_sse;
  HttpGet m_poll_get;
  CropJoiner m_joiner;
  bool m_in_transfer = false;
  bool m_stopped = false;  // stop() was called: nothing new starts
  bool m_finished = false; // the stop is complete: the joiner emptied, `stopped` ran
  std::function<void()> m_on_stopped;
  bool m_got_bytes = false;
  std::chrono::steady_clock::time_point m_last_heartbeat{};
  std::uint64_t m_connects = 0;
  std::uint64_t m_bad_records = 0;
  util::RateLimiter m_warn_limiter;
};

} // namespace cam2mqtt::sources
