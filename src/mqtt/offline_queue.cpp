#include "mqtt/offline_queue.h"

#include <utility>

namespace cam2mqtt::mqtt {

OfflineQueue::OfflineQueue(std::size_t max_messages) : m_max(max_messages == 0 ? 1 : max_messages) {}

bool OfflineQueue::push(OutgoingMessage msg) {
  bool evicted = false;
  if (m_messages.size() >= m_max) {
    m_messages.pop_front();
    evicted = true;
  }
  m_messages.push_back(std::move(msg));
  return evicted;
}

void OfflineQueue::push_front(OutgoingMessage msg) { m_messages.push_front(std::move(msg)); }

std::optional<OutgoingMessage> OfflineQueue::pop() {
  if (m_messages.empty()) {
    return std::nullopt;
  }
  OutgoingMessage msg = std::move(m_messages.front());
  m_messages.pop_front();
  return msg;
}

} // namespace cam2mqtt::mqtt
