// Issue 3, availability against the real daemon: bridge state (online on connect, offline as
// last will and on a clean stop), camera availability (offline after cameras.offline_after of
// silence, online again on the next post), and retained state published again after the broker
// comes back without it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

#include "daemon_test_support.h"
#include "delivery_test_support.h"
#include "support/daemon_process.h"
#include "support/http_client.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;

namespace {

struct SkipWithoutMosquitto {
  SkipWithoutMosquitto() { MosquittoBroker::skip_if_unavailable(); }
} const k_skip_without_mosquitto;

// The payloads recorded on `topic`, in order.
std::vector<std::string> payloads(const MqttCollector& sub, const std::string& topic) {
  std::vector<std::string> out;
  for (const auto& m : sub.messages_on(topic)) {
    out.push_back(m.payload);
  }
  return out;
}

bool wait_last_payload(const MqttCollector& sub, const std::string& topic, const std::string& payload,
                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto got = payloads(sub, topic);
    if (!got.empty() && got.back() == payload) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

} // namespace

TEST_CASE("a silent camera turns offline within offline_after + 5 s and online on its next post",
          "[integration][availability]") {
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url(), "images:\n  mode: none\ncameras:\n  offline_after: 2s\n");
  daemon.start();
  const std::string topic = "cam2mqtt/" + camera_key(3) + "/availability";
  MqttCollector sub(broker.port(), topic);
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  REQUIRE(post(*client, numbered_post(3, 1)) == 200);
  const auto posted = std::chrono::steady_clock::now();
  INFO(daemon.log());
  REQUIRE(wait_last_payload(sub, topic, "online", 5s));
  REQUIRE(wait_last_payload(sub, topic, "offline", 2s + 5s));
  const auto silent_for = std::chrono::steady_clock::now() - posted;
  CHECK(silent_for >= 2s);
  CHECK(silent_for < 7s);
  const auto retained = MqttCollector(broker.port(), topic).wait_for_topic(topic, 5s);
  REQUIRE(retained);
  CHECK(retained->retained);
  CHECK(retained->payload == "offline");

  // A heartbeat-free event post brings it back (the connection may have idled out meanwhile).
  client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  REQUIRE(post(*client, numbered_post(3, 2)) == 200);
  REQUIRE(wait_last_payload(sub, topic, "online", 5s));
  // Transitions only (a republish after the connect may repeat a state).
  auto states = payloads(sub, topic);
  states.erase(std::unique(states.begin(), states.end()), states.end());
  CHECK(states == std::vector<std::string>{"online", "offline", "online"});
}

TEST_CASE("bridge state: retained online on connect, offline as last will on SIGKILL and on SIGTERM",
          "[integration][availability]") {
  MosquittoBroker broker;
  const std::string topic = "cam2mqtt/bridge/state";
  MqttCollector sub(broker.port(), topic);
  DaemonProcess daemon(broker.url(), "images:\n  mode: none\n");
  daemon.start();
  INFO(daemon.log());
  REQUIRE(wait_last_payload(sub, topic, "online", 10s));
  daemon.kill(); // the broker publishes the last will
  REQUIRE(wait_last_payload(sub, topic, "offline", 5s));
  daemon.start();
  REQUIRE(wait_last_payload(sub, topic, "online", 10s));
  CHECK(daemon.stop(SIGTERM) == 0);
  REQUIRE(wait_last_payload(sub, topic, "offline", 5s));
  const auto retained = MqttCollector(broker.port(), topic).wait_for_topic(topic, 5s);
  REQUIRE(retained);
  CHECK(retained->retained);
  CHECK(retained->payload == "offline");
}

TEST_CASE("after a reconnect to a broker that lost everything, retained bridge and camera state is back",
          "[integration][availability]") {
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url(), "images:\n  mode: none\n");
  daemon.start();
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  REQUIRE(post(*client, numbered_post(4, 1)) == 200);
  const std::string prefix = "cam2mqtt/" + camera_key(4);
  INFO(daemon.log());
  {
    MqttCollector before(broker.port(), "cam2mqtt/#");
    REQUIRE(before.wait_for_topic(prefix + "/device", 10s));
  }
  broker.kill();
  std::error_code ec;
  std::filesystem::remove(broker.dir() + "/mosquitto.db", ec);
  broker.start();
  MqttCollector after(broker.port(), "cam2mqtt/#");
  CHECK(after.wait_for_payload("cam2mqtt/bridge/state", "online", 20s));
  CHECK(after.wait_for_payload(prefix + "/availability", "online", 10s));
  const auto device = after.wait_for_topic(prefix + "/device", 10s);
  REQUIRE(device);
  CHECK(device->payload.find("Cam 4") != std::string::npos);
  // And they are retained: a subscriber arriving now gets them at once.
  MqttCollector late(broker.port(), prefix + "/+");
  CHECK(late.wait_for_topic(prefix + "/availability", 5s));
  CHECK(late.wait_for_topic(prefix + "/device", 5s));
}
