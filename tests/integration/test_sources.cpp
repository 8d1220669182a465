// Outbound sources end to end: the fake Hikvision camera (tests/fakes) -> the real daemon's
// alertStream client (libcurl on its libevent loop, Digest) -> a real mosquitto.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "unit/sources/fake_camera.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using nlohmann::json;

TEST_CASE("a Hikvision alertStream event arrives as normalized JSON on P/<id>/<category>") {
  MosquittoBroker::skip_if_unavailable();
  cam2mqtt::test::FakeCamera cam("admin", "s3cret");
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url(), "sources:\n  hikvision:\n    - id: gate\n      url: \"http://127.0.0.1:" +
                                         std::to_string(cam.port) +
                                         "\"\n      username: admin\n      password: s3cret\n");
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  daemon.start();
  INFO(daemon.log());
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
