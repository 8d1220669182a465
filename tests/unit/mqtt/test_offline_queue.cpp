#include <catch2/catch.hpp>

#include "mqtt/offline_queue.h"

using cam2mqtt::mqtt::OfflineQueue;
using cam2mqtt::mqtt::OutgoingMessage;
using cam2mqtt::mqtt::QueuedMessage;

namespace {
OutgoingMessage m(const std::string& payload) { return OutgoingMessage{"t", payload, 1, false}; }
QueuedMessage q(std::uint64_t seq, std::size_t payload_bytes) {
  return QueuedMessage{seq, OutgoingMessage{"t", std::string(payload_bytes, 'x'), 1, false}};
}
} // namespace

TEST_CASE("offline queue keeps order and evicts the oldest when full", "[mqtt]") {
  OfflineQueue q(3);
  CHECK(q.push(m("1")).count == 0);
  CHECK(q.push(m("2")).count == 0);
  CHECK(q.push(m("3")).count == 0);
  CHECK(q.push(m("4")).count == 1); // evicts "1"
  CHECK(q.size() == 3);
  CHECK(q.pop()->msg.payload == "2");
  q.insert(0, QueuedMessage{0, m("2")});
  CHECK(q.pop()->msg.payload == "2");
  CHECK(q.pop()->msg.payload == "3");
  CHECK(q.pop()->msg.payload == "4");
  CHECK_FALSE(q.pop().has_value());
  CHECK(q.empty());
  CHECK(q.bytes() == 0);
}

TEST_CASE("offline queue of capacity 0 still holds the newest message", "[mqtt]") {
  OfflineQueue q(0);
  CHECK(q.capacity() == 1);
  q.push(m("a"));
  CHECK(q.push(m("b")).count == 1);
  CHECK(q.pop()->msg.payload == "b");
}

TEST_CASE("offline queue bound by bytes evicts as many of the oldest as needed", "[mqtt]") {
  OfflineQueue queue(100, 1000); // each entry: 1 byte topic + payload
  CHECK(queue.push(q(1, 299)).count == 0);
  CHECK(queue.push(q(2, 299)).count == 0);
  CHECK(queue.push(q(3, 299)).count == 0);
  CHECK(queue.bytes() == 900);
  CHECK(queue.front_seq() == 1U);
  const auto ev = queue.push(q(4, 599)); // needs 600: 1 and 2 go
  CHECK(ev.count == 2);
  CHECK(ev.last_seq == 2);
  CHECK(queue.size() == 2);
  CHECK(queue.bytes() == 900);
  CHECK(queue.front_seq() == 3U);
}

TEST_CASE("a message larger than the byte bound is kept alone", "[mqtt]") {
  OfflineQueue queue(100, 1000);
  queue.push(q(1, 10));
  const auto ev = queue.push(q(2, 5000));
  CHECK(ev.count == 1);
  CHECK(queue.size() == 1);
  CHECK(queue.front_seq() == 2U);
  CHECK(queue.push(q(3, 10)).count == 1);
  CHECK(queue.front_seq() == 3U);
}

TEST_CASE("offline queue insert puts a message at a position without evicting", "[mqtt]") {
  OfflineQueue queue(2);
  queue.push(q(1, 9));
  queue.push(q(3, 9));
  queue.insert(1, q(2, 9)); // over the bound: insert never evicts
  queue.insert(0, q(0, 4));
  CHECK(queue.size() == 4);
  CHECK(queue.bytes() == 3 * 10 + 5);
  CHECK(queue.seq_at(0) == 0);
  CHECK(queue.seq_at(1) == 1);
  CHECK(queue.seq_at(2) == 2);
  CHECK(queue.seq_at(3) == 3);
  CHECK(queue.push(q(4, 9)).count == 3); // back to the bound, oldest first
  CHECK(queue.front_seq() == 3U);
}

TEST_CASE("offline queue push keeps seq order and then evicts the oldest, possibly the new one", "[mqtt]") {
  OfflineQueue queue(3);
  queue.push(q(2, 9));
  queue.push(q(4, 9));
  queue.push(q(3, 9)); // behind 4: at its place
  CHECK(queue.seq_at(0) == 2);
  CHECK(queue.seq_at(1) == 3);
  CHECK(queue.seq_at(2) == 4);
  auto ev = queue.push(q(1, 9)); // full, and the oldest: it goes itself
  CHECK(ev.count == 1);
  CHECK(ev.last_seq == 1);
  CHECK(queue.front_seq() == 2U);
  CHECK(queue.bytes() == 3 * 10);
  ev = queue.push(q(5, 9));
  CHECK(ev.count == 1);
  CHECK(ev.last_seq == 2);
  CHECK(queue.front_seq() == 3U);
}
