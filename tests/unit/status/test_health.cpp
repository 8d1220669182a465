#include <catch2/catch.hpp>

#include "status/health.h"

using namespace cam2mqtt::status;
using namespace std::chrono_literals;

namespace {
HealthInput healthy_input() {
  HealthInput in;
  in.since_loop_tick = 200ms;
  in.mqtt_connected = true;
  in.buffer_messages = 0;
  in.buffer_capacity = 100;
  in.cameras_online = 2;
  in.cameras_known = 3;
  in.uptime = 42s;
  in.version = "0.1.0";
  return in;
}
} // namespace

TEST_CASE("healthy: connected, loop ticking, buffer not full") {
  const auto r = evaluate_health(healthy_input());
  CHECK(r.healthy);
  CHECK(r.reasons.empty());
  CHECK(r.json ==
        "{\"status\":\"ok\",\"reasons\":[],\"loop\":{\"alive\":true,\"sinceTickMs\":200},"
        "\"mqtt\":{\"connected\":true,\"downForMs\":0,\"pending\":0},"
        "\"buffer\":{\"messages\":0,\"capacity\":100,\"full\":false},"
        "\"cameras\":{\"online\":2,\"known\":3},\"uptimeSeconds\":42,\"version\":\"0.1.0\"}\n");
}

TEST_CASE("a broker outage shorter than the grace period stays healthy") {
  auto in = healthy_input();
  in.mqtt_connected = false;
  in.mqtt_down_for = 29s;
  in.buffer_messages = 5;
  const auto r = evaluate_health(in);
  CHECK(r.healthy);
  CHECK(r.json.find("\"connected\":false,\"downForMs\":29000") != std::string::npos);
}

TEST_CASE("a broker outage of the grace period or longer is unhealthy") {
  auto in = healthy_input();
  in.mqtt_connected = false;
  in.mqtt_down_for = 30s;
  const auto r = evaluate_health(in);
  CHECK_FALSE(r.healthy);
  CHECK(r.reasons == std::vector<std::string>{"mqtt_down"});
  CHECK(r.json.rfind("{\"status\":\"unavailable\",\"reasons\":[\"mqtt_down\"]", 0) == 0);
}

TEST_CASE("a full buffer is unhealthy even while connected") {
  auto in = healthy_input();
  in.buffer_messages = 100;
  const auto r = evaluate_health(in);
  CHECK_FALSE(r.healthy);
  CHECK(r.reasons == std::vector<std::string>{"buffer_full"});
  CHECK(r.json.find("\"full\":true") != std::string::npos);
  in.buffer_capacity = 0; // unbounded: never full
  CHECK(evaluate_health(in).healthy);
}

TEST_CASE("a stalled loop is unhealthy and every reason is listed") {
  auto in = healthy_input();
  in.since_loop_tick = 6s;
  in.mqtt_connected = false;
  in.mqtt_down_for = 1h;
  in.buffer_messages = 100;
  const auto r = evaluate_health(in);
  CHECK(r.reasons == std::vector<std::string>{"loop_stalled", "mqtt_down", "buffer_full"});
  CHECK(r.json.find("\"reasons\":[\"loop_stalled\",\"mqtt_down\",\"buffer_full\"]") != std::string::npos);
  CHECK(r.json.find("\"alive\":false") != std::string::npos);
}

TEST_CASE("the rules are adjustable and the version is JSON-escaped") {
  auto in = healthy_input();
  in.mqtt_connected = false;
  in.mqtt_down_for = 2s;
  in.version = "1.0 \"x\"\\";
  const auto r = evaluate_health(in, HealthRules{5s, 1s});
  CHECK_FALSE(r.healthy);
  CHECK(r.json.find("\"version\":\"1.0 \\\"x\\\"\\\\\"}") != std::string::npos);
}
