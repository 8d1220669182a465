// HikvisionClient on a real libevent loop against tests/fakes/fake_hikvision.py: Digest, a
// finite stream that ends (reconnect after the backoff), wrong password (no busy loop), and
// stop() publishing what still waits for a picture.
#include <catch2/catch.hpp>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <sstream>

#include "fake_camera.h"
#include "sources/curl_options.h"
#include "sources/hikvision_client.h"
#include "util/base64.h"

using namespace cam2mqtt;
using namespace std::chrono_literals;
using cam2mqtt::test::FakeCamera;

namespace {
struct Run {
  std::vector<std::pair<sources::SourceCamera, model::Message>> got;
  std::vector<model::DeviceIdentity> identities; // heartbeats: here only the deviceInfo answer
  std::uint64_t connects = 0;
  sources::SnapshotQueue::Stats snapshots; // zero without `snapshot: true`
};

// An entry for the fake camera; id "" = keyed by the URL host.
config::HikvisionSourceConfig source_for(const FakeCamera& cam, const std::string& id,
                                         const std::string& password = "s3cret") {
  config::HikvisionSourceConfig cfg;
  cfg.id = id;
  cfg.url = "http://127.0.0.1:" + std::to_string(cam.port);
  cfg.username = "admin";
  cfg.password = password;
  return cfg;
}

// Routes the default logger into a string while alive (the client logs through SPDLOG_* macros).
struct LogCapture {
  std::ostringstream text;
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  LogCapture() {
    auto logger = std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(text));
    logger->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string str() const { return text.str(); }
};

// Runs the client for `how_long`; with `stop_after`, calls client.stop() then (the daemon's stop).
Run run_for(const config::HikvisionSourceConfig& cfg, std::chrono::milliseconds how_long,
            std::optional<std::chrono::milliseconds> stop_after = std::nullopt) {
  http::EventBasePtr base(event_base_new());
  sources::CurlLoop loop(base.get());
  Run r;
  sources::HikvisionClient client(base.get(), loop, cfg,
                                  [&](model::Message& m, const sources::SourceCamera& c) {
                                    if (m.kind == model::Message::Kind::heartbeat) {
                                      r.identities.push_back(m.device);
                                    } else {
                                      r.got.emplace_back(c, m);
                                    }
                                  });
  client.start();
  if (stop_after) {
    const auto at = sources::to_timeval(*stop_after);
    auto stop = [](evutil_socket_t, short, void* c) { static_cast<sources::HikvisionClient*>(c)->stop(); };
    event_base_once(base.get(), -1, EV_TIMEOUT, stop, &client, &at);
  }
  const auto tv = sources::to_timeval(how_long);
  event_base_loopexit(base.get(), &tv);
  event_base_dispatch(base.get());
  r.connects = client.connects();
  if (const auto* st = client.snapshot_stats()) {
    r.snapshots = *st;
  }
  return r;
}
} // namespace

TEST_CASE("camera keys: id, else URL host; -ch<N> only with several channels") {
  config::HikvisionSourceConfig c;
  c.url = "http://192.168.1.64:8080/";
  CHECK(sources::hikvision_camera_key(c, "1") == "192.168.1.64");
  c.channels = {1, 2};
  CHECK(sources::hikvision_camera_key(c, "2") == "192.168.1.64-ch2");
  c.id = "gate";
  CHECK(sources::hikvision_camera_key(c, "") == "gate");
  CHECK(sources::url_host("https://[fd00::1]:443/x") == "fd00::1");
}

TEST_CASE("alertStream: Digest, events delivered, a finite stream reopened after the backoff") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret");
  auto cfg = source_for(cam, "gate");
  const auto r = run_for(cfg, 2600ms);
  CHECK(r.connects >= 2); // 1 s after the first end, the second stream
  REQUIRE(r.got.size() >= 2);
  CHECK(r.got[0].first.key == "gate");
  CHECK(r.got[0].second.events.at(0).eventType == "VMD");
  CHECK(r.got[0].second.device.channelId.empty()); // one channel: the record is the camera's
  CHECK(r.got[0].second.events.at(0).device.channelId == "1"); // the payload keeps it
  // Once the stream was open, deviceInfo was asked for once and handed over as the identity.
  CHECK(cam.requests_for("/ISAPI/System/deviceInfo") == 2); // challenge + answer
  REQUIRE(r.identities.size() == 1);
  CHECK(r.identities[0].manufacturer == "Hikvision");
  CHECK(r.identities[0].model == "DS-2CD2185FWD-I");
}

TEST_CASE("alertStream: a wrong password backs off, no busy loop") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret");
  auto cfg = source_for(cam, "", "wrong");
  LogCapture log;
  const auto r = run_for(cfg, 3000ms);
  CHECK(r.got.empty());
  CHECK(r.connects == 1);
  CHECK(cam.requests() == 2); // challenge + one answer in 3 s, then 60 s of backoff
  INFO(log.str());
  CHECK(log.str().find("credentials refused") != std::string::npos); // an operator must act
  CHECK(log.str().find("s3cret") == std::string::npos);
  CHECK(log.str().find("wrong") == std::string::npos); // never the password
}

TEST_CASE("alertStream: a nonce renewed mid-session (401 stale=true) is answered again, no credential error") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret", "stale");
  auto cfg = source_for(cam, "gate");
  LogCapture log;
  const auto r = run_for(cfg, 2600ms);
  INFO(log.str());
  CHECK(cam.stale_answers() >= 2); // every stream (and the deviceInfo request) went through a renewal
  CHECK(r.connects >= 2);          // the normal 1 s reconnect, not the 60 s credential backoff
  REQUIRE(r.got.size() >= 2);      // events keep arriving
  CHECK(r.got[0].second.events.at(0).eventType == "VMD");
  CHECK(log.str().find("credentials refused") == std::string::npos);
}

TEST_CASE("alertStream: a stream that stalls with TCP open is reopened by the watchdog") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret", "stall");
  auto cfg = source_for(cam, "gate");
  cfg.stall_timeout = std::chrono::seconds(1); // the config allows >= 5s; shorter keeps the test fast
  const auto r = run_for(cfg, 4500ms);
  CHECK(r.connects >= 2);
  CHECK(r.got.size() >= 2); // the part before each stall was delivered
}

TEST_CASE("alertStream: an entry with several channels keys each event by its channel") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret");
  auto cfg = source_for(cam, "nvr");
  cfg.channels = {1, 2};
  const auto r = run_for(cfg, 1200ms);
  REQUIRE(!r.got.empty());
  CHECK(r.got[0].first.key == "nvr-ch1");
  CHECK(r.got[0].second.device.channelId == "1"); // an NVR channel of its own in the record
}

TEST_CASE("snapshot: an event without a picture gets /ISAPI/Streaming/channels/101/picture as its source image") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret");
  auto cfg = source_for(cam, "gate");
  cfg.snapshot = true;
  const auto r = run_for(cfg, 2600ms);
  REQUIRE(r.got.size() >= 2);
  const auto& first = r.got[0].second.events.at(0);
  REQUIRE(first.sourceImage);
  const auto jpeg = util::base64_decode(first.sourceImage->base64);
  REQUIRE(jpeg);
  CHECK(jpeg->size() == 534);
  CHECK(static_cast<unsigned char>(jpeg->front()) == 0xFF);
  // The fake re-sends the same active alert on each stream: a repeat within event_timeout
  // fetches nothing more (challenge + answer for the one picture).
  CHECK(!r.got[1].second.events.at(0).sourceImage);
  CHECK(cam.requests_for("/ISAPI/Streaming/channels/101/picture") == 2);
}

TEST_CASE("snapshot: a camera answering XML instead of a JPEG: the event goes without a picture") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret", "xmlpicture");
  auto cfg = source_for(cam, "gate");
  cfg.snapshot = true;
  const auto r = run_for(cfg, 1200ms);
  REQUIRE(!r.got.empty());
  CHECK(!r.got[0].second.events.at(0).sourceImage);
  CHECK(cam.requests_for("/ISAPI/Streaming/channels/101/picture") == 2);
}

TEST_CASE("alertStream: an alert whose announced picture never comes is delivered after 2 s without it") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret", "lostpicture");
  auto cfg = source_for(cam, "gate");
  const auto r = run_for(cfg, 3500ms); // the stream stays open and silent (stall_timeout 60 s)
  REQUIRE(r.got.size() == 1);
  CHECK(r.connects == 1);
  CHECK(!r.got[0].second.events.at(0).sourceImage);
}

TEST_CASE("stop(): an event waiting for its snapshot is published at once without it, and the stream stays closed") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret", "slowpicture"); // the picture request is never answered
  auto cfg = source_for(cam, "gate");
  cfg.snapshot = true;
  const auto r = run_for(cfg, 2500ms, 1000ms); // the fetch would give up after 5 s
  REQUIRE(r.got.size() == 1);
  CHECK(r.got[0].second.events.at(0).eventType == "VMD");
  CHECK(!r.got[0].second.events.at(0).sourceImage);
  CHECK(r.connects == 1); // no reconnect after stop
  CHECK(cam.requests_for("/ISAPI/Event/notification/alertStream") == 2); // challenge + answer
  CHECK(cam.requests_for("/ISAPI/Streaming/channels/101/picture") == 2); // not asked again
  CHECK(r.snapshots.stopped == 1);
  CHECK(r.snapshots.failed == 0);
  CHECK(r.snapshots.fetched == 0);
}

TEST_CASE("stop(): an alert waiting for its announced picture is published at once without it") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret", "lostpicture");
  auto cfg = source_for(cam, "gate");
  const auto r = run_for(cfg, 1500ms, 500ms); // before its 2 s wait is over
  REQUIRE(r.got.size() == 1);
  CHECK(!r.got[0].second.events.at(0).sourceImage);
  CHECK(r.connects == 1);
}

TEST_CASE("stop(): a stream ended normally is not reopened after a stop") {
  sources::CurlGlobal global;
  FakeCamera cam("admin", "s3cret"); // finite: reopened after the 1 s backoff without a stop
  auto cfg = source_for(cam, "gate");
  const auto r = run_for(cfg, 2600ms, 500ms);
  CHECK(r.connects == 1);
  CHECK(cam.requests_for("/ISAPI/Event/notification/alertStream") == 2);
}
