#pragma once
// One Hikvision ISAPI alertStream (hikvision-isapi.md §2): a long GET through CurlLoop with
// Digest (or Basic) auth, the multipart body parsed as it arrives, parts decoded into messages
// for the sink. A stream that ends is reopened after the backoff delay; one silent for
// stall_timeout is aborted (libcurl's low-speed limit: under 1 byte/s over that window) and
// reopened; 401/403 back off straight to the maximum and are logged as credential errors.
// Once a stream is open, /ISAPI/System/deviceInfo is fetched (a few tries at most) and handed to
// the sink as a heartbeat carrying the identity, so the camera's record names maker and model.
// With `snapshot: true` events without a picture go through a SnapshotQueue first.
// stop() ends the stream for good and publishes at once what still waits for a picture (an
// alert for its announced image parts, an event for its snapshot), without it.
#include <chrono>
#include <functional>
#include <random>
#include <string>

#include "config/config.h"
#include "model/parse_result.h"
#include "parse/hikvision_stream.h"
#include "parse/multipart_parser.h"
#include "sources/backoff.h"
#include "sources/curl_loop.h"
#include "sources/http_get.h"
#include "sources/snapshot_queue.h"
#include "sources/source_sink.h"

namespace cam2mqtt::sources {

// Camera key of an entry (PRODUCT.md): id, else the URL host; "-ch<N>" only when the entry lists
// more than one channel.
std::string hikvision_camera_key(const config::HikvisionSourceConfig& cfg, const std::string& channel);
std::string url_host(const std::string& url);
// `text` made fit for one topic level: '/', '+', '#' and control characters become '_'.
std::string topic_safe(std::string_view text);

class HikvisionClient {
public:
  HikvisionClient(event_base* base, CurlLoop& loop, const config::HikvisionSourceConfig& cfg, SourceSink sink);
  ~HikvisionClient();
  HikvisionClient(const HikvisionClient&) = delete;
  HikvisionClient& operator=(const HikvisionClient&) = delete;

  void start();
  // Closes the stream and the requests beside it, cancels the timers and hands every event still
  // waiting for a picture to the sink, without it, in order. Call before the publisher stops;
  // after it the client stays idle (start() is not called again).
  void stop();
  std::uint64_t connects() const noexcept { return m_connects; }
  std::string camera_key() const { return hikvision_camera_key(m_cfg, ""); }
  // The snapshot counters; null without `snapshot: true`.
  const SnapshotQueue::Stats* snapshot_stats() const noexcept { return m_snapshots ? &m_snapshots->stats() : nullptr; }

private:
  void connect();
  void on_done(CURLcode code, long status);
  void end_of_stream();
  void schedule(std::chrono::milliseconds delay);
  void deliver(std::vector<model::ParseOutcome>& outcomes);
  void configure_auth(CURL* e) const;
  void fetch_device_info();
  void on_device_info(HttpGet::Result& r);
  static size_t on_header(char* data, size_t size, size_t n, void* self) noexcept;
  static size_t on_body(char* data, size_t size, size_t n, void* self) noexcept;
  static void on_retry(evutil_socket_t, short, void* self) noexcept;
  static void on_picture_wait(evutil_socket_t, short, void* self) noexcept;

  event_base* m_base;
  CurlLoop& m_loop;
  const config::HikvisionSourceConfig& m_cfg;
  SourceSink m_sink;
  std::string m_base_url;
  std::string m_url;
  CurlEasyPtr m_easy;
  http::EventPtr m_retry_timer;
  http::EventPtr m_picture_timer; // an alert waits at most 2 s for its announced image parts (§2.5)
  HttpGet m_info_get;
  std::unique_ptr<SnapshotQueue> m_snapshots; // only with `snapshot: true`
  int m_info_tries = 0; // deviceInfo is optional (old firmware, missing right): give up after a few
  bool m_info_known = false;
  Backoff m_backoff{Backoff::Settings{}};
  std::mt19937 m_rng{std::random_device{}()};
  std::unique_ptr<parse::MultipartParser> m_parser;
  parse::HikvisionPartDecoder m_decoder;
  std::string m_content_type;
  bool m_in_transfer = false;
  bool m_stopped = false;
  bool m_got_bytes = false;
  std::uint64_t m_connects = 0;
};

} // namespace cam2mqtt::sources
