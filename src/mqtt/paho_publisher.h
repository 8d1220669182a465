#pragma once
// The Publisher backed by paho.mqtt.cpp. Paho stays behind a pimpl, so including this header
// does not pull in <mqtt/...>.
//
// Threads:
// - publish(), subscribe(), connected() and stats() may be called from any thread.
// - start() and stop() are called by the owner (the loop thread); stop() is the one call that
//   may block, for at most its timeout.
// - `notify` runs on Paho's threads or on this publisher's worker thread. It must only hand the
//   MqttEvent to the application's loop (Mailbox::post()) and return: no blocking, no waiting on
//   anything Paho-related, no throwing, no calls back into this publisher. It is not called
//   once stop() has returned.
//
// Durability: when cfg.buffer.dir is set (the daemon always sets it), every accepted message is
// also appended to a disk Spool (spool.h) by the worker within Options::flush_interval, and the
// spool's watermark advances as Paho reports acknowledgements. The constructor replays what an
// earlier run left unacknowledged into the queue (at-least-once: duplicates possible, losses not).
// cfg.buffer.dir == "" keeps everything in memory (tests, benchmarks).
//
// Delivery path: publish() hands a message to Paho directly while connected and while Paho
// holds fewer than Options::window unacknowledged messages. Otherwise it waits in the queue
// (bounded by mqtt.buffer.max_messages, oldest evicted and counted) that the worker thread
// drains oldest first (publish order, held and retried messages included) once the broker
// takes messages again. Which message goes when is decided by a PublishQueue
// (publish_queue.h), guarded by this publisher's mutex. Paho's own offline buffer is only a
// safety net: paho.mqtt.cpp 1.2 keeps the delivery token (and message) of every message
// its C library evicts, so relying on delete_oldest_messages would leak memory during a long
// outage (measured: src/mqtt/README.md).
//
// Connection: clean_session=false (the broker keeps our QoS 1 in-flight state and
// subscriptions across a reconnect), except for the first connect after a session reset
// (Options::wedge). Reconnects are ours, not Paho's (its automatic reconnect
// has no jitter and does not retry a failed first connect): the worker thread retries with
// Options::first_retry_min doubling to first_retry_max, +-20% jitter. Every (re)connect
// publishes retained "online" on <prefix>/bridge/state, re-subscribes, then notifies
// `connected`. The last will is a retained "offline" on the same topic.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "mqtt/mqtt_event.h"
#include "mqtt/mqtt_stats.h"
#include "mqtt/publisher.h"
#include "mqtt/wedge_detector.h"

namespace cam2mqtt::mqtt {

class PahoPublisher final : public Publisher {
public:
  using Notify = std::function<void(MqttEvent)>;

  struct Options {
    // Reconnect backoff (first connect and every reconnect): starts at first_retry_min,
    // doubles up to first_retry_max, each delay jittered by +-20%, reset on success.
    std::chrono::milliseconds first_retry_min{1000};
    std::chrono::milliseconds first_retry_max{10000};
    // Most messages handed to Paho and not yet acknowledged; the rest wait in our queue.
    std::size_t window = 1000;
    // How often the worker writes accepted messages to the spool (cfg.buffer.dir). A message
    // reaches the kernel at most about flush_interval + one worker tick after publish().
    std::chrono::milliseconds flush_interval{100};
    std::size_t spool_segment_bytes = 4 * 1024 * 1024;
    // When the broker keeps closing the connection soon after CONNECT with our stored session
    // (src/mqtt/README.md, "Known issue"), the client and its stored session are dropped and
    // the next connect uses a clean session; the messages it held are sent again from the queue.
    WedgeDetector::Policy wedge;
    // Paho's own file persistence directory; "" = none. Only for the benchmark that compares
    // it with our spool (bench/persistence/); the daemon never sets it.
    std::string persistence_dir;
  };

  // Throws std::invalid_argument when Paho rejects the URL or client id, std::runtime_error when
  // the spool directory cannot be created or is locked by another process. Does not connect.
  PahoPublisher(const config::MqttConfig& cfg, Notify notify);
  PahoPublisher(const config::MqttConfig& cfg, Notify notify, Options options);
  ~PahoPublisher() override; // stop(1 s) when the owner did not call stop()
  PahoPublisher(const PahoPublisher&) = delete;
  PahoPublisher& operator=(const PahoPublisher&) = delete;

  // Issues the asynchronous first connect and returns at once; never throws for an absent
  // broker (it keeps retrying).
  void start();
  // Never blocks on the network, never throws; thread-safe.
  void publish(OutgoingMessage msg) override;
  bool connected() const override;
  // Subscribes now when connected and again after every reconnect; arrivals are notified as
  // MqttEvent::Kind::message_arrived.
  void subscribe(const std::string& topic_filter, int qos);
  // Publishes retained "offline", waits (bounded) for queued and unacknowledged messages, then
  // disconnects. Blocks for at most `timeout` (plus a little for the disconnect itself).
  void stop(std::chrono::milliseconds timeout);

  const MqttStats& stats() const noexcept;
  // Messages waiting in our queue plus those handed to Paho and not yet acknowledged.
  std::size_t pending() const;
  const std::string& bridge_state_topic() const noexcept;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace cam2mqtt::mqtt
