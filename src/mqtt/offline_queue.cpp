#include "mqtt/offline_queue.h"

#include <cstddef>
#include <iterator>
#include <utility>

namespace cam2mqtt::mqtt {

OfflineQueue::OfflineQueue(std::size_t max_messages, std::size_t max_bytes)
    : m_max(max_messages == 0 ? 1 : max_messages), m_max_bytes(max_bytes == 0 ? 1 : max_bytes) {}

OfflineQueue::Evicted OfflineQueue::push(QueuedMessage msg) {
  auto at = m_messages.end();
  while (at != m_messages.begin() && std::prev(at)->seq > msg.seq) {
    --at;
  }
  m_bytes += size_of(msg.msg);
  m_messages.insert(at, std::move(msg));
  // Evicting after inserting drops the oldest, whichever that is; the last one always stays.
  Evicted evicted;
  while (m_messages.size() > 1 && (m_messages.size() > m_max || m_bytes > m_max_bytes)) {
    evicted.last_seq = m_messages.front().seq;
    ++evicted.count;
    m_bytes -= size_of(m_messages.front().msg);
    m_messages.pop_front();
  }
  return evicted;
}

void OfflineQueue::insert(std::size_t index, QueuedMessage msg) {
  m_bytes += size_of(msg.msg);
  m_messages.insert(m_messages.begin() + static_cast<std::ptrdiff_t>(index), std::move(msg));
}

std::optional<QueuedMessage> OfflineQueue::pop() {
  if (m_messages.empty()) {
    return std::nullopt;
  }
  QueuedMessage msg = std::move(m_messages.front());
  m_messages.pop_front();
  m_bytes -= size_of(msg.msg);
  return msg;
}

std::optional<std::uint64_t> OfflineQueue::front_seq() const {
  if (m_messages.empty()) {
    return std::nullopt;
  }
  return m_messages.front().seq;
}

} // namespace cam2mqtt::mqtt
