// Outbound sources end to end: the fake Hikvision camera (tests/fakes) -> the real daemon's
// alertStream client (libcurl on its libevent loop, Digest) -> a real mosquitto.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/daemon_process.h"
#include "support/eventually.h"
#include "util/base64.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "unit/sources/fake_camera.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::eventually;
using nlohmann::json;

namespace {
// One Hikvision source "gate" on the fake camera; `entry` adds keys to the entry, `top` sections.
std::string gate_yaml(const cam2mqtt::test::FakeCamera& cam, const std::string& entry = "", const std::string& top = "") {
  return top + "sources:\n  hikvision:\n    - id: gate\n      url: \"http://127.0.0.1:" + std::to_string(cam.port) +
         "\"\n      username: admin\n      password: s3cret\n" + entry;
}

// The fake camera, a broker, the daemon with source "gate" on the camera, and a subscriber.
struct GateRig {
  cam2mqtt::test::FakeCamera cam;
  MosquittoBroker broker;
  DaemonProcess daemon;
  MqttCollector sub;
  explicit GateRig(const char* mode = "finite", const std::string& entry = "", const std::string& top = "",
                   const std::string& filter = "cam2mqtt/#")
      : cam("admin", "s3cret", mode), daemon(broker.url(), gate_yaml(cam, entry, top)), sub(broker.port(), filter) {
    daemon.start();
  }
};

// The JPEG tests/fakes/fake_hikvision.py sends (JPEG there).
std::string fake_jpeg() {
  std::string jpeg("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
  for (int round = 0; round < 2; ++round) {
    for (int b = 0; b < 256; ++b) {
      jpeg.push_back(static_cast<char>(b));
    }
  }
  return jpeg + "\xff\xd9";
}
} // namespace

TEST_CASE("a Hikvision alertStream event arrives as normalized JSON on P/<id>/<category>") {
  MosquittoBroker::skip_if_unavailable();
  GateRig rig;
  auto& sub = rig.sub;
  INFO(rig.daemon.log());
  const auto msg = sub.wait_for_topic("cam2mqtt/gate/motion", 10s);
  REQUIRE(msg);
  const auto j = json::parse(msg->payload);
  CHECK(j["source"] == "hikvision");
  CHECK(j["cameraKey"] == "gate");
  CHECK(j["eventType"] == "VMD");
  CHECK(j["active"] == true);
  CHECK(sub.wait_for_payload("cam2mqtt/gate/availability", "online", 5s));
  // The fake's stream is finite and re-sends the same active alert: the repeat refreshes the
  // open event instead of being published again.
  std::this_thread::sleep_for(2500ms);
  CHECK(sub.messages_on("cam2mqtt/gate/motion").size() == 1);
}

TEST_CASE("a Hikvision source's device record and HA device name the maker and the deviceInfo model") {
  MosquittoBroker::skip_if_unavailable();
  GateRig rig("finite", "", "", "#");
  auto& sub = rig.sub;
  INFO(rig.daemon.log());
  auto latest = [&](auto pick) {
    json found;
    for (const auto& m : sub.messages()) {
      if (pick(m.topic)) {
        found = json::parse(m.payload, nullptr, false);
      }
    }
    return found;
  };
  auto field = [](const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  json device;
  json ha_device;
  for (int i = 0; i < 100 && (field(device, "model").empty() || field(ha_device, "model").empty()); ++i) {
    std::this_thread::sleep_for(100ms);
    device = latest([](const std::string& t) { return t == "cam2mqtt/gate/device"; });
    const auto config = latest([](const std::string& t) {
      return t.rfind("homeassistant/", 0) == 0 && t.find("cam2mqtt_gate") != std::string::npos &&
             t.size() > 7 && t.substr(t.size() - 7) == "/config";
    });
    ha_device = config.is_object() && config.contains("device") ? config["device"] : json();
    ha_device = field(ha_device, "model") == "DS-2CD2185FWD-I" ? ha_device : json();
  }
  CHECK(field(device, "manufacturer") == "Hikvision");
  CHECK(field(device, "model") == "DS-2CD2185FWD-I");
  CHECK(field(device, "serial") == "DS-2CD2185FWD-I20180101AAWR123456789");
  CHECK(field(device, "channel").empty()); // one channel: the camera itself, not an NVR channel
  CHECK(field(ha_device, "manufacturer") == "Hikvision");
  CHECK(field(ha_device, "model") == "DS-2CD2185FWD-I");
}

TEST_CASE("alertStream image parts: the JPEG bytes on P/<id>/<category>/image/source, or base64 in the payload") {
  MosquittoBroker::skip_if_unavailable();
  const std::string mode = GENERATE("split", "base64");
  GateRig rig("images", "", "images:\n  mode: " + mode + "\n");
  auto& sub = rig.sub;
  INFO(mode << "\n" << rig.daemon.log());
  const auto msg = sub.wait_for_topic("cam2mqtt/gate/motion", 10s);
  REQUIRE(msg);
  const auto j = json::parse(msg->payload);
  CHECK(j["hasImages"] == true);
  if (mode == "split") {
    CHECK(j["images"]["source"]["bytes"] == fake_jpeg().size());
    const auto image = sub.wait_for_topic("cam2mqtt/gate/motion/image/source", 5s);
    REQUIRE(image);
    CHECK(image->payload == fake_jpeg());
  } else {
    REQUIRE(j.contains("sourceImage"));
    const auto bytes = cam2mqtt::util::base64_decode(j["sourceImage"].get<std::string>());
    REQUIRE(bytes);
    CHECK(*bytes == fake_jpeg());
    CHECK(sub.messages_on("cam2mqtt/gate/motion/image/source").empty());
  }
}

TEST_CASE("snapshot: true: an event without a picture carries the camera's snapshot as image/source") {
  MosquittoBroker::skip_if_unavailable();
  GateRig rig("finite", "      snapshot: true\n");
  auto& sub = rig.sub;
  INFO(rig.daemon.log());
  const auto msg = sub.wait_for_topic("cam2mqtt/gate/motion", 10s);
  REQUIRE(msg);
  const auto j = json::parse(msg->payload);
  CHECK(j["hasImages"] == true);
  CHECK(j["images"]["source"]["bytes"] == fake_jpeg().size());
  const auto image = sub.wait_for_topic("cam2mqtt/gate/motion/image/source", 5s);
  REQUIRE(image);
  CHECK(image->payload == fake_jpeg());
  CHECK(rig.cam.requests_for("/ISAPI/Streaming/channels/101/picture") >= 1);
}

namespace {
// Without Home Assistant: its discovery holds a camera's first event of a category for 2 s, and
// the publisher's stop sends bridge/state offline before what is still held (that hold is not
// what these tests are about).
const std::string k_no_ha = "homeassistant:\n  enabled: false\n";

// The motion events and the bridge going offline (the publisher's last message), in arrival order.
std::vector<std::string> motion_and_offline(const MqttCollector& sub) {
  std::vector<std::string> order;
  for (const auto& m : sub.messages()) {
    if (m.topic == "cam2mqtt/gate/motion" || (m.topic == "cam2mqtt/bridge/state" && m.payload == "offline")) {
      order.push_back(m.topic);
    }
  }
  return order;
}
} // namespace

TEST_CASE("snapshot: true: an event still waiting for its snapshot at SIGTERM is published without it, "
          "before the bridge goes offline; the open alertStream does not hold the stop back") {
  MosquittoBroker::skip_if_unavailable();
  // The stream stays open after its alert and the picture request is never answered (the fetch
  // would give up after 5 s): the event waits for its snapshot when the daemon is told to stop.
  GateRig rig("slowpicture", "      snapshot: true\n", k_no_ha);
  auto& sub = rig.sub;
  REQUIRE(sub.wait_for_payload("cam2mqtt/gate/availability", "online", 10s));
  REQUIRE(eventually([&] { return rig.cam.requests_for("/ISAPI/Streaming/channels/101/picture") >= 2; }, 5s));
  REQUIRE(sub.messages_on("cam2mqtt/gate/motion").empty());
  const auto stop_at = std::chrono::steady_clock::now();
  CHECK(rig.daemon.stop() == 0);
  CHECK(std::chrono::steady_clock::now() - stop_at < 4s); // neither the stream nor the fetch waited out
  INFO(rig.daemon.log());
  // Acknowledged by the broker (QoS 1) before the daemon exited; the subscriber may lag a little.
  const auto msg = sub.wait_for_topic("cam2mqtt/gate/motion", 5s);
  REQUIRE(msg);
  const auto j = json::parse(msg->payload);
  CHECK(j["eventType"] == "VMD");
  CHECK(j["hasImages"] == false);
  CHECK(sub.messages_on("cam2mqtt/gate/motion/image/source").empty());
  CHECK(motion_and_offline(sub) == std::vector<std::string>{"cam2mqtt/gate/motion", "cam2mqtt/bridge/state"});
}

TEST_CASE("an alert still waiting for its announced picture at SIGTERM is published without it, "
          "before the bridge goes offline") {
  MosquittoBroker::skip_if_unavailable();
  // The alert announces a binary picture that never comes: it would wait 2 s for it.
  GateRig rig("lostpicture", "", k_no_ha);
  auto& sub = rig.sub;
  REQUIRE(sub.wait_for_payload("cam2mqtt/gate/availability", "online", 10s));
  REQUIRE(sub.messages_on("cam2mqtt/gate/motion").empty());
  CHECK(rig.daemon.stop() == 0);
  INFO(rig.daemon.log());
  const auto msg = sub.wait_for_topic("cam2mqtt/gate/motion", 5s);
  REQUIRE(msg);
  CHECK(json::parse(msg->payload)["hasImages"] == false);
  CHECK(motion_and_offline(sub) == std::vector<std::string>{"cam2mqtt/gate/motion", "cam2mqtt/bridge/state"});
}
