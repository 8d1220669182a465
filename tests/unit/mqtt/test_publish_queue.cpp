// PublishQueue without a transport: numbering, room, acknowledgements, the watermark, the
// bounds, and retries after a dropped connection.
#include "publish_queue_test_support.h"

using namespace publish_queue_test;

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
