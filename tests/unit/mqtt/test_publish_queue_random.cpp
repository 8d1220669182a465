// PublishQueue without a transport, under random traffic.
#include <cstdint>
#include <random>
#include <set>

#include "publish_queue_test_support.h"

using namespace publish_queue_test;

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
