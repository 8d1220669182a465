#pragma once
// A Publisher that records what it is asked to publish (unit tests of the app layer).
#include <vector>

#include "mqtt/publisher.h"

namespace cam2mqtt::test {

class RecordingPublisher : public mqtt::Publisher {
public:
  void publish(mqtt::OutgoingMessage msg) override { messages.push_back(std::move(msg)); }
  bool connected() const override { return true; }
  std::vector<mqtt::OutgoingMessage> messages;
};

} // namespace cam2mqtt::test
