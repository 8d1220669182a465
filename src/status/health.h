#pragma once
// GET /healthz: the rule that decides whether the daemon can deliver, and its JSON body.
//
// Rule (documented in README "Health"): unhealthy (503) when
//   - the event loop has not ticked for `loop_stall` (it answers this request, so this catches
//     a loop that was blocked for a long time just before), or
//   - MQTT has been disconnected for longer than `mqtt_grace` (short broker restarts and the
//     first connect after start do not flap the health check), or
//   - the offline buffer is full (max_messages reached: new events now push out old ones).
// Otherwise healthy (200). The body is the same either way, with "status" and "reasons".
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cam2mqtt::status {

struct HealthInput {
  std::chrono::milliseconds since_loop_tick{0};
  bool mqtt_connected = false;
  std::chrono::milliseconds mqtt_down_for{0}; // 0 while connected
  std::uint64_t buffer_messages = 0;          // waiting in the offline buffer
  std::uint64_t buffer_capacity = 0;          // mqtt.buffer.max_messages; 0 = unbounded
  std::uint64_t mqtt_pending = 0;             // buffered + in flight (not yet acknowledged)
  std::uint64_t cameras_online = 0;
  std::uint64_t cameras_known = 0;
  std::chrono::seconds uptime{0};
  std::string version;
};

struct HealthRules {
  std::chrono::milliseconds loop_stall{5000};
  std::chrono::milliseconds mqtt_grace{30000};
};

struct HealthResult {
  bool healthy = true;
  std::vector<std::string> reasons; // why unhealthy: loop_stalled, mqtt_down, buffer_full
  std::string json;                 // the response body (one line, trailing newline)
};

HealthResult evaluate_health(const HealthInput& in, const HealthRules& rules = {});

} // namespace cam2mqtt::status
