#pragma once
// Shared by the PublishQueue unit tests: the test plays the transport (room, acknowledgements,
// failures) and the clock (`now`).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mqtt/publish_queue.h"

namespace publish_queue_test {

using namespace std::chrono_literals;
using cam2mqtt::mqtt::OutgoingMessage;
using cam2mqtt::mqtt::PublishQueue;
using cam2mqtt::mqtt::QueuedMessage;
using Clock = PublishQueue::Clock;


inline const Clock::time_point t0 = Clock::now();
constexpr std::size_t k_room = 1000; // the transport takes everything
constexpr std::size_t k_no_room = 0; // disconnected, or its window is full

inline PublishQueue::Limits limits(std::size_t max_messages, std::size_t held_max = 1000) {
  PublishQueue::Limits l;
  l.max_messages = max_messages;
  l.held_max_messages = held_max;
  return l;
}

inline OutgoingMessage msg(const std::string& payload, std::optional<Clock::time_point> not_before = {}) {
  OutgoingMessage m{"t", payload, 1, false};
  if (not_before) {
    m.not_before = *not_before;
  }
  return m;
}

// publish() as the glue does it: number, then accept. Returns the seq and whether it went
// straight to the transport.
struct Published {
  std::uint64_t seq;
  bool sent_now;
};
inline Published publish(PublishQueue& q, OutgoingMessage m, std::size_t room, Clock::time_point now = t0) {
  auto numbered = q.number(std::move(m));
  const auto seq = numbered.seq;
  const auto now_msg = q.accept(std::move(numbered), now, room);
  if (now_msg) {
    CHECK(now_msg->seq == seq);
  }
  return {seq, now_msg.has_value()};
}

// Everything next_to_send() hands out at `now` (each becomes in flight), as payloads.
inline std::vector<std::string> send_all(PublishQueue& q, Clock::time_point now = t0, std::size_t room = k_room) {
  std::vector<std::string> out;
  while (out.size() < room) {
    auto m = q.next_to_send(now, room - out.size());
    if (!m) {
      break;
    }
    out.push_back(m->msg.payload);
  }
  return out;
}

using Payloads = std::vector<std::string>;

} // namespace publish_queue_test
