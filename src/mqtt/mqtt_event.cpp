#include "mqtt/mqtt_event.h"

namespace cam2mqtt::mqtt {

const char* to_string(MqttEvent::Kind kind) noexcept {
  switch (kind) {
  case MqttEvent::Kind::connected:
    return "connected";
  case MqttEvent::Kind::connection_lost:
    return "connection_lost";
  case MqttEvent::Kind::message_arrived:
    return "message_arrived";
  case MqttEvent::Kind::delivery_failed:
    return "delivery_failed";
  }
  return "unknown";
}

} // namespace cam2mqtt::mqtt
