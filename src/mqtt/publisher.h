#pragma once
// The MQTT boundary as the rest of the daemon sees it.
#include <chrono>
#include <string>

namespace cam2mqtt::mqtt {

struct OutgoingMessage {
  std::string topic;
  std::string payload; // bytes (JSON text or raw JPEG)
  int qos = 1;
  bool retain = false;
  // Not sent before this time (default: at once). Accepted and written to the spool at once like
  // any other; it waits aside, so it holds up no message without a not_before. Messages with a
  // not_before leave in publish order: one already due still waits behind earlier held ones.
  // (Home Assistant: a just-announced entity's first events, app/ha_observer.h.) The time is
  // not spooled: a message recovered after a restart goes out at once.
  std::chrono::steady_clock::time_point not_before{};
};

class Publisher {
public:
  virtual ~Publisher() = default;
  // Never blocks; thread-safe. Messages that cannot be sent now are buffered (bounded).
  virtual void publish(OutgoingMessage msg) = 0;
  virtual bool connected() const = 0;
};

} // namespace cam2mqtt::mqtt
