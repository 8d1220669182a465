#include <catch2/catch.hpp>

#include "mqtt/offline_queue.h"

using cam2mqtt::mqtt::OfflineQueue;
using cam2mqtt::mqtt::OutgoingMessage;

namespace {
OutgoingMessage m(const std::string& payload) { return OutgoingMessage{"t", payload, 1, false}; }
} // namespace

TEST_CASE("offline queue keeps order and evicts the oldest when full", "[mqtt]") {
  OfflineQueue q(3);
  CHECK_FALSE(q.push(m("1")));
  CHECK_FALSE(q.push(m("2")));
  CHECK_FALSE(q.push(m("3")));
  CHECK(q.push(m("4"))); // evicts "1"
  CHECK(q.size() == 3);
  CHECK(q.pop()->payload == "2");
  q.push_front(m("2"));
  CHECK(q.pop()->payload == "2");
  CHECK(q.pop()->payload == "3");
  CHECK(q.pop()->payload == "4");
  CHECK_FALSE(q.pop().has_value());
  CHECK(q.empty());
}

TEST_CASE("offline queue of capacity 0 still holds the newest message", "[mqtt]") {
  OfflineQueue q(0);
  CHECK(q.capacity() == 1);
  q.push(m("a"));
  CHECK(q.push(m("b")));
  CHECK(q.pop()->payload == "b");
}
