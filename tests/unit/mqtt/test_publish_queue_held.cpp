// PublishQueue without a transport: held messages (not_before), their release, and how they
// pin the watermark and the drop floor.
#include "publish_queue_test_support.h"

using namespace publish_queue_test;

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
