#pragma once
// sources.hikvision[].snapshot (hikvision-isapi.md §5): an event that brings no picture gets one
// from GET /ISAPI/Streaming/channels/<ch>01/picture, attached as its source image. Bounded: one
// fetch in flight per camera, a total timeout and a size cap; a fetch that fails, times out or
// answers something that is not a JPEG (an XML ResponseStatus) lets the event go without it.
// Messages behind a waiting event wait too, so nothing is reordered. Repeats of an event seen
// within `repeat_window` (and ends) are not worth a picture and fetch nothing. stop() lets every
// waiting message go at once, without its picture, so a shutdown loses none. Loop thread only.
#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <utility>

#include "sources/http_get.h"
#include "sources/source_sink.h"
#include "util/time_format.h"

namespace cam2mqtt::sources {

class SnapshotQueue {
public:
  struct Settings {
    std::string base_url; // http(s)://host[:port], no trailing slash
    std::chrono::milliseconds timeout{5000};
    std::size_t max_bytes = 4 * 1024 * 1024;
    std::chrono::milliseconds repeat_window{5000};
    std::size_t max_queued = 256; // beyond this, messages pass without waiting
  };
  struct Stats {
    std::uint64_t fetched = 0;
    std::uint64_t failed = 0;
    std::uint64_t stopped = 0; // published without their picture because the queue was stopped
  };

  SnapshotQueue(CurlLoop& loop, Settings settings, HttpGet::Setup setup, SourceSink sink);
  ~SnapshotQueue();
  SnapshotQueue(const SnapshotQueue&) = delete;
  SnapshotQueue& operator=(const SnapshotQueue&) = delete;

  // Delivers `msg` now, or once the snapshot it (or a message ahead of it) waits for is settled.
  void push(model::Message msg, SourceCamera cam, util::SysMicros now);
  // Cancels the fetch in flight and hands every waiting message to the sink now, in order, without
  // a picture; later pushes go straight to the sink. Call before the publisher stops.
  void stop();
  const Stats& stats() const noexcept { return m_stats; }
  // The picture URL of a channel ("" or "0": channel 1).
  static std::string picture_url(const std::string& base_url, const std::string& channel);

private:
  struct Queued {
    model::Message msg;
    SourceCamera cam;
    bool wants_picture = false;
  };
  bool wants_picture(const model::Message& msg, util::SysMicros now);
  void pump();
  void on_fetched(HttpGet::Result& r);

  Settings m_settings;
  HttpGet m_get;
  HttpGet::Setup m_setup;
  SourceSink m_sink;
  std::deque<Queued> m_queue;
  std::map<std::string, util::SysMicros> m_recent; // event identity -> last seen
  Stats m_stats;
  bool m_stopped = false;
};

} // namespace cam2mqtt::sources
