// GET /healthz and GET /metrics against the real daemon and a real mosquitto: counters move by
// exactly what was posted, the text parses with prometheus_client, health follows its rule; a
// CVEDIA-RT source's crop join counters (tests/fakes/fake_cvedia.py) appear and move.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/fake_server.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "test_status_support.h"
#include "unit/sources/fake_camera.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;
using nlohmann::json;

namespace {
ParsedMetrics scrape(std::uint16_t port) {
  const auto reply = http_get(port, "/metrics");
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  CHECK(reply->header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  const auto parsed = parse_metrics(reply->body);
  if (!parsed) {
    FAIL("python3 with prometheus_client is needed: apt install python3-prometheus-client");
  }
  INFO(reply->body);
  REQUIRE(parsed->error == "");
  REQUIRE(parsed->ok);
  return *parsed;
}

// Our own strict reading on top of the reference parser: every sample belongs to a family
// announced with HELP and TYPE before it, and no family is announced twice.
void check_structure(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::set<std::string> helped;
  std::set<std::string> typed;
  std::string current;
  while (std::getline(in, line)) {
    INFO(line);
    if (line.rfind("# HELP ", 0) == 0) {
      const auto name = line.substr(7, line.find(' ', 7) - 7);
      CHECK(helped.insert(name).second);
      current = name;
    } else if (line.rfind("# TYPE ", 0) == 0) {
      const auto name = line.substr(7, line.find(' ', 7) - 7);
      CHECK(name == current);
      CHECK(typed.insert(name).second);
    } else {
      REQUIRE_FALSE(line.empty());
      const auto name = line.substr(0, line.find_first_of("{ "));
      CHECK(name == current);
      CHECK(typed.count(name) == 1);
    }
  }
}

json healthz(std::uint16_t port, int& status) {
  const auto reply = http_get(port, "/healthz");
  REQUIRE(reply);
  status = reply->status;
  CHECK(reply->header("content-type") == "application/json");
  return json::parse(reply->body);
}

std::string events_key(const std::string& category, const std::string& camera) {
  return "cam2mqtt_events_total{camera=\"" + camera + "\",category=\"" + category + "\"}";
}
} // namespace

TEST_CASE("the metrics parser used here rejects broken exposition text") {
  const auto bad = parse_metrics("# TYPE x counter\nx{a=\"b\"c\"} 1\n");
  if (!bad) {
    FAIL("python3 with prometheus_client is needed");
  }
  CHECK_FALSE(bad->ok);
  CHECK_FALSE(parse_metrics("x{a=b} 1\n")->ok);
  CHECK_FALSE(parse_metrics("x one\n")->ok);
  CHECK(parse_metrics("# HELP x h\n# TYPE x gauge\nx{a=\"q\\\"\\\\\\n\"} 1\n")->samples.at("x{a=\"q\"\\\n\"}") == 1);
}

TEST_CASE("/metrics and /healthz move by exactly the events posted") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url(), "cameras:\n  list:\n    - ip: 127.0.0.1\n      id: gate\n      name: Gate\n");
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  daemon.start();
  INFO(daemon.log());
  REQUIRE(sub.wait_for_payload("cam2mqtt/bridge/state", "online", 10s));

  const auto before_text = http_get(daemon.http_port(), "/metrics");
  REQUIRE(before_text);
  check_structure(before_text->body);
  const auto before = scrape(daemon.http_port());
  for (const auto* family : {"cam2mqtt_events", "cam2mqtt_parse_errors", "cam2mqtt_http_rejected",
                             "cam2mqtt_mqtt_published", "cam2mqtt_buffer_dropped", "cam2mqtt_mqtt_reconnects",
                             "cam2mqtt_mqtt_session_resets",
                             "cam2mqtt_http_received_bytes", "cam2mqtt_http_posts"}) {
    INFO(family);
    CHECK(before.types.count(family) == 1);
    CHECK(before.types.at(family) == "counter");
  }
  for (const auto* family : {"cam2mqtt_buffer_messages", "cam2mqtt_buffer_bytes", "cam2mqtt_mqtt_inflight_messages",
                             "cam2mqtt_cameras_online", "cam2mqtt_http_connections_open",
                             "cam2mqtt_uptime_seconds", "cam2mqtt_mqtt_connected"}) {
    INFO(family);
    CHECK(before.types.count(family) == 1);
    CHECK(before.types.at(family) == "gauge");
  }
  CHECK(before.value("cam2mqtt_parse_errors_total{kind=\"not_xml\"}") == 0);
  CHECK(before.samples.count("cam2mqtt_parse_errors_total{kind=\"not_xml\"}") == 1);
  CHECK(before.value("cam2mqtt_cameras_online{}") == 0);
  CHECK(before.value("cam2mqtt_mqtt_connected{}") == 1);

  int status = 0;
  auto health = healthz(daemon.http_port(), status);
  CHECK(status == 200);
  CHECK(health["status"] == "ok");
  CHECK(health["loop"]["alive"] == true);
  CHECK(health["mqtt"]["connected"] == true);
  CHECK(health["cameras"]["online"] == 0);

  // 3 plates, 2 motion, 1 body that is not XML, 1 declared as too large: one keep-alive connection.
  const auto plate = fixture("ipc_v1/lpr_single_item.xml");
  const auto motion = fixture("ipc_v1/motion.xml");
  const std::string garbage = "{\"not\": \"xml\"}";
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(post(*client, plate) == 200);
  }
  for (int i = 0; i < 2; ++i) {
    REQUIRE(post(*client, motion) == 200);
  }
  REQUIRE(post(*client, garbage) == 200);
  {
    auto big = RawClient::connect("127.0.0.1", daemon.http_port());
    REQUIRE(big);
    big->send_all("POST /API HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
    const auto reply = big->read_response(5s);
    REQUIRE(reply);
    CHECK(reply->status == 413);
  }
  REQUIRE(sub.wait_for_topic("cam2mqtt/gate/motion", 10s));
  std::this_thread::sleep_for(300ms); // let the last deliveries be acknowledged

  const auto after = scrape(daemon.http_port());
  auto delta = [&](const std::string& key) { return after.value(key) - before.value(key); };
  CHECK(delta(events_key("lpr", "gate")) == 3);
  CHECK(delta(events_key("motion", "gate")) == 2);
  CHECK(delta("cam2mqtt_parse_errors_total{kind=\"not_xml\"}") == 1);
  CHECK(delta("cam2mqtt_http_rejected_total{reason=\"too_large\"}") == 1);
  CHECK(delta("cam2mqtt_http_posts_total{}") == 6);
  CHECK(delta("cam2mqtt_posts_total{}") == 6);
  CHECK(delta("cam2mqtt_http_received_bytes_total{}") ==
        static_cast<double>(3 * plate.size() + 2 * motion.size() + garbage.size()));
  // 5 events, each with its target image in split mode (lpr) or as sent (motion), plus the
  // camera's availability and device info: at least the 5 event messages.
  CHECK(delta("cam2mqtt_mqtt_published_total{}") >= 5);
  CHECK(after.value("cam2mqtt_mqtt_delivered_total{}") >= before.value("cam2mqtt_mqtt_delivered_total{}") + 5);
  CHECK(after.value("cam2mqtt_cameras_online{}") == 1);
  CHECK(after.value("cam2mqtt_cameras_known{}") == 1);
  CHECK(after.value("cam2mqtt_http_connections_open{}") >= 1); // `client` is still open
  CHECK(after.value("cam2mqtt_buffer_messages{}") == 0);
  CHECK(after.value("cam2mqtt_buffer_dropped_total{}") == 0);
  CHECK(after.value("cam2mqtt_uptime_seconds{}") > 0);

  health = healthz(daemon.http_port(), status);
  CHECK(status == 200);
  CHECK(health["cameras"]["online"] == 1);
  CHECK(health["buffer"]["messages"] == 0);
}

TEST_CASE("/healthz stays 200 during a short broker outage and turns 503 when the buffer is full") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  // extra_mqtt_yaml continues the mqtt.buffer map the harness opens.
  DaemonProcess daemon(broker.url(), "images:\n  mode: none\n", "    max_messages: 5\n");
  MqttCollector sub(broker.port(), "cam2mqtt/bridge/state");
  daemon.start();
  INFO(daemon.log());
  REQUIRE(sub.wait_for_payload("cam2mqtt/bridge/state", "online", 10s));
  broker.stop();

  int status = 0;
  json health;
  for (int i = 0; i < 100; ++i) { // until the daemon notices the broker is gone
    health = healthz(daemon.http_port(), status);
    if (health["mqtt"]["connected"] == false) {
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  CHECK(health["mqtt"]["connected"] == false);
  CHECK(status == 200); // within the grace period
  CHECK(health["status"] == "ok");

  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  const auto motion = fixture("ipc_v1/motion.xml");
  // Up to 4 s: the first motion events are held ~2 s for Home Assistant before they queue.
  for (int i = 0; i < 200 && status == 200; ++i) {
    REQUIRE(post(*client, motion) == 200);
    std::this_thread::sleep_for(20ms);
    health = healthz(daemon.http_port(), status);
  }
  INFO(health.dump());
  CHECK(status == 503);
  CHECK(health["status"] == "unavailable");
  CHECK(health["reasons"] == json::array({"buffer_full"}));
  CHECK(health["buffer"]["full"] == true);
  CHECK(health["buffer"]["messages"] == 5);
  CHECK(health["buffer"]["capacity"] == 5);

  REQUIRE(post(*client, motion) == 200); // one more pushes the oldest out
  const auto m = scrape(daemon.http_port());
  CHECK(m.value("cam2mqtt_buffer_messages{}") == 5);
  CHECK(m.value("cam2mqtt_buffer_dropped_total{}") >= 1);
  CHECK(m.value("cam2mqtt_mqtt_connected{}") == 0);
}

TEST_CASE("/metrics shows a cvedia source's crop join counters, and they move") {
  MosquittoBroker::skip_if_unavailable();
  // The stream drops while D-ONE waits for its crop; the next one replays D-ONE and brings the crop.
  cam2mqtt::test::FakeServer rt("fake_cvedia.py", {"dropwait"});
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url(), "homeassistant:\n  enabled: false\nsources:\n  cvedia:\n    - id: yard\n"
                                     "      url: \"http://127.0.0.1:" + std::to_string(rt.port) + "\"\n"
                                     "      instance: \"3f1c6a2e-0000-4000-8000-00000000cafe\"\n"
                                     "      crop_wait: 5s\n");
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  daemon.start();
  INFO(daemon.log());
  const auto key = [](const std::string& name) { return name + "{source=\"yard\"}"; };
  const auto dropped = [](const std::string& reason) {
    return "cam2mqtt_cvedia_crops_dropped_total{reason=\"" + reason + "\",source=\"yard\"}";
  };

  // The first stream's bytes bring D-ONE and set the camera online; the crop is >= 1 s away.
  REQUIRE(sub.wait_for_payload("cam2mqtt/yard/availability", "online", 10s));
  const auto text = http_get(daemon.http_port(), "/metrics");
  REQUIRE(text);
  check_structure(text->body);
  const auto before = scrape(daemon.http_port());
  for (const auto* family : {"cam2mqtt_cvedia_crops_joined", "cam2mqtt_cvedia_crop_waits_expired",
                             "cam2mqtt_cvedia_crop_waits_overflowed", "cam2mqtt_cvedia_duplicates_dropped",
                             "cam2mqtt_cvedia_crops_dropped"}) {
    INFO(family);
    REQUIRE(before.types.count(family) == 1);
    CHECK(before.types.at(family) == "counter");
  }
  CHECK(before.types.at("cam2mqtt_cvedia_events_waiting") == "gauge");
  CHECK(before.types.at("cam2mqtt_cvedia_crops_held") == "gauge");
  CHECK(before.samples.count(key("cam2mqtt_cvedia_crops_joined_total")) == 1);
  CHECK(before.samples.count(dropped("unusable")) == 1);
  CHECK(before.samples.count(dropped("shutdown")) == 1); // counted at stop, 0 while running
  CHECK(before.value(dropped("shutdown")) == 0);
  CHECK(before.value(key("cam2mqtt_cvedia_events_waiting")) == 1);
  CHECK(before.value(key("cam2mqtt_cvedia_crops_joined_total")) == 0);
  CHECK(before.value(key("cam2mqtt_cvedia_duplicates_dropped_total")) == 0);

  const auto event = sub.wait_for_topic("cam2mqtt/yard/intrusion", 10s);
  REQUIRE(event);
  CHECK(json::parse(event->payload)["hasImages"] == true);
  const auto after = scrape(daemon.http_port());
  CHECK(after.value(key("cam2mqtt_cvedia_crops_joined_total")) == 1);
  CHECK(after.value(key("cam2mqtt_cvedia_duplicates_dropped_total")) == 1); // the replay
  CHECK(after.value(key("cam2mqtt_cvedia_events_waiting")) == 0);
  CHECK(after.value(key("cam2mqtt_cvedia_crop_waits_expired_total")) == 0);
  CHECK(after.value(key("cam2mqtt_cvedia_crops_held")) == 0);
  CHECK(after.value(dropped("late")) == 0);
}

TEST_CASE("/metrics shows a hikvision source's snapshot counters") {
  MosquittoBroker::skip_if_unavailable();
  cam2mqtt::test::FakeCamera cam("admin", "s3cret");
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url(), "homeassistant:\n  enabled: false\nsources:\n  hikvision:\n    - id: gate\n"
                                     "      url: \"http://127.0.0.1:" + std::to_string(cam.port) + "\"\n"
                                     "      username: admin\n      password: s3cret\n      snapshot: true\n");
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  daemon.start();
  INFO(daemon.log());
  REQUIRE(sub.wait_for_topic("cam2mqtt/gate/motion", 10s)); // with its snapshot
  const auto text = http_get(daemon.http_port(), "/metrics");
  REQUIRE(text);
  check_structure(text->body);
  const auto m = scrape(daemon.http_port());
  const auto key = [](const char* result) {
    return std::string("cam2mqtt_hikvision_snapshots_total{result=\"") + result + "\",source=\"gate\"}";
  };
  REQUIRE(m.types.count("cam2mqtt_hikvision_snapshots") == 1);
  CHECK(m.types.at("cam2mqtt_hikvision_snapshots") == "counter");
  CHECK(m.value(key("fetched")) >= 1); // the fake's finite stream repeats the alert, which fetches nothing
  CHECK(m.samples.count(key("failed")) == 1);
  CHECK(m.value(key("failed")) == 0);
  CHECK(m.value(key("stopped")) == 0);
}
