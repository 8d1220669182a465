#include <catch2/catch.hpp>

#include "sources/event_state.h"

using namespace cam2mqtt;
using namespace std::chrono_literals;
using sources::EventStateTracker;

namespace {
const util::SysMicros k_t0{std::chrono::microseconds(1795348800LL * 1000000)};

model::Event hik(const std::string& type, std::optional<bool> active, const std::string& region = "1") {
  model::Event ev;
  ev.source = model::Source::hikvision;
  ev.eventType = type;
  ev.active = active;
  ev.regionId = region;
  ev.device.channelId.push_back('1'); // (not = "1": gcc 12 -Wrestrict false positive)
  return ev;
}

model::Event cv(const std::string& type, const std::string& id, std::optional<bool> active) {
  model::Event ev;
  ev.source = model::Source::cvedia;
  ev.eventType = type;
  ev.eventId = id;
  ev.active = active;
  return ev;
}
} // namespace

TEST_CASE("Hikvision: repeated active refreshes, inactive ends with durationMs, once") {
  EventStateTracker t;
  auto a = hik("fielddetection", true);
  CHECK(t.admit("cam", a, k_t0));
  for (int i = 1; i <= 3; ++i) {
    auto again = hik("fielddetection", true);
    CHECK_FALSE(t.admit("cam", again, k_t0 + i * 1s));
  }
  CHECK(t.stats().refreshed == 3);
  auto other_region = hik("fielddetection", true, "2");
  CHECK(t.admit("cam", other_region, k_t0 + 1s));
  auto end = hik("fielddetection", false);
  REQUIRE(t.admit("cam", end, k_t0 + 4s));
  CHECK(end.durationMs == 4000);
  auto end_again = hik("fielddetection", false);
  CHECK_FALSE(t.admit("cam", end_again, k_t0 + 5s));
  CHECK(t.open_count() == 1);
}

TEST_CASE("Hikvision: no inactive -> the stale timer ends it with endReason timeout") {
  EventStateTracker t({5000ms});
  auto a = hik("VMD", true);
  REQUIRE(t.admit("cam", a, k_t0));
  auto again = hik("VMD", true);
  CHECK_FALSE(t.admit("cam", again, k_t0 + 2s));
  CHECK(t.sweep(k_t0 + 6s).empty()); // refreshed at +2s
  const auto ended = t.sweep(k_t0 + 7s);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].first == "cam");
  CHECK(ended[0].second.active == false);
  CHECK(ended[0].second.endReason == "timeout");
  CHECK(ended[0].second.durationMs == 2000);
  auto late_inactive = hik("VMD", false);
  CHECK_FALSE(t.admit("cam", late_inactive, k_t0 + 8s));
  auto restart = hik("VMD", true);
  CHECK(t.admit("cam", restart, k_t0 + 20s)); // a new activation after the memory expired
}

TEST_CASE("Hikvision one-shots: one publication per activation") {
  EventStateTracker t({5000ms});
  auto line = hik("linedetection", std::nullopt);
  CHECK(t.admit("cam", line, k_t0));
  auto repeat = hik("linedetection", std::nullopt);
  CHECK_FALSE(t.admit("cam", repeat, k_t0 + 1s));
  t.sweep(k_t0 + 10s);
  auto next = hik("linedetection", std::nullopt);
  CHECK(t.admit("cam", next, k_t0 + 10s));
}

TEST_CASE("a backlog start older than max_age switches nothing on") {
  EventStateTracker t;
  auto old = hik("VMD", true);
  old.deviceTime = k_t0 - 10min;
  CHECK_FALSE(t.admit("cam", old, k_t0));
  CHECK(t.stats().stale_starts == 1);
}

TEST_CASE("CVEDIA: start/end by event_id, duplicates after a reconnect dropped, unseen end kept") {
  EventStateTracker t;
  auto start = cv("event-intrusion", "e1", true);
  REQUIRE(t.admit("yard", start, k_t0));
  auto replay = cv("event-intrusion", "e1", true);
  CHECK_FALSE(t.admit("yard", replay, k_t0 + 1s));
  auto end = cv("event-intrusion-end", "e1", false);
  end.durationMs = 4200;
  REQUIRE(t.admit("yard", end, k_t0 + 4s));
  CHECK(end.durationMs == 4200); // the device's own value wins
  auto end_dup = cv("event-intrusion-end", "e1", false);
  CHECK_FALSE(t.admit("yard", end_dup, k_t0 + 5s));
  auto start_dup = cv("event-intrusion", "e1", true);
  CHECK_FALSE(t.admit("yard", start_dup, k_t0 + 6s));
  auto orphan_end = cv("event-loitering-end", "e9", false);
  CHECK(t.admit("yard", orphan_end, k_t0 + 6s));
  auto once = cv("event-line-crossing", "e2", std::nullopt);
  CHECK(t.admit("yard", once, k_t0));
  auto once_dup = cv("event-line-crossing", "e2", std::nullopt);
  CHECK_FALSE(t.admit("yard", once_dup, k_t0 + 30s));
  CHECK(t.stats().duplicates == 3); // the replayed open start only refreshed
}

TEST_CASE("CVEDIA: a start left open past max_open ends with timeout") {
  EventStateTracker t({5000ms, 60000ms});
  auto start = cv("event-fallen-person", "f1", true);
  REQUIRE(t.admit("yard", start, k_t0));
  CHECK(t.sweep(k_t0 + 30s).empty()); // no stale timer for id-keyed pairs
  const auto ended = t.sweep(k_t0 + 61s);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].second.endReason == "timeout");
}

TEST_CASE("the stale time is per admitted event: each source entry's event_timeout, not one global") {
  EventStateTracker t; // default stale 5 s
  auto fast = hik("VMD", true);
  auto slow = hik("VMD", true);
  auto plain = hik("VMD", true);
  CHECK(t.admit("fast", fast, k_t0, 1000ms));
  CHECK(t.admit("slow", slow, k_t0, 20000ms));
  CHECK(t.admit("plain", plain, k_t0));
  auto ended = t.sweep(k_t0 + 1500ms);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].first == "fast");
  CHECK(ended[0].second.endReason == "timeout");
  CHECK(ended[0].second.durationMs == 0);
  ended = t.sweep(k_t0 + 6s);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].first == "plain");
  auto refresh = hik("VMD", true);
  CHECK_FALSE(t.admit("slow", refresh, k_t0 + 15s, 20000ms)); // a repeat keeps it open
  CHECK(t.sweep(k_t0 + 30s).empty());
  ended = t.sweep(k_t0 + 35s);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].first == "slow");
  CHECK(ended[0].second.durationMs == 15000);
}
