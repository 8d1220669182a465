#pragma once
// PahoPublisher's private half, shared by its two source files:
//   paho_publisher.cpp  construction, publish path, delivery callbacks, draining, stop;
//   paho_connection.cpp connect, reconnect with backoff, after-connect, connection loss, the
//                       session reset (README "Known issue") and the worker loop.
// Not for other modules: include mqtt/paho_publisher.h.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <mqtt/async_client.h>

#include "mqtt/log_throttle.h"
#include "mqtt/mqtt_stats.h"
#include "mqtt/paho_publisher.h"
#include "mqtt/publish_queue.h"
#include "mqtt/spool.h"
#include "mqtt/wedge_detector.h"

namespace cam2mqtt::mqtt {

// Our sequence number travels through Paho as the publish's user context.
inline void* seq_context(std::uint64_t seq) noexcept {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(seq));
}
inline std::uint64_t context_seq(const ::mqtt::token& tok) noexcept {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(tok.get_user_context()));
}

struct PahoPublisher::Impl final : public ::mqtt::callback {
  using Clock = std::chrono::steady_clock;
  // Paho's own buffer must never need to evict (see paho_publisher.h): our window plus room for
  // the control messages (bridge state) that bypass the window.
  static constexpr std::size_t k_paho_buffer_headroom = 64;
  static constexpr std::chrono::milliseconds k_worker_tick{100}; // bound on a missed wake-up; the worker never spins
  static constexpr std::size_t k_flush_bytes = 1024 * 1024; // flush the spool early past this much

  Impl(const config::MqttConfig& config, Notify notify_fn, Options opts);

  // Paho callbacks (Paho's threads): set atomics, wake the worker, notify. Never block.
  void connected(const std::string& cause) override;
  void connection_lost(const std::string& cause) override;
  void message_arrived(::mqtt::const_message_ptr msg) override;
  void on_delivered(const ::mqtt::token& tok) noexcept;
  void on_delivery_failed(const ::mqtt::token& tok) noexcept;
  void on_connect_failed(const ::mqtt::token& tok) noexcept;

  void start();
  void publish(OutgoingMessage msg);
  void subscribe(const std::string& filter, int qos);
  void stop(std::chrono::milliseconds timeout);

  // Worker thread: first-connect retries, post-connect work, draining the queue.
  void run_worker();
  void after_connect();
  void try_connect();
  // A new Paho client (no stored session) with our callbacks. Throws std::invalid_argument.
  std::unique_ptr<::mqtt::async_client> create_client();
  // The connection was lost: asks the WedgeDetector, resets the session when it says so.
  void on_lost_locked();
  // Drops the Paho client and the session it stores, puts every message it held back into
  // m_queue (sent again, at least once) and connects the next time with a clean session.
  // `why` ends the warning line.
  void reset_session_locked(std::string_view why);
  // Paho's callbacks for a replaced client are ignored.
  bool is_current(const ::mqtt::token& tok) const noexcept { return tok.get_client() == current_client.load(); }
  void drain_locked();
  // Moves the acknowledgements and retries reported by Paho's threads into m_queue.
  void collect_done_locked();
  // Copies m_queue's gauges and drop count to `stats`; logs new drops.
  void update_gauges_locked();
  // How many more messages Paho takes now: 0 while disconnected, else what the window leaves.
  std::size_t room() const noexcept;
  // Hands a message from m_queue to Paho. Returns false when Paho refused it for now (it is
  // first in m_queue again).
  bool send_locked(QueuedMessage q);
  enum class Handed { yes, not_now, refused };
  // Hands one message to Paho (m_mutex held when q.seq != 0); counts and logs a refusal.
  // Moves the topic and payload into Paho's message; they are back in `q` unless Handed::yes.
  Handed hand_to_paho(QueuedMessage& q);
  void safe_notify(MqttEvent event) noexcept;
  void wake() noexcept { m_cv.notify_all(); }

  const config::MqttConfig cfg;
  const Notify notify;
  const Options options;
  const std::string server_uri;
  const std::string log_url;
  const std::string client_id;
  const std::string state_topic;
  const ::mqtt::connect_options connect_opts;
  const ::mqtt::connect_options clean_connect_opts; // the first connect after a session reset

  MqttStats stats;
  LogThrottle refused_log{std::chrono::seconds(5)};
  LogThrottle dropped_log{std::chrono::seconds(5)};
  LogThrottle failed_log{std::chrono::seconds(5)};
  LogThrottle connect_log{std::chrono::seconds(60)};

  std::atomic<bool> is_connected{false};
  std::atomic<bool> ever_connected{false};
  std::atomic<bool> pending_connected{false};
  std::atomic<bool> pending_connect_failure{false};
  std::atomic<bool> stopping{false};
  std::atomic<bool> notify_off{false}; // after stop(): the app's mailbox may be gone
  std::atomic<std::size_t> outstanding{0}; // handed to Paho, not yet completed
  std::atomic<bool> pending_lost{false};     // connection_lost: the worker asks `wedge`
  std::atomic<bool> clean_next{false};       // after a session reset, until connected
  // A publish failed as the connection dropped: Paho can keep a broken copy of it in its stored
  // session (README "Known issue"), so the session is reset before the next connect.
  std::atomic<bool> session_suspect{false};
  std::atomic<const ::mqtt::iasync_client*> current_client{nullptr};

  mutable std::mutex m_mutex; // guards everything below; never taken in Paho callbacks
  std::condition_variable m_cv;
  PublishQueue m_queue;
  std::vector<std::pair<std::string, int>> m_subscriptions;
  WedgeDetector wedge;
  std::uint64_t delivered_at_connect = 0; // stats.delivered when the connection came up
  bool m_worker_exit = false;
  bool m_started = false;
  bool m_stopped = false;

  std::mutex m_done_mutex; // guards m_done and m_retry; the one lock Paho's threads take, briefly
  std::vector<std::uint64_t> m_done;  // acknowledged, or failed for good
  std::vector<QueuedMessage> m_retry; // publishes the connection drop failed: sent again

  std::unique_ptr<Spool> spool; // null when cfg.buffer.dir is ""

  // Listeners and the client last: Paho calls into everything above until it is destroyed.
  std::unique_ptr<::mqtt::iaction_listener> delivery_listener;
  std::unique_ptr<::mqtt::iaction_listener> connect_listener;
  std::unique_ptr<::mqtt::iaction_listener> subscribe_listener;
  // The client replaced by the last session reset: kept until the next one (or the end), as a
  // thread may still be in a call on it. Callbacks disabled, never connected again.
  std::unique_ptr<::mqtt::async_client> retired_client;
  std::unique_ptr<::mqtt::async_client> client; // replaced only by the worker, under m_mutex
  std::thread worker;
};

} // namespace cam2mqtt::mqtt
