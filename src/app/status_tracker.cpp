#include "app/status_tracker.h"

namespace cam2mqtt::app {

std::string event_summary(const model::Event& ev) {
  if (!ev.plateNumber.empty()) {
    return ev.plateNumber;
  }
  if (!ev.alarmName.empty()) {
    if (ev.active.has_value()) {
      return ev.alarmName + (*ev.active ? " on" : " off");
    }
    return ev.alarmName;
  }
  return ev.eventDescription;
}

void StatusTracker::on_event(const model::Event& ev, const encode::Envelope& env, const std::string&) {
  auto it = m_cameras.find(env.cameraKey);
  if (it == m_cameras.end()) {
    if (m_cameras.size() >= m_limits.max_cameras) {
      ++m_untracked;
      return;
    }
    it = m_cameras.emplace(env.cameraKey, TrackedCamera{}).first;
  }
  auto& cam = it->second;
  const std::string category(model::to_string(ev.category));
  ++cam.counts[category];

  auto& last = cam.last[category];
  m_image_bytes -= last.image_base64.size();
  last = TrackedEvent{ev.subtype, ev.eventType, event_summary(ev), env.receivedAt, {}, 0, 0};

  const auto& image = ev.targetImage ? ev.targetImage : ev.sourceImage;
  if (!image || image->base64.empty() || image->base64.size() > m_limits.max_image_bytes) {
    return;
  }
  while (m_image_bytes + image->base64.size() > m_limits.max_total_image_bytes && m_image_bytes > 0) {
    drop_oldest_image();
  }
  last.image_base64 = image->base64;
  last.image_width = image->width;
  last.image_height = image->height;
  m_image_bytes += last.image_base64.size();
}

void StatusTracker::drop_oldest_image() {
  TrackedEvent* oldest = nullptr;
  for (auto& [key, cam] : m_cameras) {
    for (auto& [category, ev] : cam.last) {
      if (!ev.image_base64.empty() && (oldest == nullptr || ev.received_at < oldest->received_at)) {
        oldest = &ev;
      }
    }
  }
  if (oldest == nullptr) {
    m_image_bytes = 0;
    return;
  }
  m_image_bytes -= oldest->image_base64.size();
  oldest->image_base64.clear();
  oldest->image_base64.shrink_to_fit();
}

} // namespace cam2mqtt::app
