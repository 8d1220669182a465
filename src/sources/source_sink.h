#pragma once
// What every outbound source hands to the daemon: each decoded message with its camera.
#include <functional>
#include <string>

#include "model/parse_result.h"

namespace cam2mqtt::sources {

struct SourceCamera {
  std::string key;
  std::string name;
  std::string ip;
};

// Receives each decoded message (one event, or a heartbeat) with its camera.
using SourceSink = std::function<void(model::Message&, const SourceCamera&)>;

} // namespace cam2mqtt::sources
