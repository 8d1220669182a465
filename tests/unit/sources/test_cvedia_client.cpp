// CvediaClient on a real libevent loop against tests/fakes/fake_cvedia.py: URL and key, the
// stall watchdog, an unknown instance (no busy loop), events waiting for their crop across a
// reconnect and at stop().
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
