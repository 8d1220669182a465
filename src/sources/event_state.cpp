#include "sources/event_state.h"

#include "util/strings.h"

namespace cam2mqtt::sources {

namespace {
std::chrono::milliseconds since(util::SysMicros then, util::SysMicros now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - then);
}
} // namespace

std::string EventStateTracker::key_of(const std::string& camera_key, const model::Event& ev, bool pair) {
  // A start and its end share the device's event id (CVEDIA: event-x / event-x-end); without
  // one (Hikvision) the identity is channel + type + region.
  if (!ev.eventId.empty()) {
    return camera_key + "\n" + (pair ? std::string("pair") : util::to_lower(ev.eventType)) + "\n" + ev.eventId;
  }
  return camera_key + "\n" + ev.device.channelId + "\n" + util::to_lower(ev.eventType) + "\n" + ev.regionId;
}

void EventStateTracker::remember(std::string key, Entry e) {
  if (m_entries.size() >= m_settings.max_entries && m_entries.find(key) == m_entries.end()) {
    // Bounded: forget the entry seen least recently.
    auto oldest = m_entries.begin();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
      if (it->second.last < oldest->second.last) {
        oldest = it;
      }
    }
    m_entries.erase(oldest);
  }
  e.start.sourceImage.reset();
  e.start.targetImage.reset();
  m_entries[std::move(key)] = std::move(e);
}

bool EventStateTracker::admit(const std::string& camera_key, model::Event& ev, util::SysMicros now,
                              std::optional<std::chrono::milliseconds> stale) {
  const auto stale_for = stale.value_or(m_settings.stale);
  const bool pair = ev.active.has_value();
  const auto key = key_of(camera_key, ev, pair);
  auto it = m_entries.find(key);

  if (!pair) { // one-shot
    const auto window = ev.eventId.empty() ? stale_for : m_settings.dedupe_window;
    if (it != m_entries.end() && since(it->second.last, now) < window) {
      if (ev.eventId.empty()) {
        it->second.last = now; // a Hikvision repeat keeps the activation alive
        ++m_stats.refreshed;
      } else {
        ++m_stats.duplicates;
      }
      return false;
    }
    remember(key, Entry{camera_key, ev, now, now, false, stale_for});
    return true;
  }

  if (*ev.active) {
    if (it != m_entries.end() && it->second.open) {
      it->second.last = now;
      ++m_stats.refreshed;
      return false;
    }
    if (it != m_entries.end() && !ev.eventId.empty() && since(it->second.last, now) < m_settings.dedupe_window) {
      ++m_stats.duplicates; // a start replayed after its end
      return false;
    }
    if (ev.deviceTime && since(*ev.deviceTime, now) > m_settings.max_age) {
      ++m_stats.stale_starts;
      return false;
    }
    remember(key, Entry{camera_key, ev, now, now, true, stale_for});
    return true;
  }

  // An end.
  if (it != m_entries.end() && it->second.open) {
    if (!ev.durationMs) {
      ev.durationMs = since(it->second.opened, now).count();
    }
    it->second.open = false;
    it->second.last = now;
    return true;
  }
  if (it != m_entries.end()) {
    ++m_stats.duplicates;
    return false;
  }
  if (ev.eventId.empty()) {
    return false; // Hikvision: already ended by the stale timer (or never started here)
  }
  remember(key, Entry{camera_key, ev, now, now, false, stale_for});
  return true;
}

std::vector<std::pair<std::string, model::Event>> EventStateTracker::sweep(util::SysMicros now) {
  std::vector<std::pair<std::string, model::Event>> out;
  for (auto it = m_entries.begin(); it != m_entries.end();) {
    Entry& e = it->second;
    const bool by_id = !e.start.eventId.empty();
    if (e.open) {
      const bool expired = by_id ? since(e.opened, now) >= m_settings.max_open : since(e.last, now) >= e.stale;
      if (expired) {
        model::Event end = e.start;
        end.active = false;
        end.endReason = "timeout";
        end.durationMs = since(e.opened, by_id ? now : e.last).count();
        ++m_stats.timeouts;
        out.emplace_back(e.camera, std::move(end));
        e.open = false;
        e.last = now;
      }
      ++it;
      continue;
    }
    const auto keep = by_id ? m_settings.dedupe_window : e.stale;
    if (since(e.last, now) >= keep) {
      it = m_entries.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::size_t EventStateTracker::open_count() const noexcept {
  std::size_t n = 0;
  for (const auto& [key, e] : m_entries) {
    n += e.open ? 1 : 0;
  }
  return n;
}

} // namespace cam2mqtt::sources
