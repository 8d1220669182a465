#pragma once
// Normalized event -> the JSON payload of PRODUCT.md ("Event payload") plus, in split mode,
// the raw image messages. Pure: no I/O, no clock, no randomness (all of it comes in Envelope).
#include <string>
#include <vector>

#include "model/event.h"
#include "model/image_mode.h"
#include "util/time_format.h"

namespace cam2mqtt::encode {

// What the daemon knows about a post beyond its content.
struct Envelope {
  std::string id;          // unique per published message
  util::SysMicros receivedAt;
  std::string topicPrefix;
  std::string cameraKey;
  std::string cameraName;  // configured name, else what the device reported
  std::string cameraIp;    // reported IP, else the TCP peer
  std::string peerIp;      // TCP peer (the NVR for forwarded posts)
};

struct EncodedImage {
  std::string topic;
  std::string bytes; // decoded JPEG
};

struct EncodedEvent {
  std::string topic;               // P/C/<category>
  std::string json;                // the payload
  std::vector<EncodedImage> images; // split mode only: source first, then target
};

EncodedEvent encode_event(const model::Event& ev, const Envelope& env, model::ImageMode mode);

} // namespace cam2mqtt::encode
