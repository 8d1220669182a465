// PublishQueue without a transport: the test plays the transport (room, acknowledgements,
// failures) and the clock (`now`).
#include <chrono>
#include <cstddef>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mqtt/publish_queue.h"

using namespace std::chrono_literals;
using cam2mqtt::mqtt::OutgoingMessage;
using cam2mqtt::mqtt::PublishQueue;
using cam2mqtt::mqtt::QueuedMessage;
using Clock = PublishQueue::Clock;

namespace {

const Clock::time_point t0 = Clock::now();
constexpr std::size_t k_room = 1000; // the transport takes everything
constexpr std::size_t k_no_room = 0; // disconnected, or its window is full

PublishQueue::Limits limits(std::size_t max_messages, std::size_t held_max = 1000) {
  PublishQueue::Limits l;
  l.max_messages = max_messages;
  l.held_max_messages = held_max;
  return l;
}

OutgoingMessage msg(const std::string& payload, std::optional<Clock::time_point> not_before = {}) {
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
Published publish(PublishQueue& q, OutgoingMessage m, std::size_t room, Clock::time_point now = t0) {
  auto numbered = q.number(std::move(m));
  const auto seq = numbered.seq;
  const auto now_msg = q.accept(std::move(numbered), now, room);
  if (now_msg) {
    CHECK(now_msg->seq == seq);
  }
  return {seq, now_msg.has_value()};
}

// Everything next_to_send() hands out at `now` (each becomes in flight), as payloads.
std::vector<std::string> send_all(PublishQueue& q, Clock::time_point now = t0, std::size_t room = k_room) {
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

} // namespace

TEST_CASE("publish queue: numbers from the spool's next seq and keeps publish order", "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  q.set_next_seq(41);
  CHECK(publish(q, msg("a"), k_no_room).seq == 41);
  CHECK(publish(q, msg("b"), k_no_room).seq == 42);
  CHECK(publish(q, msg("c"), k_no_room).seq == 43);
  CHECK(q.queued() == 3);
  CHECK(q.queued_bytes() == 3 * 2); // topic "t" + one-byte payload
  CHECK(q.inflight() == 0);
  CHECK(send_all(q) == Payloads{"a", "b", "c"});
  CHECK(q.queued() == 0);
  CHECK(q.queued_bytes() == 0);
  CHECK(q.inflight() == 3);
  CHECK(q.next_seq() == 44);
}

TEST_CASE("publish queue: accept sends at once only with room and nothing older waiting", "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  CHECK(publish(q, msg("a"), k_room).sent_now);
  CHECK(q.inflight() == 1);
  CHECK_FALSE(publish(q, msg("b"), k_no_room).sent_now); // disconnected: queued
  // Connected again, but "b" waits: "c" must not overtake it.
  CHECK_FALSE(publish(q, msg("c"), k_room).sent_now);
  CHECK(send_all(q) == Payloads{"b", "c"});
  CHECK(publish(q, msg("d"), k_room).sent_now);
  CHECK(q.inflight() == 4);
}

TEST_CASE("publish queue: next_to_send hands out no more than the room", "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  for (const auto* p : {"1", "2", "3", "4", "5"}) {
    publish(q, msg(p), k_no_room);
  }
  CHECK_FALSE(q.next_to_send(t0, k_no_room).has_value());
  CHECK(q.queued() == 5);
  CHECK(send_all(q, t0, 2) == Payloads{"1", "2"}); // a window of 2
  CHECK(q.queued() == 3);
  CHECK(q.inflight() == 2);
  q.acknowledged(1);
  CHECK(q.inflight() == 1);
  CHECK(send_all(q, t0, 1) == Payloads{"3"});
  CHECK(send_all(q) == Payloads{"4", "5"});
  CHECK(q.pending() == 4); // 2..5 in flight
}

TEST_CASE("publish queue: a transient refusal puts the message first again", "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  SECTION("from accept") {
    auto now_msg = q.accept(q.number(msg("a")), t0, k_room);
    REQUIRE(now_msg);
    q.put_back(std::move(*now_msg));
    publish(q, msg("b"), k_no_room);
  }
  SECTION("from next_to_send") {
    publish(q, msg("a"), k_no_room);
    publish(q, msg("b"), k_no_room);
    auto next = q.next_to_send(t0, k_room);
    REQUIRE(next);
    CHECK(next->msg.payload == "a");
    q.put_back(std::move(*next));
  }
  CHECK(q.inflight() == 0);
  CHECK(q.queued() == 2);
  CHECK(q.watermark() == 1);
  CHECK(send_all(q) == Payloads{"a", "b"});
}

TEST_CASE("publish queue: acknowledgements in any order move the watermark to the oldest unacknowledged",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  CHECK(q.watermark() == 1); // nothing published: the next seq
  for (const auto* p : {"1", "2", "3", "4", "5"}) {
    REQUIRE(publish(q, msg(p), k_room).sent_now);
  }
  CHECK(q.watermark() == 1);
  q.acknowledged(3);
  q.acknowledged(5);
  CHECK(q.watermark() == 1);
  CHECK(q.inflight() == 3);
  q.acknowledged(1);
  CHECK(q.watermark() == 2);
  q.acknowledged(2);
  CHECK(q.watermark() == 4);
  q.acknowledged(2);   // again: ignored
  q.acknowledged(999); // unknown: ignored
  CHECK(q.watermark() == 4);
  q.failed_permanently(4); // a bad message must not pin the watermark
  CHECK(q.watermark() == 6);
  CHECK(q.inflight() == 0);
  CHECK(q.pending() == 0);
}

TEST_CASE("publish queue: the watermark is the oldest of in flight, queued and held", "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  publish(q, msg("1"), k_room);                // in flight
  publish(q, msg("2", t0 + 1s), k_room);       // held
  publish(q, msg("3"), k_no_room);             // queued
  CHECK(q.inflight() == 1);
  CHECK(q.held() == 1);
  CHECK(q.queued() == 1);
  CHECK(q.pending() == 3);
  CHECK(q.waiting() == 2);
  CHECK(q.watermark() == 1);
  q.acknowledged(1);
  CHECK(q.watermark() == 2); // the held one
  CHECK(send_all(q) == Payloads{"3"});
  q.acknowledged(3);
  CHECK(q.watermark() == 2); // still held
  CHECK(send_all(q, t0 + 1s) == Payloads{"2"});
  CHECK(q.watermark() == 2); // in flight now
  q.acknowledged(2);
  CHECK(q.watermark() == 4);
}

TEST_CASE("publish queue: eviction drops the oldest, counts them and raises the watermark past them",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(3));
  REQUIRE(publish(q, msg("1"), k_room).sent_now); // in flight, older than anything evicted
  for (const auto* p : {"2", "3", "4", "5", "6"}) {
    publish(q, msg(p), k_no_room);
  }
  CHECK(q.dropped() == 2); // "2" and "3"
  CHECK(q.queued() == 3);
  CHECK(q.capacity() == 3);
  // The disk must not replay more than the bound: the watermark passes the evicted ones and
  // the in-flight one older than them (which is still in memory, and still acknowledged later).
  CHECK(q.watermark() == 4);
  CHECK(q.inflight() == 1);
  CHECK(send_all(q) == Payloads{"4", "5", "6"});
  q.acknowledged(5);
  CHECK(q.watermark() == 4);
  q.acknowledged(4);
  q.acknowledged(6);
  CHECK(q.watermark() == 4); // the floor still wins over the in-flight "1"
  q.acknowledged(1);
  CHECK(q.watermark() == 7);
}

TEST_CASE("publish queue: the byte bound evicts as many of the oldest as needed", "[mqtt][publish_queue]") {
  PublishQueue::Limits l;
  l.max_messages = 100;
  l.max_bytes = 10; // topic "t" + payload
  PublishQueue q(l);
  publish(q, msg("aaaa"), k_no_room); // 5 bytes
  publish(q, msg("bbbb"), k_no_room); // 5
  CHECK(q.dropped() == 0);
  publish(q, msg("cccccc"), k_no_room); // 7: both older ones go
  CHECK(q.dropped() == 2);
  CHECK(q.queued_bytes() == 7);
  CHECK(q.watermark() == 3);
  CHECK(send_all(q) == Payloads{"cccccc"});
}

TEST_CASE("publish queue: a held message waits for its not_before; others do not wait for it",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  CHECK_FALSE(publish(q, msg("held", t0 + 2s), k_room).sent_now);
  CHECK(q.held() == 1);
  CHECK(q.queued() == 0);
  CHECK(publish(q, msg("plain"), k_room).sent_now); // not held up
  CHECK(send_all(q, t0 + 1999ms).empty());
  CHECK(q.held() == 1);
  CHECK(send_all(q, t0 + 2s) == Payloads{"held"});
  CHECK(q.held() == 0);
}

TEST_CASE("publish queue: a not_before already past is sent at once when nothing is held", "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  CHECK(publish(q, msg("late", t0 - 1s), k_room).sent_now);
  CHECK(q.held() == 0);
}

TEST_CASE("publish queue: a due message queues behind held ones, and held ones leave in publish order",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  publish(q, msg("h1", t0 + 2s), k_room);
  publish(q, msg("h2", t0 + 1s), k_room); // due earlier, still behind h1
  CHECK_FALSE(publish(q, msg("due", t0 - 1s), k_room).sent_now); // behind the held ones
  CHECK(q.held() == 3);
  CHECK(q.watermark() == 1);
  CHECK(send_all(q, t0 + 1500ms).empty()); // h2 is due but h1 is not: nothing leaves
  CHECK(send_all(q, t0 + 2s) == Payloads{"h1", "h2", "due"});
}

// Released behind 6 and 7, 5 was below the watermark (the queue's front): a SIGKILL before the
// reconnect lost it, although its camera had its 200.
TEST_CASE("publish queue: a released held message goes out before newer queued ones and pins the watermark",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  q.set_next_seq(5);
  publish(q, msg("h5", t0 + 1s), k_no_room);
  publish(q, msg("6"), k_no_room);
  publish(q, msg("7"), k_no_room);
  CHECK(q.watermark() == 5);
  // Released while disconnected (room 0): into the queue, nothing sent.
  CHECK_FALSE(q.next_to_send(t0 + 1s, k_no_room).has_value());
  CHECK(q.held() == 0);
  CHECK(q.queued() == 3);
  CHECK(q.watermark() == 5);
  CHECK(send_all(q, t0 + 1s) == Payloads{"h5", "6", "7"});
  q.acknowledged(6);
  q.acknowledged(7);
  CHECK(q.watermark() == 5);
  q.acknowledged(5);
  CHECK(q.watermark() == 8);
}

// The queue evicting newer messages raised the drop floor past a held one still waiting.
TEST_CASE("publish queue: evictions while a message is held do not let the spool forget it",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(2));
  q.set_next_seq(5);
  publish(q, msg("h5", t0 + 1s), k_no_room);
  publish(q, msg("6"), k_no_room);
  publish(q, msg("7"), k_no_room);
  publish(q, msg("8"), k_no_room); // full: 6 goes
  CHECK(q.dropped() == 1);
  CHECK(q.held() == 1);
  CHECK(q.watermark() == 5);
  // Due, into the full queue: the bound evicts the oldest, which is 5 now.
  CHECK_FALSE(q.next_to_send(t0 + 1s, k_no_room).has_value());
  CHECK(q.dropped() == 2);
  CHECK(q.queued() == 2);
  CHECK(q.watermark() == 7);
  CHECK(send_all(q, t0 + 1s) == Payloads{"7", "8"});
}

TEST_CASE("publish queue: the drop floor passes in-flight messages, never held or queued ones",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(3));
  REQUIRE(publish(q, msg("1"), k_room).sent_now);
  publish(q, msg("h2", t0 + 1s), k_no_room);
  for (const auto* p : {"3", "4", "5", "6"}) {
    publish(q, msg(p), k_no_room); // 6: full, 3 goes
  }
  CHECK(q.dropped() == 1);
  CHECK(q.watermark() == 2); // past nothing: the held 2 waits
  CHECK(send_all(q, t0, 1) == Payloads{"4"});
  q.acknowledged(1);
  CHECK(q.watermark() == 2);
  CHECK_FALSE(q.next_to_send(t0 + 1s, k_no_room).has_value()); // 2 queued: room for it
  CHECK(q.dropped() == 1);
  CHECK(q.watermark() == 2);
  CHECK(send_all(q, t0 + 1s) == Payloads{"h2", "5", "6"});
}

TEST_CASE("publish queue: past the held bound the oldest held are released early", "[mqtt][publish_queue]") {
  SECTION("count") {
    PublishQueue q(limits(100, 2));
    publish(q, msg("h1", t0 + 5s), k_room);
    publish(q, msg("h2", t0 + 5s), k_room);
    CHECK(q.held() == 2);
    publish(q, msg("h3", t0 + 5s), k_room);
    CHECK(q.held() == 2);
    CHECK(q.queued() == 1);
    CHECK(send_all(q, t0) == Payloads{"h1"}); // early, in order
    CHECK(send_all(q, t0 + 5s) == Payloads{"h2", "h3"});
  }
  SECTION("bytes") {
    PublishQueue::Limits l;
    l.held_max_bytes = 10;
    PublishQueue q(l);
    publish(q, msg("aaaa", t0 + 5s), k_room); // 5 bytes
    publish(q, msg("bbbb", t0 + 5s), k_room); // 10
    CHECK(q.held() == 2);
    publish(q, msg("cc", t0 + 5s), k_room); // 13: "aaaa" goes
    CHECK(q.held() == 2);
    CHECK(send_all(q, t0) == Payloads{"aaaa"});
    publish(q, msg("dddddddddddd", t0 + 5s), k_room); // 13 alone: everything goes
    CHECK(q.held() == 0);
    CHECK(send_all(q, t0) == Payloads{"bbbb", "cc", "dddddddddddd"});
  }
}

TEST_CASE("publish queue: held messages released early count against the queue bound", "[mqtt][publish_queue]") {
  PublishQueue q(limits(2, 1));
  publish(q, msg("q1"), k_no_room);
  publish(q, msg("q2"), k_no_room);
  publish(q, msg("h1", t0 + 5s), k_no_room);
  publish(q, msg("h2", t0 + 5s), k_no_room); // releases h1 into the full queue: q1 evicted
  CHECK(q.dropped() == 1);
  CHECK(q.held() == 1);
  CHECK(q.watermark() == 2);
  CHECK(send_all(q, t0) == Payloads{"q2", "h1"});
  CHECK(send_all(q, t0 + 5s) == Payloads{"h2"});
  CHECK(q.dropped() == 1);
}

TEST_CASE("publish queue: messages the connection drop failed go to the front, oldest first",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  std::vector<QueuedMessage> sent;
  for (const auto* p : {"1", "2", "3", "4"}) {
    publish(q, msg(p), k_no_room);
  }
  for (int i = 0; i < 4; ++i) {
    sent.push_back(*q.next_to_send(t0, k_room));
  }
  publish(q, msg("5"), k_no_room); // the connection dropped: queued
  publish(q, msg("6"), k_no_room);
  q.acknowledged(2);
  // Reported in any order, across several collections.
  q.failed_transiently(sent[3]);
  CHECK(q.watermark() == 1);
  q.failed_transiently(sent[0]);
  q.failed_transiently(sent[2]);
  CHECK(q.inflight() == 0);
  CHECK(q.queued() == 5);
  CHECK(q.watermark() == 1); // pinned all along
  CHECK(send_all(q) == Payloads{"1", "3", "4", "5", "6"});
}

TEST_CASE("publish queue: a retried message refused again stays first among the retried", "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  std::vector<QueuedMessage> sent;
  for (const auto* p : {"1", "2", "3"}) {
    publish(q, msg(p), k_no_room);
  }
  for (int i = 0; i < 3; ++i) {
    sent.push_back(*q.next_to_send(t0, k_room));
  }
  publish(q, msg("4"), k_no_room);
  q.failed_transiently(sent[0]);
  q.failed_transiently(sent[2]);
  auto first = q.next_to_send(t0, k_room);
  REQUIRE(first);
  CHECK(first->msg.payload == "1");
  q.put_back(std::move(*first)); // refused for now
  q.failed_transiently(sent[1]); // reported late: between 1 and 3, ahead of the queue
  CHECK(send_all(q) == Payloads{"1", "2", "3", "4"});
}

TEST_CASE("publish queue: retried messages count against the bound and are evicted first", "[mqtt][publish_queue]") {
  PublishQueue q(limits(3));
  std::vector<QueuedMessage> sent;
  publish(q, msg("1"), k_no_room);
  publish(q, msg("2"), k_no_room);
  sent.push_back(*q.next_to_send(t0, k_room));
  sent.push_back(*q.next_to_send(t0, k_room));
  publish(q, msg("3"), k_no_room);
  q.failed_transiently(sent[1]);
  q.failed_transiently(sent[0]);
  CHECK(q.queued() == 3);
  CHECK(q.dropped() == 0);
  publish(q, msg("4"), k_no_room); // full: "1" goes
  CHECK(q.dropped() == 1);
  CHECK(q.watermark() == 2);
  CHECK(send_all(q) == Payloads{"2", "3", "4"});
}

TEST_CASE("publish queue: restored records go before anything new and respect the bound", "[mqtt][publish_queue]") {
  PublishQueue q(limits(2));
  q.set_next_seq(10);
  q.restore(QueuedMessage{7, msg("r7")});
  q.restore(QueuedMessage{8, msg("r8")});
  q.restore(QueuedMessage{9, msg("r9")}); // bound 2: r7 dropped
  CHECK(q.dropped() == 1);
  CHECK(q.watermark() == 8);
  CHECK_FALSE(publish(q, msg("new"), k_room).sent_now); // behind the restored ones
  CHECK(q.dropped() == 2);                              // and the bound still holds
  CHECK(send_all(q) == Payloads{"r9", "new"});
  CHECK(q.next_seq() == 11);
}

TEST_CASE("publish queue: the backlog after a reconnect is timed once, until queue and in-flight are empty",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  SECTION("no backlog: nothing to report") {
    q.connected(t0);
    CHECK_FALSE(q.backlog_cleared(t0 + 1s).has_value());
  }
  SECTION("a backlog") {
    publish(q, msg("1"), k_no_room);
    publish(q, msg("2"), k_no_room);
    q.connected(t0);
    CHECK_FALSE(q.backlog_cleared(t0).has_value());
    CHECK(send_all(q) == Payloads{"1", "2"});
    CHECK_FALSE(q.backlog_cleared(t0 + 1s).has_value()); // sent, not acknowledged
    q.acknowledged(1);
    q.acknowledged(2);
    const auto took = q.backlog_cleared(t0 + 3s);
    REQUIRE(took);
    CHECK(*took == 3s);
    CHECK_FALSE(q.backlog_cleared(t0 + 4s).has_value()); // once
  }
}

// In the two cases below a held message released late sits in the queue with an older seq than
// messages in flight: retried ones go back to their place around it, not ahead of it.
TEST_CASE("publish queue: retried messages and a released held one go out in seq order",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(100));
  publish(q, msg("1"), k_no_room);
  publish(q, msg("2"), k_no_room);
  publish(q, msg("3"), k_no_room);
  std::vector<QueuedMessage> sent;
  for (int i = 0; i < 3; ++i) {
    sent.push_back(*q.next_to_send(t0, k_room));
  }
  publish(q, msg("h4", t0 + 1s), k_room);
  const auto five = publish(q, msg("5"), k_room);
  REQUIRE(five.sent_now);
  CHECK_FALSE(q.next_to_send(t0 + 1s, k_no_room)); // h4 joins the queue
  q.failed_transiently(sent[0]);
  q.failed_transiently(sent[2]);
  auto first = q.next_to_send(t0 + 1s, k_room);
  REQUIRE(first);
  q.put_back(std::move(*first)); // refused for now: first again
  q.failed_transiently(QueuedMessage{five.seq, msg("5")});
  CHECK(q.watermark() == 1);
  q.acknowledged(2);
  CHECK(send_all(q, t0 + 1s) == Payloads{"1", "3", "h4", "5"});
  q.acknowledged(1);
  q.acknowledged(3);
  q.acknowledged(5);
  CHECK(q.watermark() == 4);
  q.acknowledged(4);
  CHECK(q.watermark() == 6);
}

TEST_CASE("publish queue: the bound evicts the oldest seq, released or retried ones too",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(3));
  publish(q, msg("h1", t0 + 1s), k_room);
  const auto two = publish(q, msg("2"), k_room);
  const auto three = publish(q, msg("3"), k_room);
  REQUIRE(two.sent_now);
  REQUIRE(three.sent_now);
  CHECK_FALSE(q.next_to_send(t0 + 1s, k_no_room)); // h1 joins the queue
  q.failed_transiently(QueuedMessage{two.seq, msg("2")}); // queue: h1 2
  publish(q, msg("4"), k_no_room);
  publish(q, msg("5"), k_no_room); // full: h1 goes
  CHECK(q.dropped() == 1);
  CHECK(q.watermark() == 2); // the queued 2, just past the evicted h1
  q.failed_transiently(QueuedMessage{three.seq, msg("3")});
  CHECK(q.watermark() == 2);
  CHECK(send_all(q, t0 + 1s) == Payloads{"2", "3", "4", "5"});
  publish(q, msg("6"), k_no_room);
  publish(q, msg("7"), k_no_room);
  publish(q, msg("8"), k_no_room);
  publish(q, msg("9"), k_no_room); // full: 6 goes; 2..5 in flight are older
  CHECK(q.watermark() == 7);
}

// Random traffic, no bound (nothing is evicted, so the spool may forget only acknowledged
// messages): the watermark is always the oldest message neither acknowledged nor sent, or in
// flight, and every message is sent once it is due.
TEST_CASE("publish queue: under random traffic the watermark is the oldest unacknowledged message",
          "[mqtt][publish_queue]") {
  PublishQueue q(limits(100000));
  std::minstd_rand rng(20261123);
  std::set<std::uint64_t> unacked;
  std::vector<QueuedMessage> inflight;
  const auto take_inflight = [&] {
    const auto i = rng() % inflight.size();
    auto m = std::move(inflight[i]);
    inflight.erase(inflight.begin() + static_cast<std::ptrdiff_t>(i));
    return m;
  };
  auto now = t0;
  for (int step = 0; step < 20000; ++step) {
    const std::size_t room = rng() % 3 == 0 ? 0 : 1 + rng() % 3;
    switch (rng() % 6) {
    case 0:
    case 1: {
      const auto not_before = rng() % 3 == 0 ? std::optional{now + std::chrono::milliseconds(rng() % 2000)}
                                              : std::nullopt;
      auto numbered = q.number(msg("m", not_before));
      unacked.insert(numbered.seq);
      if (auto sent = q.accept(std::move(numbered), now, room)) {
        inflight.push_back(std::move(*sent));
      }
      break;
    }
    case 2:
      if (auto sent = q.next_to_send(now, room)) {
        if (rng() % 4 == 0) {
          q.put_back(std::move(*sent)); // refused for now
        } else {
          inflight.push_back(std::move(*sent));
        }
      }
      break;
    case 3:
    case 4:
      if (!inflight.empty()) {
        const auto m = take_inflight();
        q.acknowledged(m.seq);
        unacked.erase(m.seq);
      }
      break;
    case 5:
      if (!inflight.empty()) {
        q.failed_transiently(take_inflight());
      }
      break;
    }
    now += std::chrono::milliseconds(rng() % 50);
    REQUIRE(q.watermark() == (unacked.empty() ? q.next_seq() : *unacked.begin()));
    REQUIRE(q.pending() == unacked.size());
  }
  now += 2s;
  while (auto sent = q.next_to_send(now, k_room)) {
    q.acknowledged(sent->seq);
  }
  for (const auto& m : inflight) {
    q.acknowledged(m.seq);
  }
  CHECK(q.pending() == 0);
  CHECK(q.watermark() == q.next_seq());
}
