#pragma once
// Counters of the MQTT boundary, updated from any thread, read by /metrics.
#include <atomic>
#include <cstdint>

namespace cam2mqtt::mqtt {

struct MqttStats {
  std::atomic<std::uint64_t> published{0}; // accepted by publish() (queued or handed to Paho)
  std::atomic<std::uint64_t> delivered{0}; // acknowledged (QoS 1) or written (QoS 0) by Paho
  std::atomic<std::uint64_t> failed{0};    // Paho reported failure, or refused the message
  std::atomic<std::uint64_t> dropped{0};   // evicted from the offline queue (oldest first)
  std::atomic<std::uint64_t> reconnects{0}; // connections after the first one
  std::atomic<std::uint64_t> session_resets{0}; // stored session dropped as wedged (wedge_detector.h)
  std::atomic<std::uint64_t> buffered{0};  // gauge: waiting in the offline queue right now
  std::atomic<std::uint64_t> buffered_bytes{0}; // gauge: topic + payload bytes of `buffered`
  std::atomic<std::uint64_t> inflight{0};  // gauge: handed to Paho, not yet acknowledged
};

} // namespace cam2mqtt::mqtt
