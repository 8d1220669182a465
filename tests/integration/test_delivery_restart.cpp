// Issue 3, restart survival against the real daemon: events buffered during an outage survive
// a SIGKILL (the spool on disk) and a SIGTERM (a bounded stop that keeps what it could not send).
#include <catch2/catch.hpp>

#include <signal.h>

#include <csignal>
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

// Posts `count` events spread over 5 cameras on one keep-alive connection; returns what was
// acknowledged with 200, per camera key.
std::map<std::string, std::vector<int>> post_events(const DaemonProcess& daemon, int count) {
  std::map<std::string, std::vector<int>> acked;
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  for (int i = 0; i < count; ++i) {
    const int cam = i % 5;
    const int seq = i / 5 + 1;
    REQUIRE(post(*client, numbered_post(cam, seq)) == 200);
    acked[camera_key(cam)].push_back(seq);
  }
  return acked;
}

} // namespace

TEST_CASE("broker down, 500 events, daemon SIGKILLed and restarted, broker up: all 500 arrive",
          "[integration][delivery]") {
  MosquittoBroker broker(MosquittoBroker::Options{false});
  allow_unbounded_session_queue(broker);
  broker.start();
  MqttCollector sub(broker.port(), "cam2mqtt/#", persistent_session("delivery-kill-sub"));
  std::this_thread::sleep_for(1100ms); // the session is in mosquitto.db whatever way the broker stops
  broker.stop();

  DaemonProcess daemon(broker.url(), "images:\n  mode: none\n");
  daemon.start();
  const auto acked = post_events(daemon, 500);
  std::this_thread::sleep_for(1200ms); // the guarantee: safe from a SIGKILL 1 s after the reply
  daemon.kill();
  daemon.start();
  INFO(daemon.log());
  CHECK(daemon.log().find("recovered=") != std::string::npos);
  broker.start();
  wait_all_received(sub, acked, 30s);
  INFO("after the wait:\n" << daemon.log() << broker.log());
  const auto check = check_delivery(acked, received_sequences(sub));
  INFO(check.summary());
  CHECK(check.acknowledged == 500);
  CHECK(check.ok());
}

TEST_CASE("SIGTERM with the broker down and a full buffer exits 0 in bounded time; the next start delivers",
          "[integration][delivery]") {
  MosquittoBroker broker(MosquittoBroker::Options{false});
  allow_unbounded_session_queue(broker);
  broker.start();
  MqttCollector sub(broker.port(), "cam2mqtt/#", persistent_session("delivery-term-sub"));
  std::this_thread::sleep_for(1100ms); // the session is in mosquitto.db whatever way the broker stops
  broker.stop();

  DaemonProcess daemon(broker.url(), "images:\n  mode: none\n");
  daemon.start();
  const auto acked = post_events(daemon, 200);
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(daemon.stop(SIGTERM) == 0);
  const auto took = std::chrono::steady_clock::now() - t0;
  INFO(daemon.log());
  CHECK(took < 7s);
  CHECK(daemon.log().find("kept_on_disk=") != std::string::npos);

  broker.start();
  daemon.start();
  wait_all_received(sub, acked, 30s);
  INFO("after the wait:\n" << daemon.log() << broker.log());
  const auto check = check_delivery(acked, received_sequences(sub));
  INFO(check.summary());
  CHECK(check.acknowledged == 200);
  CHECK(check.ok());
  // A clean stop with everything delivered leaves nothing to replay.
  CHECK(daemon.stop(SIGTERM) == 0);
  daemon.start();
  std::this_thread::sleep_for(300ms);
  CHECK(daemon.log().find("recovered=0 ") != std::string::npos);
}

TEST_CASE("events survive a SIGKILL while the broker is up and the subscriber lags", "[integration][delivery]") {
  // The broker is up but stops reading (SIGSTOP): nothing is acknowledged, everything is in
  // flight inside Paho. The spool must still have it 1 s after the replies.
  MosquittoBroker broker(MosquittoBroker::Options{false});
  allow_unbounded_session_queue(broker);
  broker.start();
  MqttCollector sub(broker.port(), "cam2mqtt/#", persistent_session("delivery-inflight-sub"));
  DaemonProcess daemon(broker.url(), "images:\n  mode: none\n");
  daemon.start();
  REQUIRE(sub.wait_for_payload("cam2mqtt/bridge/state", "online", 10s));
  const int broker_process = broker_pid(broker);
  REQUIRE(broker_process > 0);
  REQUIRE(::kill(broker_process, SIGSTOP) == 0);
  const auto acked = post_events(daemon, 100);
  std::this_thread::sleep_for(1200ms);
  daemon.kill();
  REQUIRE(::kill(broker_process, SIGCONT) == 0);
  daemon.start();
  INFO(daemon.log());
  wait_all_received(sub, acked, 30s);
  INFO("after the wait:\n" << daemon.log() << broker.log());
  const auto check = check_delivery(acked, received_sequences(sub));
  INFO(check.summary());
  CHECK(check.ok());
}

TEST_CASE("a second SIGTERM during a slow drain exits at once; what was not acknowledged is delivered after restart",
          "[integration][delivery]") {
  // A frozen broker (SIGSTOP) keeps the connection up but acknowledges nothing, so the first
  // SIGTERM waits for the drain (bounded); the second one must end the process at once.
  MosquittoBroker broker(MosquittoBroker::Options{false});
  allow_unbounded_session_queue(broker);
  broker.start();
  MqttCollector sub(broker.port(), "cam2mqtt/#", persistent_session("delivery-second-signal-sub"));
  DaemonProcess daemon(broker.url(), "images:\n  mode: none\n");
  daemon.start();
  REQUIRE(sub.wait_for_payload("cam2mqtt/bridge/state", "online", 10s));
  const int broker_process = broker_pid(broker);
  REQUIRE(broker_process > 0);
  REQUIRE(::kill(broker_process, SIGSTOP) == 0);
  const auto acked = post_events(daemon, 50);
  std::this_thread::sleep_for(1200ms);
  REQUIRE(::kill(daemon.pid(), SIGTERM) == 0);
  std::this_thread::sleep_for(500ms);
  const auto t0 = std::chrono::steady_clock::now();
  daemon.stop(SIGTERM);
  CHECK(std::chrono::steady_clock::now() - t0 < 2s);
  REQUIRE(::kill(broker_process, SIGCONT) == 0);
  daemon.start();
  INFO(daemon.log());
  wait_all_received(sub, acked, 30s);
  INFO("after the wait:\n" << daemon.log() << broker.log());
  const auto check = check_delivery(acked, received_sequences(sub));
  INFO(check.summary());
  CHECK(check.ok());
}
