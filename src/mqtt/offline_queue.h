#pragma once
// The bounded FIFO in front of Paho: messages wait here while the broker is away (or while
// Paho already holds a full window). When full, the oldest message is evicted and counted.
// Not thread-safe: PahoPublisher guards it with its mutex. A later issue may back this with a
// disk spool; it is the single place where offline messages live.
#include <cstddef>
#include <deque>
#include <optional>

#include "mqtt/publisher.h"

namespace cam2mqtt::mqtt {

class OfflineQueue {
public:
  explicit OfflineQueue(std::size_t max_messages);

  // Appends; returns true when the oldest message had to be evicted to make room.
  bool push(OutgoingMessage msg);
  // Puts back a message just popped (Paho refused it for now); never evicts.
  void push_front(OutgoingMessage msg);
  std::optional<OutgoingMessage> pop();
  bool empty() const noexcept { return m_messages.empty(); }
  std::size_t size() const noexcept { return m_messages.size(); }
  std::size_t capacity() const noexcept { return m_max; }

private:
  std::size_t m_max;
  std::deque<OutgoingMessage> m_messages;
};

} // namespace cam2mqtt::mqtt
