// CvediaClient on a real libevent loop against tests/fakes/fake_cvedia.py: URL and key, the
// stall watchdog, an unknown instance (no busy loop), events waiting for their crop across a
// reconnect and at stop(), a poll in flight at stop().
#include <catch2/catch.hpp>

#include <optional>

#include "sources/curl_options.h"
#include "sources/cvedia_client.h"
#include "support/fake_server.h"

using namespace cam2mqtt;
using namespace std::chrono_literals;
using cam2mqtt::test::FakeServer;

namespace {
const std::string k_instance = "3f1c6a2e-0000-4000-8000-00000000cafe";

struct Run {
  std::vector<model::Message> events;
  std::size_t heartbeats = 0;
  std::uint64_t connects = 0;
  std::size_t waiting = 0;    // after the run
  std::size_t crops_held = 0; // after the run
};

// Runs the client for `how_long`; with `stop_after`, calls client.stop() then (the daemon's stop).
Run run_for(const config::CvediaSourceConfig& cfg, std::chrono::milliseconds how_long,
            std::optional<std::chrono::milliseconds> stop_after = std::nullopt) {
  http::EventBasePtr base(event_base_new());
  sources::CurlLoop loop(base.get());
  Run r;
  sources::CvediaClient client(base.get(), loop, cfg, [&](model::Message& m, const sources::SourceCamera& c) {
    CHECK(c.key == "yard");
    if (m.kind == model::Message::Kind::heartbeat) {
      ++r.heartbeats;
    } else {
      r.events.push_back(m);
    }
  });
  client.start();
  if (stop_after) {
    const auto at = sources::to_timeval(*stop_after);
    auto stop = [](evutil_socket_t, short, void* c) { static_cast<sources::CvediaClient*>(c)->stop(); };
    event_base_once(base.get(), -1, EV_TIMEOUT, stop, &client, &at);
  }
  const auto tv = sources::to_timeval(how_long);
  event_base_loopexit(base.get(), &tv);
  event_base_dispatch(base.get());
  r.connects = client.connects();
  r.waiting = client.events_waiting();
  r.crops_held = client.crops_held();
  return r;
}

config::CvediaSourceConfig entry(int port, const std::string& instance = k_instance) {
  config::CvediaSourceConfig c;
  c.id = "yard";
  c.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  c.instance = instance;
  c.crop_wait = 100ms;
  return c;
}
} // namespace

TEST_CASE("cvedia: request URL per mode, events filter, camera key") {
  config::CvediaSourceConfig c;
  c.url = "https://rt:3546/";
  c.instance = "abc";
  c.events = {"event-intrusion", "crop"};
  CHECK(sources::cvedia_url(c) == "https://rt:3546/v1/core/instance/abc/consume_events_sse?events=event-intrusion,crop");
  c.mode = "poll";
  CHECK(sources::cvedia_url(c) == "https://rt:3546/v1/core/instance/abc/consume_events");
  CHECK(sources::cvedia_camera_key(c) == "abc");
  c.id = "yard";
  CHECK(sources::cvedia_camera_key(c) == "yard");
}

TEST_CASE("cvedia: a stream silent for stall_timeout is reopened; the replayed event is not repeated") {
  sources::CurlGlobal global;
  FakeServer rt("fake_cvedia.py", {"silent"});
  auto cfg = entry(rt.port);
  // The config allows >= 5s; 1s keeps the test fast. libcurl averages the speed over ~5 s, so
  // the stall shows some 5 s after the last byte.
  cfg.stall_timeout = std::chrono::seconds(1);
  const auto r = run_for(cfg, 9000ms);
  CHECK(r.connects >= 2);
  CHECK(r.heartbeats >= 2); // each opening
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].events.at(0).eventId == "S-ONE");
}

TEST_CASE("cvedia: an unknown instance (404) waits the maximum backoff, no busy loop") {
  sources::CurlGlobal global;
  FakeServer rt("fake_cvedia.py", {"all"});
  const auto r = run_for(entry(rt.port, "no-such-instance"), 2500ms);
  CHECK(r.connects == 1);
  CHECK(r.events.empty());
  CHECK(r.heartbeats == 0);
  CHECK(rt.requests() == 1);
}

TEST_CASE("cvedia: stop() publishes the events waiting for their crop at once, in order, and closes the stream") {
  sources::CurlGlobal global;
  FakeServer rt("fake_cvedia.py", {"nocrop"});
  auto cfg = entry(rt.port);
  cfg.crop_wait = 30s;
  const auto r = run_for(cfg, 2500ms, 1000ms);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].events.at(0).eventId == "N-ONE");
  CHECK(r.events[1].events.at(0).eventId == "N-TWO");
  CHECK_FALSE(r.events[0].events.at(0).targetImage);
  CHECK_FALSE(r.events[1].events.at(0).targetImage);
  CHECK(r.connects == 1); // no reconnect after stop
  CHECK(rt.requests() == 1);
}

TEST_CASE("cvedia: an event waiting when the stream drops still gets its crop from the next connection, once") {
  sources::CurlGlobal global;
  FakeServer rt("fake_cvedia.py", {"dropwait"});
  auto cfg = entry(rt.port);
  cfg.crop_wait = 4s; // covers the reconnect backoff (1 s +-20 %)
  const auto r = run_for(cfg, 3500ms);
  CHECK(r.connects == 2);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].events.at(0).eventId == "D-ONE");
  CHECK(r.events[0].events.at(0).targetImage);
}

TEST_CASE("cvedia poll: stop() lets a poll in flight finish; its events are published, held crops dropped") {
  sources::CurlGlobal global;
  FakeServer rt("fake_cvedia.py", {"slowpoll"});
  auto cfg = entry(rt.port);
  cfg.mode = "poll";
  cfg.poll_interval = 200ms;
  cfg.crop_wait = 30s;
  // 1st poll at 0 ms (204), 2nd at ~200 ms, answered at ~1.7 s; stop() comes in between.
  const auto r = run_for(cfg, 3000ms, 800ms);
  INFO(rt.request_lines().size() << " requests");
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].events.at(0).eventId == "P-TWO"); // joined with its crop at once
  CHECK(r.events[0].events.at(0).targetImage);
  CHECK(r.events[1].events.at(0).eventId == "P-ONE"); // its crop never came: released at the stop
  CHECK_FALSE(r.events[1].events.at(0).targetImage);
  CHECK(r.connects == 2);
  CHECK(rt.requests() == 2); // nothing polled after the stop
  CHECK(r.waiting == 0);
  CHECK(r.crops_held == 0); // the crop for P-GONE is dropped (counted) at the stop
}

TEST_CASE("cvedia poll: a poll in flight that does not answer within poll_grace is cancelled; stopped runs once") {
  sources::CurlGlobal global;
  FakeServer rt("fake_cvedia.py", {"hangpoll"});
  auto cfg = entry(rt.port);
  cfg.mode = "poll";
  cfg.poll_interval = 200ms;
  http::EventBasePtr base(event_base_new());
  sources::CurlLoop loop(base.get());
  std::size_t events = 0;
  sources::CvediaClient client(base.get(), loop, cfg, [&](model::Message& m, const sources::SourceCamera&) {
    events += m.kind == model::Message::Kind::heartbeat ? 0 : 1;
  });
  struct Ctx {
    sources::CvediaClient* client;
    int stopped = 0;
    bool stopping_after_call = false;
    std::chrono::steady_clock::time_point asked, done;
  } ctx{&client, 0, false, {}, {}};
  client.start();
  const auto at = sources::to_timeval(800ms);
  auto stop = [](evutil_socket_t, short, void* p) {
    auto* c = static_cast<Ctx*>(p);
    c->asked = std::chrono::steady_clock::now();
    c->client->stop(
        [c] {
          ++c->stopped;
          c->done = std::chrono::steady_clock::now();
        },
        500ms);
    c->stopping_after_call = c->client->stopping();
    c->client->stop([c] { ++c->stopped; }, 500ms); // a second stop() is a no-op
  };
  event_base_once(base.get(), -1, EV_TIMEOUT, stop, &ctx, &at);
  const auto tv = sources::to_timeval(2500ms);
  event_base_loopexit(base.get(), &tv);
  event_base_dispatch(base.get());
  CHECK(ctx.stopping_after_call); // the poll was in flight: stop() returned before it finished
  REQUIRE(ctx.stopped == 1);
  const auto took = ctx.done - ctx.asked;
  CHECK(took >= 450ms);
  CHECK(took < 1200ms);
  CHECK_FALSE(client.stopping());
  CHECK(events == 0);
  CHECK(client.connects() == 2);
  CHECK(rt.requests() == 2);
}

TEST_CASE("cvedia: stop() with nothing in flight finishes at once and counts the crops it drops") {
  sources::CurlGlobal global;
  FakeServer rt("fake_cvedia.py", {"slowpoll"});
  auto cfg = entry(rt.port);
  cfg.mode = "poll";
  cfg.poll_interval = 200ms;
  cfg.crop_wait = 30s;
  http::EventBasePtr base(event_base_new());
  sources::CurlLoop loop(base.get());
  std::vector<std::string> ids;
  sources::CvediaClient client(base.get(), loop, cfg, [&](model::Message& m, const sources::SourceCamera&) {
    if (m.kind != model::Message::Kind::heartbeat) {
      ids.push_back(m.events.at(0).eventId);
    }
  });
  client.start();
  // Poll until the slow answer is in (P-ONE waits for its crop, P-GONE's crop is held).
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (client.crops_held() == 0 && std::chrono::steady_clock::now() < until) {
    event_base_loop(base.get(), EVLOOP_ONCE);
  }
  REQUIRE(client.crops_held() == 1);
  REQUIRE(client.events_waiting() == 1);
  int stopped = 0;
  client.stop([&] { ++stopped; }); // between polls: nothing in flight
  CHECK(stopped == 1);
  CHECK_FALSE(client.stopping());
  CHECK(ids == std::vector<std::string>{"P-TWO", "P-ONE"});
  CHECK(client.crops_held() == 0);
  CHECK(client.join_stats().crops_shutdown == 1);
  CHECK(client.join_stats().crops_orphaned == 0);
}
