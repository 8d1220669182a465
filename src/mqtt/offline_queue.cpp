#include "mqtt/offline_queue.h"

#include <cstddef>
#include <utility>

namespace cam2mqtt::mqtt {

OfflineQueue::OfflineQueue(std::size_t max_messages, std::size_t max_bytes)
    : m_max(max_messages == 0 ? 1 : max_messages), m_max_bytes(max_bytes == 0 ? 1 : max_bytes) {}

OfflineQueue::Evicted OfflineQueue::push(QueuedMessage msg) {
  Evicted evicted;
  const std::size_t size = size_of(msg.msg);
  while (!m_messages.empty() && (m_messages.size() >= m_max || m_bytes + size > m_max_bytes)) {
    evicted.last_seq = m_messages.front().seq;
    ++evicted.count;
    m_bytes -= size_of(m_messages.front().msg);
    m_messages.pop_front();
  }
  m_bytes += size;
  m_messages.push_back(std::move(msg));
  return evicted;
}

void OfflineQueue::push_front(QueuedMessage msg) {
  m_bytes += size_of(msg.msg);
  m_messages.push_front(std::move(msg));
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
