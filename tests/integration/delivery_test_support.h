#pragma once
// Shared bits of the delivery tests (issue 3): numbered camera posts whose sequence number comes
// back in the published JSON, a broker whose persistent-session queue is unbounded, and the
// bookkeeping that checks "every acknowledged event arrived, in per-camera order".
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"

namespace cam2mqtt::testing {

// An NVR v2 regionIntrusion post from camera `cam` (deviceInfo/ip 10.77.<cam/250>.<cam%250+1>,
// channel 1) whose eventId is `seq`: exactly one event on camera_event_topic(cam).
std::string numbered_post(int cam, int seq);
std::string camera_key(int cam);         // "10.77.0.1-ch1" for cam 0
std::string camera_event_topic(int cam); // "cam2mqtt/<key>/intrusion"

// Appends settings to the broker's generated mosquitto.conf (call before start()): no limit on
// the messages queued for a disconnected persistent session (the default, 1000, would drop
// what the daemon delivers in a burst before our subscriber has reconnected).
void allow_unbounded_session_queue(MosquittoBroker& broker);

// The broker's process id (found through /proc by its config path); -1 when not running.
int broker_pid(const MosquittoBroker& broker);

// A subscriber with a persistent session on cam2mqtt/#.
MqttCollector::Options persistent_session(const std::string& client_id);

// Event sequence numbers per camera key, in arrival order (duplicates kept).
std::map<std::string, std::vector<int>> received_sequences(const MqttCollector& sub);

struct DeliveryCheck {
  std::size_t acknowledged = 0;
  std::size_t received_distinct = 0;
  std::size_t duplicates = 0;
  std::vector<std::string> problems; // missing or out-of-order events, one line each (capped)
  bool ok() const { return problems.empty(); }
  std::string summary() const;
};
// Every acknowledged seq of each camera arrived; first arrivals are in increasing order.
DeliveryCheck check_delivery(const std::map<std::string, std::vector<int>>& acknowledged,
                             const std::map<std::string, std::vector<int>>& received);

// Polls until every acknowledged event was received (or the timeout passes).
bool wait_all_received(const MqttCollector& sub, const std::map<std::string, std::vector<int>>& acknowledged,
                       std::chrono::milliseconds timeout);

} // namespace cam2mqtt::testing
