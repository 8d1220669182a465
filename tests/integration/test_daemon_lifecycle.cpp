// The daemon's life: command line modes, start, retained state, SIGTERM, broker outages.
#include <catch2/catch.hpp>

#include <csignal>
#include <sstream>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;
using nlohmann::json;

namespace {
std::string source(const std::string& rel) {
  return std::string(CAM2MQTT_SOURCE_DIR) + "/" + rel;
}
} // namespace

TEST_CASE("--check-config exits 0 on the shipped config and 78 with file:line:col on a bad one") {
  auto r = run_daemon_command({"--check-config", "-c", source("config/cam2mqtt.yaml")});
  CHECK(r.exit_code == 0);
  r = run_daemon_command({"--check-config", "-c", source("fixtures/config/invalid/qos_3.yaml")});
  CHECK(r.exit_code == 78);
  CHECK(r.err.find("qos_3.yaml:") != std::string::npos);
  CHECK(r.err.find("mqtt.qos") != std::string::npos);
  r = run_daemon_command({"--check-config", "-c", "/nonexistent/cam2mqtt.yaml"});
  CHECK(r.exit_code == 78);
  r = run_daemon_command({"-c", "/nonexistent/cam2mqtt.yaml"}); // running with a bad config, too
  CHECK(r.exit_code == 78);
  r = run_daemon_command({"--bogus"});
  CHECK(r.exit_code == 2);
  r = run_daemon_command({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("cam2mqtt ", 0) == 0);
}

TEST_CASE("parse prints the golden payloads, heartbeats and errors, one JSON line each") {
  const std::vector<std::string> rels{"nvr_v2/vehicle_lpr.xml", "alarm_status/ipc_v1_two_alarms.xml",
                                      "heartbeat/nvr_keepalive.xml", "invalid/truncated_mid_element.xml"};
  std::vector<std::string> args{"parse", "--peer", "192.168.1.10"};
  for (const auto& rel : rels) {
    args.push_back(std::string(CAM2MQTT_FIXTURES_DIR) + "/xml/" + rel);
  }
  const auto r = run_daemon_command(args);
  CHECK(r.exit_code == 1); // one file did not decode
  std::istringstream lines(r.out);
  std::string line;
  std::vector<json> got;
  while (std::getline(lines, line)) {
    got.push_back(json::parse(line));
  }
  std::vector<json> want;
  for (const auto& rel : rels) {
    for (auto& j : golden(rel)) {
      want.push_back(j);
    }
  }
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (want[i].contains("error")) {
      CHECK(got[i]["error"] == want[i]["error"]);
      continue;
    }
    CHECK(comparable(got[i]) == comparable(want[i]));
  }
}

TEST_CASE("SIGTERM exits 0 and leaves retained offline; camera state is retained") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url());
  daemon.start();
  {
    MqttCollector sub(broker.port(), "cam2mqtt/bridge/state");
    REQUIRE(sub.wait_for_payload("cam2mqtt/bridge/state", "online", 10s));
  }
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  REQUIRE(post(*client, fixture("heartbeat/nvr_keepalive.xml")) == 200);

  MqttCollector retained(broker.port(), "cam2mqtt/+/+");
  INFO(daemon.log());
  REQUIRE(retained.wait_for_topic("cam2mqtt/192.168.0.60/availability", 10s));
  REQUIRE(retained.wait_for_topic("cam2mqtt/192.168.0.60/device", 10s));
  const auto device = json::parse(retained.messages_on("cam2mqtt/192.168.0.60/device").back().payload);
  CHECK(device["name"] == "NVR Office");

  CHECK(daemon.stop(SIGTERM) == 0);
  MqttCollector after(broker.port(), "cam2mqtt/bridge/state");
  const auto state = after.wait_for_topic("cam2mqtt/bridge/state", 5s);
  REQUIRE(state);
  CHECK(state->payload == "offline");
  CHECK(state->retained);
  CHECK(daemon.log().find("ready:") != std::string::npos);
}

TEST_CASE("the daemon starts without a broker, answers cameras, and delivers once it appears") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker(MosquittoBroker::Options{false});
  DaemonProcess daemon(broker.url());
  daemon.start();
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  for (int i = 0; i < 5; ++i) {
    REQUIRE(post(*client, fixture("ipc_v1/motion.xml")) == 200);
  }
  broker.start();
  MqttCollector sub(broker.port(), "cam2mqtt/+/motion");
  INFO(daemon.log());
  CHECK(sub.wait_for(5, 20s));
}
