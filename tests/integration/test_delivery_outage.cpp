// Issue 3, broker outages against the real daemon: ten cameras posting through a 10 s outage
// lose nothing and keep per-camera order; the buffer bound drops the oldest, counts and logs it.
#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <mutex>
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

// The body of GET /metrics ("" on failure).
std::string metrics(std::uint16_t port) {
  auto client = RawClient::connect("127.0.0.1", port);
  if (!client || !client->send_all("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")) {
    return {};
  }
  const auto reply = client->read_response();
  return reply && reply->status == 200 ? reply->body : std::string();
}

} // namespace

TEST_CASE("10 cameras post through a 10 s broker outage: every acknowledged event arrives, in order per camera",
          "[integration][delivery]") {
  MosquittoBroker broker(MosquittoBroker::Options{false});
  allow_unbounded_session_queue(broker);
  broker.start();
  DaemonProcess daemon(broker.url(), "images:\n  mode: none\n");
  daemon.start();
  MqttCollector sub(broker.port(), "cam2mqtt/#", persistent_session("delivery-outage-sub"));
  REQUIRE(sub.wait_for_payload("cam2mqtt/bridge/state", "online", 10s));

  constexpr int k_cameras = 10;
  std::atomic<bool> stop{false};
  std::mutex acked_mutex;
  std::map<std::string, std::vector<int>> acked;
  std::atomic<int> failures{0};
  std::vector<std::thread> cameras;
  for (int cam = 0; cam < k_cameras; ++cam) {
    cameras.emplace_back([&, cam] {
      auto client = RawClient::connect("127.0.0.1", daemon.http_port());
      if (!client) {
        ++failures;
        return;
      }
      for (int seq = 1; !stop; ++seq) {
        if (post(*client, numbered_post(cam, seq)) != 200) {
          ++failures;
          return;
        }
        {
          std::lock_guard lock(acked_mutex);
          acked[camera_key(cam)].push_back(seq);
        }
        std::this_thread::sleep_for(10ms);
      }
    });
  }
  std::this_thread::sleep_for(2s);
  broker.stop();
  std::this_thread::sleep_for(10s);
  broker.start();
  std::this_thread::sleep_for(2s);
  stop = true;
  for (auto& t : cameras) {
    t.join();
  }
  INFO(daemon.log());
  INFO(broker.log());
  REQUIRE(failures == 0);

  wait_all_received(sub, acked, 60s);
  INFO("after the wait:\n" << daemon.log() << broker.log());
  const auto check = check_delivery(acked, received_sequences(sub));
  INFO(check.summary());
  CHECK(check.acknowledged > 1000);
  CHECK(check.ok());
  CHECK(daemon.log().find("mqtt: buffer drained after reconnect") != std::string::npos);
}

TEST_CASE("buffer bound 100, 300 events during an outage: the newest 100 arrive, the drops are logged and counted",
          "[integration][delivery]") {
  MosquittoBroker broker(MosquittoBroker::Options{false});
  allow_unbounded_session_queue(broker);
  broker.start();
  MqttCollector sub(broker.port(), "cam2mqtt/#", persistent_session("delivery-bound-sub"));
  std::this_thread::sleep_for(1100ms); // the session is in mosquitto.db whatever way the broker stops
  broker.stop(); // the subscriber's session stays on the broker (persistence on)

  // Home Assistant discovery off: its config messages would share the 100 slots and change the counts.
  DaemonProcess daemon(broker.url(), "images:\n  mode: none\nhomeassistant:\n  enabled: false\n",
                       "    max_messages: 100\n");
  daemon.start();
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  for (int seq = 1; seq <= 300; ++seq) {
    REQUIRE(post(*client, numbered_post(0, seq)) == 200);
  }
  INFO(daemon.log());
  // The first post also queued the camera's retained availability and device info: 302
  // messages, 202 dropped. (Retained state is published again after the reconnect.)
  // /metrics (a colleague's issue) when this build serves it; every other GET gets the XML reply.
  const std::string metrics_before = metrics(daemon.http_port());
  if (metrics_before.find("cam2mqtt_buffer_dropped_total") != std::string::npos) {
    CHECK(metrics_before.find("cam2mqtt_buffer_dropped_total 202") != std::string::npos);
    CHECK(metrics_before.find("cam2mqtt_buffer_messages 100") != std::string::npos);
  }
  CHECK(daemon.log().find("mqtt: buffer full, dropped oldest message max_messages=100") != std::string::npos);

  broker.start();
  // The bound counts every message: the camera's retained state (availability, device info),
  // which the daemon publishes again after the reconnect, may join the full buffer before the
  // backlog has drained and push out the two oldest events left (201, 202). So the newest 98
  // must arrive, and nothing older than 201.
  std::map<std::string, std::vector<int>> newest;
  for (int seq = 203; seq <= 300; ++seq) {
    newest[camera_key(0)].push_back(seq);
  }
  if (!wait_all_received(sub, newest, 30s)) {
    const auto got = received_sequences(sub)[camera_key(0)];
    std::string seqs;
    for (const int s : got) {
      seqs += " " + std::to_string(s);
    }
    std::string topics;
    for (const auto& m : sub.messages()) {
      topics += " " + m.topic;
    }
    FAIL("the newest 98 did not all arrive; received" << seqs << "\ntopics:" << topics << "\n"
                                                        << daemon.log() << broker.log());
  }
  CHECK(daemon.log().find("dropped_total=202") != std::string::npos); // at the reconnect
  std::this_thread::sleep_for(500ms);
  const auto got = received_sequences(sub)[camera_key(0)];
  std::set<int> distinct(got.begin(), got.end());
  CHECK(distinct.size() >= 98);
  CHECK(distinct.size() <= 100);
  CHECK(*distinct.begin() >= 201);
  // Retained state came back after the reconnect although it had been dropped.
  CHECK(sub.wait_for_payload("cam2mqtt/" + camera_key(0) + "/availability", "online", 10s));
  CHECK(daemon.stop(SIGTERM) == 0);
  const bool dropped_as_expected = daemon.log().find("dropped=202") != std::string::npos ||
                                   daemon.log().find("dropped=203") != std::string::npos ||
                                   daemon.log().find("dropped=204") != std::string::npos;
  CHECK(dropped_as_expected);
  CHECK(distinct.size() == 100 - (distinct.empty() ? 0 : static_cast<std::size_t>(*distinct.begin() - 201)));
}
