#pragma once
// Collects what the loop thread publishes during one pass of the event loop and hands it to the
// real publisher in one go at the end of that pass (a libevent event made active by the first
// message of a batch runs after every callback already queued in the pass).
//
// Why: paho's async client wakes its send thread for every message handed to it. Handed over one
// at a time between HTTP requests, each event paid a thread wake-up and mutex contention with
// paho's send and receive threads (about 40 % of the loop thread's time, bench/README.md).
// Handed over in runs, paho's send thread wakes once per run. A single event still leaves at the
// end of the same loop pass: there is no timer and no added latency.
//
// Loop thread only (every publisher of events, device state and discovery runs there). Order is
// kept: messages reach the target in publish order.
#include <cstddef>
#include <vector>

#include "http/libevent_handles.h"
#include "mqtt/publisher.h"

namespace cam2mqtt::app {

class PublishBatcher final : public mqtt::Publisher {
public:
  PublishBatcher(event_base* base, mqtt::Publisher& target);
  ~PublishBatcher() override; // hands over what is still collected
  PublishBatcher(const PublishBatcher&) = delete;
  PublishBatcher& operator=(const PublishBatcher&) = delete;

  void publish(mqtt::OutgoingMessage msg) override;
  bool connected() const override { return m_target.connected(); }

  // Hands the collected messages to the target now (also called by the loop at the end of a
  // pass, and before the target stops).
  void flush();
  std::size_t collected() const noexcept { return m_batch.size(); }

private:
  static void on_flush(evutil_socket_t, short, void* self) noexcept;

  mqtt::Publisher& m_target;
  std::vector<mqtt::OutgoingMessage> m_batch;
  std::vector<mqtt::OutgoingMessage> m_sending; // reused: no allocation per batch
  http::EventPtr m_event;
};

} // namespace cam2mqtt::app
