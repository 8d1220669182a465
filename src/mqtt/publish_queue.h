#pragma once
// The bookkeeping of every message between publish() and the broker's acknowledgement, for any
// transport: which one goes out next, what waits (and how much may), and how far the disk spool
// may forget. No threads, no locks, no clock of its own (callers pass `now`), no Paho:
// PahoPublisher guards it with its mutex and does the I/O.
//
// A message, once numbered (its seq is its spool record's key), is in exactly one place:
// - held: its not_before is in the future, or it was published behind a held one. Held messages
//   leave in publish order: one already due still waits behind earlier held ones (the sender's
//   way to keep related messages together). Bounded by Limits::held_max_*: past the bound the
//   oldest are released early.
// - queued: the OfflineQueue (bounded; the oldest are evicted and counted in dropped()).
// - in flight: handed to the transport, not yet acknowledged.
// - gone: acknowledged, failed for good, or evicted.
//
// Order: oldest first: the queue is in publish order; a held message, once due, goes out before
// newer queued ones, and one the transport lost or refused goes back to its place, before newer
// ones. So the queue's front is its oldest message and the bound evicts the oldest: the
// watermark relies on both (an older message behind a newer front was below the watermark, so
// the spool forgot it while it still waited).
// The transport's window is the caller's: it passes `room`, how many more messages the
// transport takes right now (0 while disconnected).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>

#include "mqtt/offline_queue.h"

namespace cam2mqtt::mqtt {

class PublishQueue {
public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    std::size_t max_messages = 100000; // the queue (mqtt.buffer.max_messages)
    std::size_t max_bytes = static_cast<std::size_t>(-1); // the queue (mqtt.buffer.max_bytes)
    // Held messages (a few seconds of one camera's first events, app/ha_observer.h).
    std::size_t held_max_messages = 1000;
    std::size_t held_max_bytes = 16 * 1024 * 1024;
  };

  explicit PublishQueue(Limits limits);

  // --- Numbering. Seqs start at 1; set the start from Spool::next_seq() before numbering.
  void set_next_seq(std::uint64_t seq) noexcept { m_next_seq = seq; }
  std::uint64_t next_seq() const noexcept { return m_next_seq; }
  // Gives `msg` the next seq (write it to the spool under that seq, then accept() it).
  QueuedMessage number(OutgoingMessage msg);
  // A record an earlier run left unacknowledged: queued (bounded), ahead of anything accepted.
  void restore(QueuedMessage q);

  // --- The sending side.
  // Takes a numbered message. Returns it when it should go to the transport right now (it is
  // then in flight): not held, nothing older waiting, room > 0. Otherwise keeps it (held or
  // queued) and returns nullopt.
  std::optional<QueuedMessage> accept(QueuedMessage q, Clock::time_point now, std::size_t room);
  // Releases the held messages that are due at `now` to the queue (call it on every tick, also
  // while disconnected), then returns the next message to send (now in flight) when room > 0.
  std::optional<QueuedMessage> next_to_send(Clock::time_point now, std::size_t room);
  // The transport refused `q` (from accept() or next_to_send()) for now: it is queued again at
  // its place, which is first unless older messages were put back meanwhile.
  void put_back(QueuedMessage q);

  // --- What the transport reports.
  // Delivered: the seq leaves the in-flight set. Unknown seqs are ignored (acknowledgements
  // may arrive in any order, and a refused or retried message may be reported again).
  void acknowledged(std::uint64_t seq);
  // Failed for good (a bad message): same as acknowledged, so that it cannot pin the watermark.
  void failed_permanently(std::uint64_t seq) { acknowledged(seq); }
  // Lost with a dropped connection, no telling whether the broker has it: queued again at its
  // place, to be sent again (at least once) before anything newer that waits.
  void failed_transiently(QueuedMessage q);

  // --- State.
  // The spool may forget every record below it: delivered, failed for good, evicted, or in
  // flight and older than an evicted one (the bound on what a restart replays). Never a waiting
  // one. It moves back when such an in-flight message is retried (the spool may still have it).
  std::uint64_t watermark() const;
  std::size_t queued() const noexcept { return m_queue.size(); }
  std::size_t queued_bytes() const noexcept { return m_queue.bytes(); }
  std::size_t held() const noexcept { return m_held.size(); }
  std::size_t inflight() const noexcept { return m_inflight.size(); }
  // Not handed to the transport yet (queued + held).
  std::size_t waiting() const noexcept { return m_queue.size() + m_held.size(); }
  // Not acknowledged yet (waiting + in flight): what the spool keeps at a stop.
  std::size_t pending() const noexcept { return waiting() + m_inflight.size(); }
  // Evicted from the queue since construction.
  std::uint64_t dropped() const noexcept { return m_dropped; }
  std::size_t capacity() const noexcept { return m_queue.capacity(); }
  std::size_t max_bytes() const noexcept { return m_queue.max_bytes(); }

  // --- The backlog after a reconnect, for one log line when it is gone.
  // The transport (re)connected: a backlog (queued or in flight) starts being timed.
  void connected(Clock::time_point now);
  // Once per backlog: how long it took, the first time it is called with the queue and the
  // in-flight set empty.
  std::optional<Clock::duration> backlog_cleared(Clock::time_point now);

private:
  void push(QueuedMessage q);
  void requeue(QueuedMessage q);
  void release_front_held();

  OfflineQueue m_queue; // in seq order
  std::deque<QueuedMessage> m_held; // in publish order
  std::size_t m_held_bytes = 0;
  std::size_t m_held_max_messages;
  std::size_t m_held_max_bytes;
  std::set<std::uint64_t> m_inflight;
  std::uint64_t m_next_seq = 1;
  std::uint64_t m_drop_floor = 0; // 1 + the newest evicted seq
  std::uint64_t m_dropped = 0;
  std::optional<Clock::time_point> m_backlog_since;
};

} // namespace cam2mqtt::mqtt
