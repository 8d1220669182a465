#pragma once
// CVEDIA-RT events and their crops, joined and de-duplicated before they are published
// (cvedia-rt-sse.md §6-§7, PRODUCT.md "Images"). Pure: the time comes in as an argument; one
// joiner per instance, loop thread only.
//
// * An event with an event_id (not an `-end`) waits up to crop_wait for a crop whose
//   ref_event_id names it. The crop becomes its target image and the event is released at once;
//   when the wait runs out it is released without one. crop_wait 0: events never wait.
// * A crop that comes before its event is kept (max(crop_wait, crop_hold_min)) for it. A crop
//   for an event already released, a second crop, or one whose event never comes is dropped and
//   counted; so is a crop without ref_event_id or without a usable JPEG.
// * An `-end` releases its waiting start first, so the pair keeps its order. Ends never wait.
// * No duplicates: `id:` restarts per connection, so an event whose name + event_id was
//   released in the last dedupe_window (or is waiting) is dropped: a stream replayed after a
//   reconnect publishes nothing twice. Start and `-end` have different names: both pass.
// * Events without an event_id (tracks) pass at once, unjoined and not de-duplicated.
// * At stop, release_waiting() lets every waiting event go without its crop, in arrival order,
//   as if crop_wait had run out: an event the server delivered is never lost to a shutdown.
//   drop_held_crops() then drops the crops still held for events that can no longer come,
//   counted (crops_shutdown) like every other crop that is not published.
//   A reconnect needs nothing: the joiner outlives the connection, waiting events keep waiting
//   (their crop may still come on the new one) and a replay of them is a duplicate.
// * Memory is bounded: max_waiting events, max_crops crops (max_crop_bytes of base64), max_ids
//   remembered ids; past a bound the oldest goes first (released, or dropped and counted).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "parse/cvedia_decoder.h"

namespace cam2mqtt::sources {

struct CropJoinerSettings {
  std::chrono::milliseconds crop_wait{1000};
  std::chrono::milliseconds crop_hold_min{1000};
  std::chrono::milliseconds dedupe_window{10 * 60 * 1000};
  std::size_t max_ids = 10000;
  std::size_t max_waiting = 1000;
  std::size_t max_crops = 64;
  std::size_t max_crop_bytes = 32 * 1024 * 1024;
};

struct CropJoinerStats {
  std::uint64_t duplicates = 0;      // events dropped as already released
  std::uint64_t crops_joined = 0;
  std::uint64_t waited_out = 0;      // events released without a crop after waiting crop_wait
  std::uint64_t crops_late = 0;      // the event was already released (or had its crop)
  std::uint64_t crops_orphaned = 0;  // no event came for it within the hold (or memory bound)
  std::uint64_t crops_unusable = 0;  // no ref_event_id, or no JPEG in it
  std::uint64_t crops_shutdown = 0;  // still held for an event that had not come when the source stopped
  std::uint64_t overflow = 0;        // events released early because max_waiting was reached
};

// Keys seen within a window, at most `max` of them (the oldest is forgotten first).
class RecentKeys {
public:
  using Clock = std::chrono::steady_clock;
  RecentKeys(std::chrono::milliseconds window, std::size_t max) : m_window(window), m_max(max) {}
  bool contains(const std::string& key, Clock::time_point now) const;
  void add(const std::string& key, Clock::time_point now);
  void prune(Clock::time_point now);
  std::size_t size() const noexcept { return m_keys.size(); }

private:
  std::chrono::milliseconds m_window;
  std::size_t m_max;
  std::unordered_map<std::string, Clock::time_point> m_keys;
  std::deque<std::pair<std::string, Clock::time_point>> m_order;
};

class CropJoiner {
public:
  using Clock = std::chrono::steady_clock;
  explicit CropJoiner(CropJoinerSettings settings = {});

  // An event, track or crop record (liveness records are the caller's). Events released by it
  // are appended to `out` in publishing order.
  void on_record(parse::CvediaRecord rec, Clock::time_point now, std::vector<model::Event>& out);
  // Releases events whose wait is over and drops crops held too long.
  void expire(Clock::time_point now, std::vector<model::Event>& out);
  // Releases every waiting event now, without its crop, in arrival order (counted as
  // waited_out, exactly as if crop_wait had run out). Held crops stay until they expire.
  void release_waiting(Clock::time_point now, std::vector<model::Event>& out);
  // Drops every held crop, counted as crops_shutdown: at stop, when their event cannot come.
  void drop_held_crops();
  // When expire() has work next; nullopt when nothing waits.
  std::optional<Clock::time_point> next_deadline() const;

  std::size_t waiting() const noexcept { return m_waiting.size(); }
  std::size_t crops_held() const noexcept { return m_crops.size(); }
  const CropJoinerStats& stats() const noexcept { return m_stats; }

private:
  struct Waiting {
    std::string key;
    model::Event event;
    Clock::time_point deadline;
  };
  struct HeldCrop {
    model::Image image;
    Clock::time_point deadline;
  };
  void on_event(parse::CvediaRecord rec, Clock::time_point now, std::vector<model::Event>& out);
  void on_crop(parse::CvediaRecord rec, Clock::time_point now, std::vector<model::Event>& out);
  void release(std::deque<Waiting>::iterator it, Clock::time_point now, std::vector<model::Event>& out);
  void release(model::Event ev, const std::string& key, Clock::time_point now, std::vector<model::Event>& out);
  void hold_crop(const std::string& ref, model::Image image, Clock::time_point now);
  std::optional<model::Image> take_crop(const std::string& event_id);

  CropJoinerSettings m_s;
  std::deque<Waiting> m_waiting;            // arrival order
  std::map<std::string, HeldCrop> m_crops;  // by ref_event_id
  std::size_t m_crop_bytes = 0;
  RecentKeys m_released;     // name + event_id of released events (de-duplication)
  RecentKeys m_released_ids; // event_id alone (a crop for it is late)
  CropJoinerStats m_stats;
};

} // namespace cam2mqtt::sources
