#include "status/health.h"

namespace cam2mqtt::status {

namespace {
const char* boolean(bool b) {
  return b ? "true" : "false";
}

// Only fixed ASCII words and numbers go into this JSON, except `version`, which is escaped.
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}
} // namespace

HealthResult evaluate_health(const HealthInput& in, const HealthRules& rules) {
  HealthResult r;
  const bool loop_alive = in.since_loop_tick < rules.loop_stall;
  if (!loop_alive) {
    r.reasons.emplace_back("loop_stalled");
  }
  if (!in.mqtt_connected && in.mqtt_down_for >= rules.mqtt_grace) {
    r.reasons.emplace_back("mqtt_down");
  }
  const bool buffer_full = in.buffer_capacity > 0 && in.buffer_messages >= in.buffer_capacity;
  if (buffer_full) {
    r.reasons.emplace_back("buffer_full");
  }
  r.healthy = r.reasons.empty();

  std::string& j = r.json;
  j = "{\"status\":";
  j += r.healthy ? "\"ok\"" : "\"unavailable\"";
  j += ",\"reasons\":[";
  for (std::size_t i = 0; i < r.reasons.size(); ++i) {
    j += (i ? ",\"" : "\"") + r.reasons[i] + "\"";
  }
  j += "],\"loop\":{\"alive\":";
  j += boolean(loop_alive);
  j += ",\"sinceTickMs\":" + std::to_string(in.since_loop_tick.count());
  j += "},\"mqtt\":{\"connected\":";
  j += boolean(in.mqtt_connected);
  j += ",\"downForMs\":" + std::to_string(in.mqtt_connected ? 0 : in.mqtt_down_for.count());
  j += ",\"pending\":" + std::to_string(in.mqtt_pending);
  j += "},\"buffer\":{\"messages\":" + std::to_string(in.buffer_messages);
  j += ",\"capacity\":" + std::to_string(in.buffer_capacity);
  j += ",\"full\":";
  j += boolean(buffer_full);
  j += "},\"cameras\":{\"online\":" + std::to_string(in.cameras_online);
  j += ",\"known\":" + std::to_string(in.cameras_known);
  j += "},\"uptimeSeconds\":" + std::to_string(in.uptime.count());
  j += ",\"version\":" + json_string(in.version);
  j += "}\n";
  return r;
}

} // namespace cam2mqtt::status
