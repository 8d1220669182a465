#pragma once
// The MQTT boundary as the rest of the daemon sees it.
#include <string>

namespace cam2mqtt::mqtt {

struct OutgoingMessage {
  std::string topic;
  std::string payload; // bytes (JSON text or raw JPEG)
  int qos = 1;
  bool retain = false;
};

class Publisher {
public:
  virtual ~Publisher() = default;
  // Never blocks; thread-safe. Messages that cannot be sent now are buffered (bounded).
  virtual void publish(OutgoingMessage msg) = 0;
  virtual bool connected() const = 0;
};

} // namespace cam2mqtt::mqtt
