// CropJoiner: crops joined to their event within crop_wait, duplicates after a reconnect
// dropped, bounded memory. Pure: the clock is a variable.
#include <catch2/catch.hpp>

#include "sources/crop_joiner.h"

using namespace cam2mqtt;
using namespace std::chrono_literals;
using parse::CvediaRecord;
using sources::CropJoiner;
using sources::CropJoinerSettings;

namespace {
const CropJoiner::Clock::time_point k_t0{std::chrono::seconds(1000)};

CvediaRecord event(const std::string& name, const std::string& id) {
  CvediaRecord r;
  r.kind = CvediaRecord::Kind::event;
  r.name = name;
  r.end = name.size() > 4 && name.substr(name.size() - 4) == "-end";
  r.start = !r.end && name == "event-intrusion";
  r.event.eventType = name;
  r.event.eventId = id;
  return r;
}

CvediaRecord crop(const std::string& ref, const std::string& b64 = "/9j/AAAA") {
  CvediaRecord r;
  r.kind = CvediaRecord::Kind::crop;
  r.name = "crop";
  r.ref_event_id = ref;
  if (!b64.empty()) {
    r.crop = model::Image{b64, 0, 0};
  }
  return r;
}

struct Harness {
  CropJoiner j;
  std::vector<model::Event> out;
  explicit Harness(CropJoinerSettings s = {}) : j(s) {}
  void feed(CvediaRecord r, std::chrono::milliseconds at) { j.on_record(std::move(r), k_t0 + at, out); }
  void expire(std::chrono::milliseconds at) { j.expire(k_t0 + at, out); }
};
} // namespace

TEST_CASE("joiner: a crop after its event (within crop_wait) releases it at once as the target image") {
  Harness h;
  h.feed(event("event-line-crossing", "e1"), 0ms);
  CHECK(h.out.empty());
  CHECK(h.j.next_deadline() == k_t0 + 1000ms);
  h.feed(crop("e1"), 300ms);
  REQUIRE(h.out.size() == 1);
  REQUIRE(h.out[0].targetImage);
  CHECK(h.out[0].targetImage->base64 == "/9j/AAAA");
  CHECK(h.j.stats().crops_joined == 1);
  CHECK(h.j.waiting() == 0);
  CHECK_FALSE(h.j.next_deadline());
}

TEST_CASE("joiner: a crop before its event is held and joined when the event comes") {
  Harness h;
  h.feed(crop("e1"), 0ms);
  CHECK(h.j.crops_held() == 1);
  h.feed(event("event-intrusion", "e1"), 200ms);
  REQUIRE(h.out.size() == 1);
  CHECK(h.out[0].targetImage);
  CHECK(h.j.crops_held() == 0);
}

TEST_CASE("joiner: an event waits at most crop_wait, then goes without; the late crop is dropped") {
  Harness h(CropJoinerSettings{500ms});
  h.feed(event("event-line-crossing", "e1"), 0ms);
  h.expire(499ms);
  CHECK(h.out.empty());
  h.expire(500ms);
  REQUIRE(h.out.size() == 1);
  CHECK_FALSE(h.out[0].targetImage);
  CHECK(h.j.stats().waited_out == 1);
  h.feed(crop("e1"), 2000ms);
  CHECK(h.out.size() == 1);
  CHECK(h.j.crops_held() == 0);
  CHECK(h.j.stats().crops_late == 1);
}

TEST_CASE("joiner: waiting events are released in arrival order by expire") {
  Harness h(CropJoinerSettings{1000ms});
  h.feed(event("event-area-enter", "a"), 0ms);
  h.feed(event("event-area-exit", "b"), 100ms);
  h.expire(1200ms);
  REQUIRE(h.out.size() == 2);
  CHECK(h.out[0].eventId == "a");
  CHECK(h.out[1].eventId == "b");
}

TEST_CASE("joiner: an -end releases its waiting start first and never waits itself") {
  Harness h;
  h.feed(event("event-intrusion", "e1"), 0ms);
  h.feed(event("event-intrusion-end", "e1"), 100ms);
  REQUIRE(h.out.size() == 2);
  CHECK(h.out[0].eventType == "event-intrusion");
  CHECK(h.out[1].eventType == "event-intrusion-end");
  CHECK(h.j.waiting() == 0);
}

TEST_CASE("joiner: crop_wait 0 publishes at once, an early crop still joins") {
  Harness h(CropJoinerSettings{0ms});
  h.feed(event("event-dwelling", "a"), 0ms);
  CHECK(h.out.size() == 1);
  h.feed(crop("b"), 0ms);
  h.feed(event("event-dwelling", "b"), 500ms); // crops are held at least crop_hold_min (1 s)
  REQUIRE(h.out.size() == 2);
  CHECK(h.out[1].targetImage);
}

TEST_CASE("joiner: a crop whose event never comes is dropped after the hold; unusable crops counted") {
  Harness h(CropJoinerSettings{500ms});
  h.feed(crop("ghost"), 0ms);
  CHECK(h.j.next_deadline() == k_t0 + 1000ms); // max(crop_wait, crop_hold_min)
  h.expire(1000ms);
  CHECK(h.j.crops_held() == 0);
  CHECK(h.j.stats().crops_orphaned == 1);
  h.feed(crop(""), 1100ms);
  h.feed(crop("x", ""), 1100ms);
  CHECK(h.j.stats().crops_unusable == 2);
  CHECK(h.j.crops_held() == 0);
}

TEST_CASE("joiner: the same event_id replayed after a reconnect is published once; start and end both pass") {
  Harness h(CropJoinerSettings{0ms});
  h.feed(event("event-intrusion", "e1"), 0ms);
  h.feed(event("event-line-crossing", "e2"), 0ms);
  h.feed(event("event-intrusion-end", "e1"), 100ms);
  // reconnect: the server replays (ids restart, event_ids do not)
  h.feed(event("event-intrusion", "e1"), 5000ms);
  h.feed(event("event-line-crossing", "e2"), 5000ms);
  h.feed(event("event-intrusion-end", "e1"), 5000ms);
  h.feed(event("event-line-crossing", "e3"), 5000ms);
  REQUIRE(h.out.size() == 4);
  CHECK(h.out[3].eventId == "e3");
  CHECK(h.j.stats().duplicates == 3);
}

TEST_CASE("joiner: a duplicate of a waiting event is dropped, not queued twice") {
  Harness h;
  h.feed(event("event-intrusion", "e1"), 0ms);
  h.feed(event("event-intrusion", "e1"), 100ms);
  CHECK(h.j.waiting() == 1);
  CHECK(h.j.stats().duplicates == 1);
}

TEST_CASE("joiner: events without event_id (tracks) pass at once") {
  Harness h;
  CvediaRecord t;
  t.kind = CvediaRecord::Kind::track;
  t.name = "track";
  h.feed(t, 0ms);
  h.feed(t, 0ms);
  CHECK(h.out.size() == 2);
}

TEST_CASE("joiner: memory is bounded (waiting events, held crops, remembered ids)") {
  CropJoinerSettings s;
  s.max_waiting = 3;
  s.max_crops = 2;
  s.max_ids = 4;
  Harness h(s);
  for (int i = 0; i < 5; ++i) {
    h.feed(event("event-dwelling", "w" + std::to_string(i)), 0ms);
  }
  CHECK(h.j.waiting() == 3);
  CHECK(h.out.size() == 2); // the oldest went early
  CHECK(h.j.stats().overflow == 2);
  for (int i = 0; i < 5; ++i) {
    h.feed(crop("c" + std::to_string(i)), 0ms);
  }
  CHECK(h.j.crops_held() == 2);
  CHECK(h.j.stats().crops_orphaned == 3);

  sources::RecentKeys keys(10s, 4);
  for (int i = 0; i < 10; ++i) {
    keys.add(std::to_string(i), k_t0);
  }
  CHECK(keys.size() == 4);
  CHECK(keys.contains("9", k_t0));
  CHECK_FALSE(keys.contains("0", k_t0));
  CHECK_FALSE(keys.contains("9", k_t0 + 10s));
}

TEST_CASE("joiner: decoded records from the real decoder join (crop before event)") {
  const parse::ParseContext ctx{util::now_micros()};
  auto c = parse::decode_cvedia_record(
      "crop", R"({"$id":"crop","ref_event_id":"E","image":"/9j/4AAQSkZJRgABAQAAAQABAAD/2Q=="})", ctx);
  auto e = parse::decode_cvedia_record("event-intrusion", R"({"event_id":"E","object_class":"Person"})", ctx);
  REQUIRE(c);
  REQUIRE(e);
  Harness h;
  h.feed(std::move(*c), 0ms);
  h.feed(std::move(*e), 10ms);
  REQUIRE(h.out.size() == 1);
  CHECK(h.out[0].targetImage);
  CHECK(h.out[0].active == true);
}

TEST_CASE("joiner: at stop every waiting event goes without its crop, in arrival order, as if crop_wait ran out") {
  Harness h(CropJoinerSettings{30000ms});
  h.feed(event("event-line-crossing", "a"), 0ms);
  h.feed(event("event-intrusion", "b"), 100ms);
  h.feed(event("event-area-enter", "c"), 200ms);
  h.feed(crop("held-for-nobody"), 250ms);
  h.expire(300ms);
  REQUIRE(h.out.empty()); // far from their deadline
  h.j.release_waiting(k_t0 + 300ms, h.out);
  REQUIRE(h.out.size() == 3);
  CHECK(h.out[0].eventId == "a");
  CHECK(h.out[1].eventId == "b");
  CHECK(h.out[2].eventId == "c");
  for (const auto& ev : h.out) {
    CHECK_FALSE(ev.targetImage);
  }
  CHECK(h.j.waiting() == 0);
  CHECK(h.j.stats().waited_out == 3);
  CHECK(h.j.crops_held() == 1); // a crop without its event is not an event: it simply expires
  // Released means remembered: a late crop is late, a replay is a duplicate, nothing goes twice.
  h.feed(crop("a"), 400ms);
  h.feed(event("event-intrusion", "b"), 400ms);
  h.expire(60000ms);
  CHECK(h.out.size() == 3);
  CHECK(h.j.stats().crops_late == 1);
  CHECK(h.j.stats().duplicates == 1);
  h.j.release_waiting(k_t0 + 60000ms, h.out); // nothing waits: a no-op
  CHECK(h.out.size() == 3);
}

TEST_CASE("joiner: an event waiting while the stream reconnects keeps waiting; the replay is not queued twice") {
  Harness h(CropJoinerSettings{2000ms});
  h.feed(event("event-intrusion", "e1"), 0ms);
  // the connection drops; the new one replays e1 (ids restart, event_ids do not), then its crop
  h.feed(event("event-intrusion", "e1"), 1200ms);
  CHECK(h.j.waiting() == 1);
  CHECK(h.j.stats().duplicates == 1);
  h.feed(crop("e1"), 1500ms);
  REQUIRE(h.out.size() == 1);
  CHECK(h.out[0].targetImage);
  h.feed(event("event-intrusion", "e1"), 1600ms); // a second replay after the release
  h.expire(5000ms);
  CHECK(h.out.size() == 1);
  CHECK(h.j.stats().duplicates == 2);
}

TEST_CASE("joiner: an event waiting while the stream reconnects is released at its deadline when no crop comes") {
  Harness h(CropJoinerSettings{1000ms});
  h.feed(event("event-intrusion", "e1"), 0ms);
  h.feed(event("event-intrusion", "e1"), 600ms); // replayed on the new connection
  h.expire(999ms);
  CHECK(h.out.empty());
  h.expire(1000ms); // the first arrival's deadline, not pushed back by the replay
  REQUIRE(h.out.size() == 1);
  CHECK_FALSE(h.out[0].targetImage);
  CHECK(h.j.stats().waited_out == 1);
}

TEST_CASE("joiner: at stop the crops still held for an event that never came are dropped and counted") {
  Harness h(CropJoinerSettings{30000ms});
  h.feed(crop("never-1"), 0ms);
  h.feed(crop("never-2"), 100ms);
  h.feed(event("event-intrusion", "w"), 200ms);
  h.j.release_waiting(k_t0 + 300ms, h.out);
  h.j.drop_held_crops();
  REQUIRE(h.out.size() == 1); // the waiting event goes out; the crops have nothing to join
  CHECK(h.j.crops_held() == 0);
  CHECK(h.j.stats().crops_shutdown == 2);
  CHECK(h.j.stats().crops_orphaned == 0); // not a hold that ran out: the source stopped
  CHECK_FALSE(h.j.next_deadline());
  h.j.drop_held_crops(); // nothing held: a no-op
  CHECK(h.j.stats().crops_shutdown == 2);
  // The byte budget is free again: a full-size crop is held, not dropped as over the bound.
  CropJoinerSettings small{30000ms};
  small.max_crop_bytes = 8;
  Harness b(small);
  b.feed(crop("x", "/9j/AAAA"), 0ms);
  b.j.drop_held_crops();
  b.feed(crop("y", "/9j/BBBB"), 100ms);
  CHECK(b.j.crops_held() == 1);
  CHECK(b.j.stats().crops_orphaned == 0);
}
