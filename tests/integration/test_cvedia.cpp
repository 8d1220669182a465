// CVEDIA-RT end to end: the fake RT server (tests/fakes/fake_cvedia.py) -> the real daemon's
// SSE / polling client (libcurl on its libevent loop) -> a real mosquitto.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/daemon_process.h"
#include "support/fake_server.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::FakeServer;
using nlohmann::json;

namespace {
const std::string k_instance = "3f1c6a2e-0000-4000-8000-00000000cafe";
const std::string k_filter = "[event-intrusion, event-intrusion-end, event-line-crossing, event-area-enter, "
                             "event-area-exit, event-loitering, event-loitering-end, event-crowd-detection, "
                             "event-dwelling, event-tailgating, event-object-left-removed, event-armed-person, "
                             "event-armed-person-end, event-fallen-person, event-fallen-person-end, "
                             "event-count-changed, event-brand-new-thing, event-status-changed, crop, statistics]";

std::string config(int port, const std::string& entry_extra, const std::string& top_extra = "") {
  return top_extra + "homeassistant:\n  enabled: false\nsources:\n  cvedia:\n    - id: yard\n      url: \"http://127.0.0.1:" +
         std::to_string(port) + "\"\n      instance: \"" + k_instance + "\"\n" + entry_extra;
}

// The fake RT server in one scenario, a broker, the daemon with one cvedia entry, a subscriber.
struct Rig {
  FakeServer rt;
  MosquittoBroker broker;
  DaemonProcess daemon;
  MqttCollector sub;
  Rig(const std::string& scenario, const std::string& entry_extra, const std::string& top_extra = "")
      : rt("fake_cvedia.py", {scenario}), daemon(broker.url(), config(rt.port, entry_extra, top_extra)),
        sub(broker.port(), "cam2mqtt/#") {
    daemon.start();
  }
};

// The events published on the category topics of camera `yard`, by "eventType eventId".
std::map<std::string, std::vector<json>> events_by_key(const MqttCollector& sub) {
  std::map<std::string, std::vector<json>> out;
  for (const auto& m : sub.messages()) {
    const auto slash = m.topic.find('/', std::string("cam2mqtt/yard/").size());
    if (m.topic.rfind("cam2mqtt/yard/", 0) != 0 || slash != std::string::npos) {
      continue; // image, availability and device topics
    }
    if (m.topic == "cam2mqtt/yard/availability" || m.topic == "cam2mqtt/yard/device") {
      continue;
    }
    auto j = json::parse(m.payload);
    j["_topic"] = m.topic;
    out[j.value("eventType", "") + " " + j.value("eventId", "")].push_back(j);
  }
  return out;
}

std::size_t event_count(const MqttCollector& sub) {
  std::size_t n = 0;
  for (const auto& [key, list] : events_by_key(sub)) {
    n += list.size();
  }
  return n;
}

bool wait_events(const MqttCollector& sub, std::size_t n, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (event_count(sub) < n && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(50ms);
  }
  return event_count(sub) >= n;
}

// What fake_cvedia.py's `all` scenario publishes: "eventType eventId" -> (topic, subtype).
const std::map<std::string, std::pair<std::string, std::string>> k_all = {
    {"event-intrusion E-INTR", {"intrusion", "regionIntrusion"}},
    {"event-intrusion-end E-INTR", {"intrusion", "regionIntrusion"}},
    {"event-line-crossing E-LINE", {"intrusion", "lineCrossing"}},
    {"event-area-enter E-ENTER", {"intrusion", "regionEntry"}},
    {"event-area-exit E-EXIT", {"intrusion", "regionExit"}},
    {"event-loitering E-LOIT", {"intrusion", "loitering"}},
    {"event-loitering-end E-LOIT", {"intrusion", "loitering"}},
    {"event-dwelling E-DWELL", {"intrusion", "dwelling"}},
    {"event-tailgating E-TAIL", {"intrusion", "tailgating"}},
    {"event-crowd-detection E-CROWD", {"counting", "crowd"}},
    {"event-count-changed E-COUNT", {"counting", "lineCounting"}},
    {"event-object-left-removed E-LEFT", {"other", "objectLeftRemoved"}},
    {"event-armed-person E-ARMED", {"other", "armedPerson"}},
    {"event-armed-person-end E-ARMED", {"other", "armedPerson"}},
    {"event-fallen-person E-FALL", {"other", "fallenPerson"}},
    {"event-fallen-person-end E-FALL", {"other", "fallenPerson"}},
    {"event-brand-new-thing E-NEW", {"other", "brandNewThing"}},
};

void check_all_events(const MqttCollector& sub, bool split_images) {
  const auto got = events_by_key(sub);
  CHECK(got.size() == k_all.size());
  for (const auto& [key, want] : k_all) {
    INFO(key);
    const auto it = got.find(key);
    REQUIRE(it != got.end());
    REQUIRE(it->second.size() == 1); // nothing twice
    const json& j = it->second.front();
    CHECK(j["_topic"] == "cam2mqtt/yard/" + want.first);
    CHECK(j["subtype"] == want.second);
    CHECK(j["source"] == "cvedia");
    CHECK(j["cameraKey"] == "yard");
    CHECK(j["eventTimeSource"] == "device");
    const auto& box = j["targets"][0]["box"];
    CHECK(box["scale"] == 1);
    CHECK(box["x1"] == Approx(0.25));
    CHECK(box["y2"] == Approx(0.75));
    const bool cropped = key == "event-intrusion E-INTR" || key == "event-line-crossing E-LINE";
    CHECK(j["hasImages"] == cropped);
    if (cropped && split_images) {
      CHECK(j["images"]["target"]["topic"] == "cam2mqtt/yard/intrusion/image/target");
      CHECK(j["images"]["target"]["bytes"].get<int>() > 0);
    }
    if (cropped && !split_images) {
      CHECK(j["targetImage"].get<std::string>().rfind("/9j/", 0) == 0);
    }
  }
  CHECK(got.at("event-intrusion E-INTR")[0]["active"] == true);
  CHECK(got.at("event-intrusion-end E-INTR")[0]["active"] == false);
  CHECK(got.at("event-intrusion-end E-INTR")[0]["durationMs"] == 4200);
  CHECK(got.at("event-line-crossing E-LINE")[0]["direction"] == "down");
  CHECK(got.at("event-count-changed E-COUNT")[0]["count"] == 7);
  CHECK(sub.messages_on("cam2mqtt/yard/traject").empty());
}
} // namespace

TEST_CASE("cvedia sse: every event type arrives normalized, crops as target images, nothing twice") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("all", "      events: " + k_filter + "\n      crop_wait: 500ms\n");
  auto& [rt, broker, daemon, sub] = rig;
  REQUIRE(wait_events(sub, k_all.size(), 15s));
  std::this_thread::sleep_for(1500ms); // anything late or doubled would show now
  INFO(daemon.log());
  check_all_events(sub, true);
  const auto image = sub.wait_for_topic("cam2mqtt/yard/intrusion/image/target", 2s);
  REQUIRE(image);
  CHECK(image->payload.substr(0, 2) == "\xFF\xD8");
  MqttCollector late(broker.port(), "cam2mqtt/yard/intrusion/image/target"); // retained: a new subscriber gets it
  REQUIRE(late.wait_for(1, 5s));
  CHECK(late.messages()[0].retained);
  CHECK(sub.wait_for_payload("cam2mqtt/yard/availability", "online", 2s));
  const auto device = sub.wait_for_topic("cam2mqtt/yard/device", 2s);
  REQUIRE(device);
  CHECK(json::parse(device->payload)["model"] == "CVEDIA-RT");
  CHECK(json::parse(device->payload)["manufacturer"] == "CVEDIA");
  const auto reqs = rt.request_lines();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].find("/v1/core/instance/" + k_instance + "/consume_events_sse?events=event-intrusion,") !=
        std::string::npos);
}

TEST_CASE("cvedia sse: a connection dropped mid-record reconnects; the half record is not published, "
          "the replay publishes nothing twice") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("cut", "      crop_wait: 200ms\n");
  auto& [rt, broker, daemon, sub] = rig;
  REQUIRE(wait_events(sub, 4, 15s));
  std::this_thread::sleep_for(1500ms);
  INFO(daemon.log());
  const auto got = events_by_key(sub);
  CHECK(got.size() == 4);
  for (const char* key : {"event-line-crossing C-ONE", "event-intrusion C-TWO", "event-intrusion-end C-TWO",
                          "event-line-crossing C-NEW"}) {
    INFO(key);
    REQUIRE(got.count(key) == 1);
    CHECK(got.at(key).size() == 1);
  }
  CHECK(got.count("event-line-crossing C-HALF") == 0);
  CHECK(rt.requests() == 2);
}

TEST_CASE("cvedia sse: the server's retry: sets the reconnect delay") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("retry", "");
  auto& [rt, broker, daemon, sub] = rig;
  const auto until = std::chrono::steady_clock::now() + 15s;
  while (rt.requests() < 3 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(100ms);
  }
  INFO(daemon.log());
  const auto reqs = rt.request_lines();
  REQUIRE(reqs.size() >= 3);
  // "REQ <monotonic seconds> <path>": 2500 ms ±20 % jitter (the default would be 1 s, then 2 s).
  auto at = [&](std::size_t i) { return std::stod(reqs[i].substr(4)); };
  for (std::size_t i = 1; i < 3; ++i) {
    const double gap = at(i) - at(i - 1) - 0.2; // the fake keeps each stream 0.2 s
    INFO("gap " << gap);
    CHECK(gap >= 1.9);
    CHECK(gap <= 4.0); // loaded CI machines answer late
  }
  CHECK(events_by_key(sub).size() == 1); // the same event on every connection: published once
}

TEST_CASE("cvedia poll: consume_events delivers the same events (images base64)") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("poll", "      mode: poll\n      poll_interval: 200ms\n      crop_wait: 500ms\n      events: " + k_filter + "\n",
          "images:\n  mode: base64\n");
  auto& [rt, broker, daemon, sub] = rig;
  REQUIRE(wait_events(sub, k_all.size(), 15s));
  std::this_thread::sleep_for(1000ms);
  INFO(daemon.log());
  check_all_events(sub, false);
  const auto reqs = rt.request_lines();
  REQUIRE(reqs.size() >= 3); // polled on after the first (draining) answer
  for (const auto& r : reqs) {
    CHECK(r.find("/consume_events_sse") == std::string::npos);
  }
}

TEST_CASE("cvedia sse: a crop later than crop_wait does not hold its event back") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("late", "      crop_wait: 500ms\n");
  auto& [rt, broker, daemon, sub] = rig;
  // The crop comes 3 s after the event. Had the event waited for it, it would carry the image.
  REQUIRE(wait_events(sub, 1, 6s));
  const auto got = events_by_key(sub);
  REQUIRE(got.count("event-line-crossing L-ONE") == 1);
  CHECK(got.at("event-line-crossing L-ONE")[0]["hasImages"] == false);
  std::this_thread::sleep_for(3500ms); // the late crop is dropped, not published on its own
  INFO(daemon.log());
  CHECK(event_count(sub) == 1);
  CHECK(sub.messages_on("cam2mqtt/yard/intrusion/image/target").empty());
}

TEST_CASE("cvedia sse: events waiting for a crop that never comes are published at SIGTERM, in order, "
          "without it, before the daemon exits") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("nocrop", "      crop_wait: 30s\n");
  auto& [rt, broker, daemon, sub] = rig;
  // The stream's first bytes bring the events and set the camera online.
  REQUIRE(sub.wait_for_payload("cam2mqtt/yard/availability", "online", 10s));
  std::this_thread::sleep_for(500ms);
  INFO(daemon.log());
  REQUIRE(event_count(sub) == 0); // both wait for their crop (30 s)
  const auto stop_at = std::chrono::steady_clock::now();
  CHECK(daemon.stop() == 0);
  CHECK(std::chrono::steady_clock::now() - stop_at < 10s); // not held for crop_wait
  // Acknowledged by the broker (QoS 1) before the daemon exited; the subscriber may lag a little.
  REQUIRE(wait_events(sub, 2, 5s));
  const auto got = events_by_key(sub);
  CHECK(got.size() == 2);
  for (const char* key : {"event-line-crossing N-ONE", "event-intrusion N-TWO"}) {
    INFO(key);
    REQUIRE(got.count(key) == 1);
    REQUIRE(got.at(key).size() == 1);
    CHECK(got.at(key)[0]["hasImages"] == false);
  }
  // In arrival order, and before the bridge went offline (the publisher's last message).
  std::vector<std::string> order;
  for (const auto& m : sub.messages()) {
    if (m.topic == "cam2mqtt/yard/intrusion") {
      order.push_back(json::parse(m.payload).value("eventId", ""));
    } else if (m.topic == "cam2mqtt/bridge/state" && m.payload == "offline") {
      order.push_back("offline");
    }
  }
  CHECK(order == std::vector<std::string>{"N-ONE", "N-TWO", "offline"});
  CHECK(sub.messages_on("cam2mqtt/yard/intrusion/image/target").empty());
}

namespace {
// Waits until the fake has received `n` requests.
bool wait_requests(const FakeServer& rt, int n, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (rt.requests() < n && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(20ms);
  }
  return rt.requests() >= n;
}
} // namespace

TEST_CASE("cvedia poll: the events of a poll in flight at SIGTERM are published before the daemon exits") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("slowpoll", "      mode: poll\n      poll_interval: 200ms\n      crop_wait: 30s\n");
  auto& [rt, broker, daemon, sub] = rig;
  // The 2nd poll is answered 1.5 s after it arrives: SIGTERM comes while it is in flight.
  REQUIRE(wait_requests(rt, 2, 10s));
  const auto stop_at = std::chrono::steady_clock::now();
  CHECK(daemon.stop() == 0);
  const auto took = std::chrono::steady_clock::now() - stop_at;
  INFO(daemon.log());
  CHECK(took < 5s); // the poll's 1.5 s, then the flush; not stall_timeout, not crop_wait
  REQUIRE(wait_events(sub, 2, 5s));
  const auto got = events_by_key(sub);
  CHECK(got.size() == 2);
  REQUIRE(got.count("event-intrusion P-TWO") == 1);
  CHECK(got.at("event-intrusion P-TWO")[0]["hasImages"] == true); // its crop came in the same answer
  REQUIRE(got.count("event-line-crossing P-ONE") == 1);
  CHECK(got.at("event-line-crossing P-ONE")[0]["hasImages"] == false); // its crop never came
  std::vector<std::string> order; // published before the bridge went offline
  for (const auto& m : sub.messages()) {
    if (m.topic == "cam2mqtt/yard/intrusion") {
      order.push_back(json::parse(m.payload).value("eventId", ""));
    } else if (m.topic == "cam2mqtt/bridge/state" && m.payload == "offline") {
      order.push_back("offline");
    }
  }
  CHECK(order == std::vector<std::string>{"P-TWO", "P-ONE", "offline"});
  CHECK(rt.requests() == 2); // no poll after the stop
  CHECK(daemon.log().find("crops_dropped=1") != std::string::npos); // P-GONE's crop, said at the stop
}

TEST_CASE("cvedia poll: a poll that never answers delays SIGTERM by the grace only; a second SIGTERM exits at once") {
  MosquittoBroker::skip_if_unavailable();
  {
    Rig rig("hangpoll", "      mode: poll\n      poll_interval: 200ms\n");
    auto& [rt, broker, daemon, sub] = rig;
    REQUIRE(wait_requests(rt, 2, 10s));
    const auto stop_at = std::chrono::steady_clock::now();
    CHECK(daemon.stop() == 0);
    const auto took = std::chrono::steady_clock::now() - stop_at;
    INFO(daemon.log());
    CHECK(took < 5s); // the 2 s grace and the flush, not the poll's own timeout (stall_timeout)
    CHECK(sub.wait_for_payload("cam2mqtt/bridge/state", "offline", 5s));
  }
  {
    Rig rig("hangpoll", "      mode: poll\n      poll_interval: 200ms\n");
    auto& [rt, broker, daemon, sub] = rig;
    REQUIRE(wait_requests(rt, 2, 10s));
    REQUIRE(::kill(daemon.pid(), SIGTERM) == 0);
    std::this_thread::sleep_for(300ms); // inside the grace
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(daemon.stop() == 0);
    INFO(daemon.log());
    CHECK(std::chrono::steady_clock::now() - t0 < 1s);
  }
}
