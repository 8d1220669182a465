#pragma once
// Start/end state of events from the outbound sources (PRODUCT.md "Start/end"): decides what is
// published. Pure (time comes in as arguments), loop thread only.
//
// * A start (`active: true`) opens an entry and is published; a repeat of an open entry only
//   refreshes it (Hikvision repeats `active` ~1/s) and is not published again.
// * An end (`active: false`) closes the entry and is published with durationMs (the device's, else
//   measured); a duplicate end (e.g. after a reconnect) is dropped. An end whose start was never
//   seen is published for sources with event ids (CVEDIA), dropped otherwise (Hikvision: the stale
//   timer already ended it).
// * sweep(): entries without a refresh for `stale` (no event id: Hikvision, which often never sends
//   `inactive`) or open longer than `max_open` (with event id: CVEDIA) end with endReason "timeout".
//   `stale` may be given per admit() (a source entry's event_timeout) and is kept with the entry.
// * One-shots (no `active`) are published once; repeats of the same key within the window are
//   dropped (Hikvision repeats, CVEDIA duplicates by event_id after a reconnect).
// * A start older than `max_age` (a backlog after an outage) does not switch anything on.
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/event.h"
#include "util/time_format.h"

namespace cam2mqtt::sources {

struct EventStateSettings {
  std::chrono::milliseconds stale{5000};
  std::chrono::milliseconds max_open{10 * 60 * 1000};
  std::chrono::milliseconds max_age{120 * 1000};
  std::chrono::milliseconds dedupe_window{10 * 60 * 1000}; // one-shots with an event id
  std::size_t max_entries = 10000;
};

struct StateStats {
  std::uint64_t refreshed = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t stale_starts = 0;
  std::uint64_t timeouts = 0;
};

class EventStateTracker {
public:
  explicit EventStateTracker(EventStateSettings settings = {}) : m_settings(settings) {}

  // Returns true when `ev` (possibly completed with durationMs) is to be published. `stale`
  // overrides the settings' stale time for this event's entry (nullopt: the settings').
  bool admit(const std::string& camera_key, model::Event& ev, util::SysMicros now,
             std::optional<std::chrono::milliseconds> stale = std::nullopt);
  // Ends what timed out; returns (camera key, end event) pairs to publish.
  std::vector<std::pair<std::string, model::Event>> sweep(util::SysMicros now);

  std::size_t open_count() const noexcept;
  const StateStats& stats() const noexcept { return m_stats; }

private:
  struct Entry {
    std::string camera;
    model::Event start; // what was published (images dropped)
    util::SysMicros opened;
    util::SysMicros last;
    bool open = false; // false: a one-shot or a closed pair remembered for de-duplication
    std::chrono::milliseconds stale{5000};
  };
  static std::string key_of(const std::string& camera_key, const model::Event& ev, bool pair);
  void remember(std::string key, Entry e);

  EventStateSettings m_settings;
  std::map<std::string, Entry> m_entries;
  StateStats m_stats;
};

} // namespace cam2mqtt::sources
