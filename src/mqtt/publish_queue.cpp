#include "mqtt/publish_queue.h"

#include <algorithm>
#include <utility>

namespace cam2mqtt::mqtt {

PublishQueue::PublishQueue(Limits limits)
    : m_queue(limits.max_messages, limits.max_bytes), m_held_max_messages(limits.held_max_messages),
      m_held_max_bytes(limits.held_max_bytes) {}

QueuedMessage PublishQueue::number(OutgoingMessage msg) { return QueuedMessage{m_next_seq++, std::move(msg)}; }

void PublishQueue::restore(QueuedMessage q) {
  m_next_seq = std::max(m_next_seq, q.seq + 1);
  push(std::move(q));
}

std::optional<QueuedMessage> PublishQueue::accept(QueuedMessage q, Clock::time_point now, std::size_t room) {
  // Held messages wait aside (spooled already), so they hold up nothing else. One whose time
  // has come still queues behind held ones: the sender holds related messages together.
  if (q.msg.not_before != Clock::time_point{} && (q.msg.not_before > now || !m_held.empty())) {
    m_held_bytes += OfflineQueue::size_of(q.msg);
    m_held.push_back(std::move(q));
    // Bounded: past the bound the oldest held messages go to the queue early (and its bound).
    while (m_held.size() > m_held_max_messages || m_held_bytes > m_held_max_bytes) {
      release_front_held();
    }
    return std::nullopt;
  }
  // Straight to the transport only when nothing older is waiting, so order is kept.
  if (room > 0 && m_queue.empty()) {
    m_inflight.insert(q.seq); // before the transport sees it: its acknowledgement may be quick
    return q;
  }
  push(std::move(q));
  return std::nullopt;
}

std::optional<QueuedMessage> PublishQueue::next_to_send(Clock::time_point now, std::size_t room) {
  // Held messages whose time has come join the queue at their place, before newer ones.
  while (!m_held.empty() && m_held.front().msg.not_before <= now) {
    release_front_held();
  }
  if (room == 0 || m_queue.empty()) {
    return std::nullopt;
  }
  auto q = m_queue.pop();
  m_inflight.insert(q->seq);
  return q;
}

void PublishQueue::put_back(QueuedMessage q) { requeue(std::move(q)); }

void PublishQueue::acknowledged(std::uint64_t seq) { m_inflight.erase(seq); }

void PublishQueue::failed_transiently(QueuedMessage q) { requeue(std::move(q)); }

std::uint64_t PublishQueue::watermark() const {
  // Below the drop floor the spool may forget what was evicted and what is in flight (a restart
  // must not replay more than the bound), never a waiting message: one can be older than the
  // floor (held while newer ones were evicted, or retried). So the floor raises the in-flight
  // bound only, and the oldest queued and held (their fronts: both are in seq order) cap it.
  std::uint64_t w = m_inflight.empty() ? m_next_seq : *m_inflight.begin();
  w = std::max(w, m_drop_floor); // the floor is at most m_next_seq
  if (const auto front = m_queue.front_seq()) {
    w = std::min(w, *front);
  }
  if (!m_held.empty()) {
    w = std::min(w, m_held.front().seq);
  }
  return w;
}

void PublishQueue::connected(Clock::time_point now) {
  if (!m_queue.empty() || !m_inflight.empty()) {
    m_backlog_since = now;
  }
}

std::optional<PublishQueue::Clock::duration> PublishQueue::backlog_cleared(Clock::time_point now) {
  if (!m_backlog_since || !m_queue.empty() || !m_inflight.empty()) {
    return std::nullopt;
  }
  const auto took = now - *m_backlog_since;
  m_backlog_since.reset();
  return took;
}

void PublishQueue::push(QueuedMessage q) {
  // At its seq position, then the oldest queued are evicted past the bound.
  const auto evicted = m_queue.push(std::move(q));
  if (evicted.count == 0) {
    return;
  }
  m_dropped += evicted.count;
  m_drop_floor = std::max(m_drop_floor, evicted.last_seq + 1);
}

void PublishQueue::requeue(QueuedMessage q) {
  // The seq moves from the in-flight set to the queue at once, so the watermark stays pinned.
  m_inflight.erase(q.seq);
  // At its seq position, searched from the front: what comes back is usually the oldest (and
  // failures are reported in any order). Never evicts: the next push() restores the bound.
  std::size_t at = 0;
  while (at < m_queue.size() && m_queue.seq_at(at) <= q.seq) {
    ++at;
  }
  m_queue.insert(at, std::move(q));
}

void PublishQueue::release_front_held() {
  m_held_bytes -= OfflineQueue::size_of(m_held.front().msg);
  push(std::move(m_held.front()));
  m_held.pop_front();
}

} // namespace cam2mqtt::mqtt
