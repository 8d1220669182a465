#include "sources/crop_joiner.h"

#include <algorithm>

#include "util/strings.h"

namespace cam2mqtt::sources {

bool RecentKeys::contains(const std::string& key, Clock::time_point now) const {
  const auto it = m_keys.find(key);
  return it != m_keys.end() && now - it->second < m_window;
}

void RecentKeys::add(const std::string& key, Clock::time_point now) {
  m_keys[key] = now;
  m_order.emplace_back(key, now);
  prune(now);
}

void RecentKeys::prune(Clock::time_point now) {
  while (!m_order.empty() && (m_order.size() > m_max || now - m_order.front().second >= m_window)) {
    const auto& [key, when] = m_order.front();
    const auto it = m_keys.find(key);
    if (it != m_keys.end() && it->second == when) { // not re-added since
      m_keys.erase(it);
    }
    m_order.pop_front();
  }
}

CropJoiner::CropJoiner(CropJoinerSettings settings)
    : m_s(settings), m_released(settings.dedupe_window, settings.max_ids),
      m_released_ids(settings.dedupe_window, settings.max_ids) {}

void CropJoiner::on_record(parse::CvediaRecord rec, Clock::time_point now, std::vector<model::Event>& out) {
  expire(now, out);
  switch (rec.kind) {
  case parse::CvediaRecord::Kind::crop:
    on_crop(std::move(rec), now, out);
    break;
  case parse::CvediaRecord::Kind::event:
  case parse::CvediaRecord::Kind::track:
    on_event(std::move(rec), now, out);
    break;
  case parse::CvediaRecord::Kind::liveness:
    break;
  }
}

void CropJoiner::on_event(parse::CvediaRecord rec, Clock::time_point now, std::vector<model::Event>& out) {
  model::Event& ev = rec.event;
  if (ev.eventId.empty()) {
    out.push_back(std::move(ev));
    return;
  }
  const std::string key = util::to_lower(rec.name) + "\n" + ev.eventId;
  const bool waiting_already =
      std::any_of(m_waiting.begin(), m_waiting.end(), [&](const Waiting& w) { return w.key == key; });
  if (waiting_already || m_released.contains(key, now)) {
    ++m_stats.duplicates;
    return;
  }
  if (rec.end) { // its start goes first
    const auto start = std::find_if(m_waiting.begin(), m_waiting.end(),
                                    [&](const Waiting& w) { return w.event.eventId == ev.eventId; });
    if (start != m_waiting.end()) {
      ++m_stats.waited_out;
      release(start, now, out);
    }
  }
  if (auto crop = take_crop(ev.eventId)) {
    ev.targetImage = std::move(*crop);
    ++m_stats.crops_joined;
    release(std::move(ev), key, now, out);
    return;
  }
  if (rec.end || m_s.crop_wait.count() <= 0 || m_released_ids.contains(ev.eventId, now)) {
    release(std::move(ev), key, now, out);
    return;
  }
  if (m_waiting.size() >= m_s.max_waiting) {
    ++m_stats.overflow;
    release(m_waiting.begin(), now, out);
  }
  m_waiting.push_back(Waiting{key, std::move(ev), now + m_s.crop_wait});
}

void CropJoiner::on_crop(parse::CvediaRecord rec, Clock::time_point now, std::vector<model::Event>& out) {
  if (rec.ref_event_id.empty() || !rec.crop) {
    ++m_stats.crops_unusable;
    return;
  }
  const auto it = std::find_if(m_waiting.begin(), m_waiting.end(),
                               [&](const Waiting& w) { return w.event.eventId == rec.ref_event_id; });
  if (it != m_waiting.end()) {
    it->event.targetImage = std::move(rec.crop);
    ++m_stats.crops_joined;
    release(it, now, out);
    return;
  }
  if (m_released_ids.contains(rec.ref_event_id, now) || m_crops.count(rec.ref_event_id) != 0) {
    ++m_stats.crops_late;
    return;
  }
  hold_crop(rec.ref_event_id, std::move(*rec.crop), now);
}

void CropJoiner::hold_crop(const std::string& ref, model::Image image, Clock::time_point now) {
  const auto size = image.base64.size();
  while (!m_crops.empty() && (m_crops.size() >= m_s.max_crops || m_crop_bytes + size > m_s.max_crop_bytes)) {
    auto oldest = std::min_element(m_crops.begin(), m_crops.end(), [](const auto& a, const auto& b) {
      return a.second.deadline < b.second.deadline;
    });
    m_crop_bytes -= oldest->second.image.base64.size();
    m_crops.erase(oldest);
    ++m_stats.crops_orphaned;
  }
  if (size > m_s.max_crop_bytes) {
    ++m_stats.crops_orphaned;
    return;
  }
  m_crop_bytes += size;
  m_crops.emplace(ref, HeldCrop{std::move(image), now + std::max(m_s.crop_wait, m_s.crop_hold_min)});
}

std::optional<model::Image> CropJoiner::take_crop(const std::string& event_id) {
  const auto it = m_crops.find(event_id);
  if (it == m_crops.end()) {
    return std::nullopt;
  }
  model::Image image = std::move(it->second.image);
  m_crop_bytes -= image.base64.size();
  m_crops.erase(it);
  return image;
}

void CropJoiner::release(std::deque<Waiting>::iterator it, Clock::time_point now, std::vector<model::Event>& out) {
  Waiting w = std::move(*it);
  m_waiting.erase(it);
  release(std::move(w.event), w.key, now, out);
}

void CropJoiner::release(model::Event ev, const std::string& key, Clock::time_point now,
                         std::vector<model::Event>& out) {
  m_released.add(key, now);
  m_released_ids.add(ev.eventId, now);
  out.push_back(std::move(ev));
}

void CropJoiner::expire(Clock::time_point now, std::vector<model::Event>& out) {
  while (!m_waiting.empty() && m_waiting.front().deadline <= now) {
    ++m_stats.waited_out;
    release(m_waiting.begin(), now, out);
  }
  for (auto it = m_crops.begin(); it != m_crops.end();) {
    if (it->second.deadline <= now) {
      m_crop_bytes -= it->second.image.base64.size();
      it = m_crops.erase(it);
      ++m_stats.crops_orphaned;
    } else {
      ++it;
    }
  }
  m_released.prune(now);
  m_released_ids.prune(now);
}

void CropJoiner::release_waiting(Clock::time_point now, std::vector<model::Event>& out) {
  while (!m_waiting.empty()) {
    ++m_stats.waited_out;
    release(m_waiting.begin(), now, out);
  }
}

void CropJoiner::drop_held_crops() {
  m_stats.crops_shutdown += m_crops.size();
  m_crops.clear();
  m_crop_bytes = 0;
}

std::optional<CropJoiner::Clock::time_point> CropJoiner::next_deadline() const {
  std::optional<Clock::time_point> next;
  if (!m_waiting.empty()) {
    next = m_waiting.front().deadline;
  }
  for (const auto& [ref, crop] : m_crops) {
    if (!next || crop.deadline < *next) {
      next = crop.deadline;
    }
  }
  return next;
}

} // namespace cam2mqtt::sources
