#pragma once
// The bounded queue in front of Paho: messages wait here while the broker is away (or while
// Paho already holds a full window). Each entry carries the sequence number it has in the disk
// spool (0 when there is none); push() keeps the queue in seq order, so its front is the oldest
// message. Bounded by a message count and a byte count (topic + payload); when a push exceeds
// either, the oldest messages are evicted and reported. A single message larger than the byte
// bound is still kept, alone.
// Not thread-safe: PahoPublisher guards it with its mutex.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "mqtt/publisher.h"

namespace cam2mqtt::mqtt {

struct QueuedMessage {
  std::uint64_t seq = 0;
  OutgoingMessage msg;
};

class OfflineQueue {
public:
  explicit OfflineQueue(std::size_t max_messages,
                        std::size_t max_bytes = static_cast<std::size_t>(-1));

  struct Evicted {
    std::size_t count = 0;
    std::uint64_t last_seq = 0; // seq of the newest evicted message
  };
  // Adds `msg` at its seq position (after equal seqs), then evicts the oldest messages, possibly
  // `msg` itself, until both bounds hold; reports them. The search starts at the back: a new
  // message is the newest.
  Evicted push(QueuedMessage msg);
  Evicted push(OutgoingMessage msg) { return push(QueuedMessage{0, std::move(msg)}); }
  // Inserts before the message at `index` (<= size()); never evicts. For putting messages back
  // at their seq position (PublishQueue's retries).
  void insert(std::size_t index, QueuedMessage msg);
  // seq of the message at `index` (< size()).
  std::uint64_t seq_at(std::size_t index) const { return m_messages[index].seq; }
  std::optional<QueuedMessage> pop();
  // seq of the oldest message; nullopt when empty.
  std::optional<std::uint64_t> front_seq() const;
  bool empty() const noexcept { return m_messages.empty(); }
  std::size_t size() const noexcept { return m_messages.size(); }
  std::size_t bytes() const noexcept { return m_bytes; }
  std::size_t capacity() const noexcept { return m_max; }
  std::size_t max_bytes() const noexcept { return m_max_bytes; }

  static std::size_t size_of(const OutgoingMessage& msg) noexcept {
    return msg.topic.size() + msg.payload.size();
  }

private:
  std::size_t m_max;
  std::size_t m_max_bytes;
  std::size_t m_bytes = 0;
  std::deque<QueuedMessage> m_messages;
};

} // namespace cam2mqtt::mqtt
