// PublishBatcher: what the loop thread publishes in one pass reaches the target together, in
// order, at the end of that pass; nothing is lost at flush() or destruction.
#include <catch2/catch.hpp>

#include <event2/event.h>
#include <event2/thread.h>

#include <string>
#include <vector>

#include "app/publish_batcher.h"
#include "http/libevent_handles.h"
#include "support/recording_publisher.h"

using cam2mqtt::app::PublishBatcher;
using cam2mqtt::mqtt::OutgoingMessage;
using cam2mqtt::test::RecordingPublisher;

namespace {

OutgoingMessage msg(const std::string& topic) { return OutgoingMessage{topic, "p", 1, false}; }

std::vector<std::string> topics(const RecordingPublisher& p) {
  std::vector<std::string> out;
  for (const auto& m : p.messages) {
    out.push_back(m.topic);
  }
  return out;
}

// One loop pass that runs `during` from a callback, like an HTTP request callback would.
struct Pass {
  PublishBatcher* batcher;
  RecordingPublisher* target;
  std::vector<std::size_t> seen_by_target_inside; // target size right after each publish
  int publishes = 0;
  std::string prefix;
};

void publish_some(evutil_socket_t, short, void* arg) {
  auto* pass = static_cast<Pass*>(arg);
  for (int i = 0; i < pass->publishes; ++i) {
    pass->batcher->publish(msg(pass->prefix + std::to_string(i)));
    pass->seen_by_target_inside.push_back(pass->target->messages.size());
  }
}

} // namespace

TEST_CASE("publishes made during one loop pass reach the target together at its end, in order") {
  cam2mqtt::http::EventBasePtr base(event_base_new());
  RecordingPublisher target;
  PublishBatcher batcher(base.get(), target);
  // Two callbacks active in the same pass (two requests read in one epoll round).
  Pass a{&batcher, &target, {}, 3, "a"};
  Pass b{&batcher, &target, {}, 2, "b"};
  cam2mqtt::http::EventPtr ea(event_new(base.get(), -1, 0, publish_some, &a));
  cam2mqtt::http::EventPtr eb(event_new(base.get(), -1, 0, publish_some, &b));
  event_active(ea.get(), EV_TIMEOUT, 0);
  event_active(eb.get(), EV_TIMEOUT, 0);
  REQUIRE(event_base_loop(base.get(), EVLOOP_NONBLOCK) >= 0); // 1: ran out of events
  CHECK(a.seen_by_target_inside == std::vector<std::size_t>{0, 0, 0});
  CHECK(b.seen_by_target_inside == std::vector<std::size_t>{0, 0});
  CHECK(topics(target) == std::vector<std::string>{"a0", "a1", "a2", "b0", "b1"});
  CHECK(batcher.collected() == 0);
}

TEST_CASE("a single publish leaves in the same loop pass, with its fields intact") {
  cam2mqtt::http::EventBasePtr base(event_base_new());
  RecordingPublisher target;
  PublishBatcher batcher(base.get(), target);
  const auto when = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  batcher.publish(OutgoingMessage{"t/x", "payload", 0, true, when});
  CHECK(target.messages.empty());
  REQUIRE(event_base_loop(base.get(), EVLOOP_NONBLOCK | EVLOOP_ONCE) >= 0); // 1: ran out of events
  REQUIRE(target.messages.size() == 1);
  CHECK(target.messages[0].topic == "t/x");
  CHECK(target.messages[0].payload == "payload");
  CHECK(target.messages[0].qos == 0);
  CHECK(target.messages[0].retain);
  CHECK(target.messages[0].not_before == when);
  // The next pass starts a new batch.
  batcher.publish(msg("t/y"));
  REQUIRE(event_base_loop(base.get(), EVLOOP_NONBLOCK | EVLOOP_ONCE) >= 0); // 1: ran out of events
  CHECK(topics(target) == std::vector<std::string>{"t/x", "t/y"});
}

TEST_CASE("flush() hands over at once, and destruction hands over what is left") {
  cam2mqtt::http::EventBasePtr base(event_base_new());
  RecordingPublisher target;
  {
    PublishBatcher batcher(base.get(), target);
    batcher.publish(msg("one"));
    batcher.flush();
    CHECK(topics(target) == std::vector<std::string>{"one"});
    batcher.flush(); // nothing collected: nothing sent twice
    CHECK(target.messages.size() == 1);
    batcher.publish(msg("two"));
    batcher.publish(msg("three"));
    CHECK(target.messages.size() == 1);
  }
  CHECK(topics(target) == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("a target that publishes back while being flushed starts a new batch, nothing is lost") {
  cam2mqtt::http::EventBasePtr base(event_base_new());
  struct Echo : RecordingPublisher {
    PublishBatcher* batcher = nullptr;
    void publish(OutgoingMessage m) override {
      if (m.topic == "ping") {
        batcher->publish(msg("pong"));
      }
      RecordingPublisher::publish(std::move(m));
    }
  } target;
  PublishBatcher batcher(base.get(), target);
  target.batcher = &batcher;
  batcher.publish(msg("ping"));
  REQUIRE(event_base_loop(base.get(), EVLOOP_NONBLOCK) >= 0); // 1: ran out of events
  CHECK(topics(target) == std::vector<std::string>{"ping", "pong"});
}
