#include "mqtt/paho_publisher.h"

#include <MQTTAsync.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string_view>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include "mqtt/log_throttle.h"
#include "mqtt/paho_options.h"
#include "mqtt/publish_queue.h"
#include "mqtt/spool.h"
#include "mqtt/wedge_detector.h"

namespace cam2mqtt::mqtt {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Paho's own buffer must never need to evict (see paho_publisher.h): our window plus room for
// the control messages (bridge state) that bypass the window.
constexpr std::size_t k_paho_buffer_headroom = 64;
constexpr auto k_worker_tick = 100ms; // bound on a missed wake-up; the worker never spins
constexpr std::size_t k_flush_bytes = 1024 * 1024; // flush the spool early past this much

// Our sequence number travels through Paho as the publish's user context.
void* seq_context(std::uint64_t seq) noexcept {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(seq));
}
std::uint64_t context_seq(const ::mqtt::token& tok) noexcept {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(tok.get_user_context()));
}

// +-20% around `base`, so many daemons (or a daemon and its peers) do not reconnect in step.
std::chrono::milliseconds jittered(std::chrono::milliseconds base) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_real_distribution<double> factor(0.8, 1.2);
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * factor(rng)));
}

// Forwards Paho's action callbacks to member functions. Runs on Paho's threads.
template <typename Success, typename Failure> class Listener final : public ::mqtt::iaction_listener {
public:
  Listener(Success success, Failure failure) : m_success(success), m_failure(failure) {}
  void on_success(const ::mqtt::token& tok) override { m_success(tok); }
  void on_failure(const ::mqtt::token& tok) override { m_failure(tok); }

private:
  Success m_success;
  Failure m_failure;
};

template <typename S, typename F> auto make_listener(S s, F f) {
  return std::make_unique<Listener<S, F>>(s, f);
}

// Refusals that mean "not now" (the message is kept); anything else is a bad message.
bool is_transient(int rc) noexcept {
  return rc == MQTTASYNC_DISCONNECTED || rc == MQTTASYNC_MAX_BUFFERED_MESSAGES ||
         rc == MQTTASYNC_OPERATION_INCOMPLETE;
}

// Never below zero: a callback of a client being replaced may race with the reset to 0.
void decrement(std::atomic<std::size_t>& n) noexcept {
  auto v = n.load();
  while (v > 0 && !n.compare_exchange_weak(v, v - 1)) {
  }
}

::mqtt::connect_options clean_session(::mqtt::connect_options opts) {
  opts.set_clean_session(true);
  return opts;
}

} // namespace

struct PahoPublisher::Impl final : public ::mqtt::callback {
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
  LogThrottle refused_log{5s};
  LogThrottle dropped_log{5s};
  LogThrottle failed_log{5s};
  LogThrottle connect_log{60s};

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

PahoPublisher::Impl::Impl(const config::MqttConfig& config, Notify notify_fn, Options opts)
    : cfg(config), notify(std::move(notify_fn)), options(std::move(opts)),
      server_uri(paho_server_uri(cfg.url)), log_url(redact_url(server_uri)),
      client_id(effective_client_id(cfg)), state_topic(mqtt::bridge_state_topic(cfg.topic_prefix)),
      connect_opts(make_connect_options(cfg)), clean_connect_opts(clean_session(connect_opts)),
      m_queue(PublishQueue::Limits{.max_messages = cfg.buffer.max_messages, .max_bytes = cfg.buffer.max_bytes}),
      wedge(options.wedge) {
  if (!cfg.buffer.dir.empty()) {
    spool = std::make_unique<Spool>(cfg.buffer.dir, Spool::Options{options.spool_segment_bytes});
    auto recovered = spool->recover();
    m_queue.set_next_seq(spool->next_seq());
    std::size_t bytes = 0;
    const std::size_t count = recovered.records.size();
    for (auto& rec : recovered.records) {
      bytes += OfflineQueue::size_of(rec.msg);
      m_queue.restore(QueuedMessage{rec.seq, std::move(rec.msg)});
    }
    update_gauges_locked();
    SPDLOG_INFO("mqtt: buffer dir={} recovered={} recovered_bytes={} kept={} dropped={} segments={} "
                "damaged_segments={}",
                cfg.buffer.dir, count, bytes, m_queue.queued(), stats.dropped.load(), recovered.segments,
                recovered.damaged);
  }
  delivery_listener = make_listener([this](const ::mqtt::token& t) { on_delivered(t); },
                                    [this](const ::mqtt::token& t) { on_delivery_failed(t); });
  connect_listener = make_listener([](const ::mqtt::token&) {},
                                   [this](const ::mqtt::token& t) { on_connect_failed(t); });
  subscribe_listener = make_listener(
      [](const ::mqtt::token&) {},
      [](const ::mqtt::token& t) { SPDLOG_WARN("mqtt: subscribe failed rc={}", t.get_return_code()); });
  quiet_paho_trace();
  client = create_client();
  current_client = client.get();
}

std::unique_ptr<::mqtt::async_client> PahoPublisher::Impl::create_client() {
  const auto create = make_create_options(options.window + k_paho_buffer_headroom);
  std::unique_ptr<::mqtt::async_client> made;
  try {
    made = options.persistence_dir.empty()
               ? std::make_unique<::mqtt::async_client>(server_uri, client_id, create, nullptr)
               : std::make_unique<::mqtt::async_client>(server_uri, client_id, create, options.persistence_dir);
  } catch (const ::mqtt::exception& e) {
    throw std::invalid_argument("mqtt: cannot create client for url=" + log_url + ": " + e.what());
  }
  made->set_callback(*this);
  return made;
}

void PahoPublisher::Impl::safe_notify(MqttEvent event) noexcept {
  try {
    if (notify && !notify_off) {
      notify(std::move(event));
    }
  } catch (const std::exception& e) {
    SPDLOG_ERROR("mqtt: notify threw: {}", e.what());
  } catch (...) {
    SPDLOG_ERROR("mqtt: notify threw");
  }
}

void PahoPublisher::Impl::connected(const std::string& /*cause*/) {
  is_connected = true;
  if (ever_connected.exchange(true)) {
    ++stats.reconnects;
  }
  SPDLOG_INFO("mqtt: connected url={} client_id={} buffered={} dropped_total={}", log_url, client_id,
              stats.buffered.load(), stats.dropped.load());
  pending_connected = true;
  wake();
}

void PahoPublisher::Impl::connection_lost(const std::string& cause) {
  is_connected = false;
  SPDLOG_WARN("mqtt: connection lost cause={} url={}", cause.empty() ? "unknown" : cause, log_url);
  safe_notify(MqttEvent{MqttEvent::Kind::connection_lost, {}, {}, cause});
  pending_lost = true;
  pending_connect_failure = true; // the worker reconnects with backoff
  wake();
}

void PahoPublisher::Impl::message_arrived(::mqtt::const_message_ptr msg) {
  if (!msg) {
    return;
  }
  safe_notify(MqttEvent{MqttEvent::Kind::message_arrived, msg->get_topic(), msg->to_string(), {}});
}

void PahoPublisher::Impl::on_delivered(const ::mqtt::token& tok) noexcept {
  if (!is_current(tok)) {
    return; // a replaced client's: its messages were queued again at the reset
  }
  const auto seq = context_seq(tok);
  ++stats.delivered;
  decrement(outstanding);
  if (seq != 0) {
    try {
      std::lock_guard lock(m_done_mutex);
      m_done.push_back(seq);
    } catch (...) {
    }
  }
  // The worker needs this acknowledgement only to refill the window from a backlog; otherwise
  // its next tick collects it. Waking it for every acknowledgement cost a futex wake and a task
  // switch per message (bench/: a third of the daemon's CPU time at high rates). publish()
  // wakes the worker whenever it queues, so a backlog is never left waiting for a tick.
  if (stats.buffered.load(std::memory_order_relaxed) != 0 || stopping) {
    wake();
  }
}

void PahoPublisher::Impl::on_delivery_failed(const ::mqtt::token& tok) noexcept {
  if (!is_current(tok)) {
    return; // a replaced client's: its messages were queued again at the reset
  }
  decrement(outstanding);
  if (!stopping) {
    session_suspect = true; // Paho may keep a broken copy of it: reset before reconnecting
  }
  const auto seq = context_seq(tok);
  std::string topic;
  ::mqtt::const_message_ptr msg;
  try {
    if (const auto* dtok = dynamic_cast<const ::mqtt::delivery_token*>(&tok)) {
      msg = dtok->get_message();
      if (msg) {
        topic = msg->get_topic();
      }
    }
  } catch (...) {
  }
  const std::string cause = "rc=" + std::to_string(tok.get_return_code());
  // A publish fails asynchronously when the connection drops under it (rc=-1 as the broker
  // goes away): nothing says the broker has it, so it goes back into the queue at its place and
  // is sent again after the reconnect (at least once). Losing it here lost an acknowledged event
  // (test_delivery's outage test). The session is reset before that reconnect (session_suspect),
  // so what Paho still held comes back to the queue too and everything goes out in order.
  if (seq != 0 && !stopping && msg) {
    try {
      QueuedMessage again{seq, OutgoingMessage{topic, msg->to_string(), msg->get_qos(), msg->is_retained()}};
      {
        std::lock_guard lock(m_done_mutex);
        m_retry.push_back(std::move(again));
      }
      if (auto suppressed = failed_log.allow()) {
        SPDLOG_WARN("mqtt: delivery interrupted topic={} {}; will send it again suppressed={}", topic, cause,
                    *suppressed);
      }
      wake();
      return;
    } catch (...) {
    }
  }
  ++stats.failed;
  // While running, a failure is final (counted, logged) and must not pin the watermark. At
  // stop it means "not sent": the message stays unacknowledged, so the spool keeps it.
  if (seq != 0 && !stopping) {
    try {
      std::lock_guard lock(m_done_mutex);
      m_done.push_back(seq);
    } catch (...) {
    }
  }
  if (stopping) {
    SPDLOG_DEBUG("mqtt: delivery abandoned at stop topic={} {}", topic, cause);
  } else if (auto suppressed = failed_log.allow()) {
    SPDLOG_WARN("mqtt: delivery failed topic={} {} suppressed={}", topic, cause, *suppressed);
  }
  safe_notify(MqttEvent{MqttEvent::Kind::delivery_failed, std::move(topic), {}, cause});
  wake();
}

void PahoPublisher::Impl::on_connect_failed(const ::mqtt::token& tok) noexcept {
  if (stopping) {
    return;
  }
  if (auto suppressed = connect_log.allow()) {
    SPDLOG_WARN("mqtt: connect failed url={} rc={} reason=\"{}\" buffered={}; retrying with backoff "
                "suppressed={}",
                log_url, tok.get_return_code(), connect_failure_reason(tok.get_return_code()),
                stats.buffered.load(), *suppressed);
  }
  pending_connect_failure = true;
  wake();
}

void PahoPublisher::Impl::start() {
  {
    std::lock_guard lock(m_mutex);
    if (m_started) {
      return;
    }
    m_started = true;
  }
  SPDLOG_INFO("mqtt: connecting url={} client_id={} buffer_max={}", log_url, client_id,
              m_queue.capacity());
  worker = std::thread([this] { run_worker(); });
  try_connect();
}

void PahoPublisher::Impl::try_connect() {
  if (stopping || is_connected) {
    return;
  }
  try {
    client->connect(clean_next ? clean_connect_opts : connect_opts, nullptr, *connect_listener);
  } catch (const ::mqtt::exception& e) {
    SPDLOG_WARN("mqtt: connect refused url={} rc={}; retrying", log_url, e.get_return_code());
    pending_connect_failure = true;
    wake();
  }
}

PahoPublisher::Impl::Handed PahoPublisher::Impl::hand_to_paho(QueuedMessage& q) {
  auto& msg = q.msg;
  // Moved, not copied: a camera picture is hundreds of KB, and this copy was one of the
  // largest memmoves on the image path. Only a refusal (rare) copies it back.
  auto paho_msg = ::mqtt::make_message(std::move(msg.topic), std::move(msg.payload), msg.qos, msg.retain);
  ++outstanding;
  try {
    client->publish(paho_msg, seq_context(q.seq), *delivery_listener);
    return Handed::yes;
  } catch (const ::mqtt::exception& e) {
    decrement(outstanding);
    msg.topic = paho_msg->get_topic();
    msg.payload = paho_msg->get_payload_str();
    if (is_transient(e.get_return_code())) {
      return Handed::not_now;
    }
    ++stats.failed;
    if (auto suppressed = refused_log.allow()) {
      SPDLOG_WARN("mqtt: publish refused topic={} rc={} suppressed={}", msg.topic,
                  e.get_return_code(), *suppressed);
    }
    return Handed::refused;
  }
}

bool PahoPublisher::Impl::send_locked(QueuedMessage q) {
  switch (hand_to_paho(q)) {
  case Handed::yes:
    return true;
  case Handed::not_now:
    m_queue.put_back(std::move(q));
    return false;
  case Handed::refused:
    m_queue.failed_permanently(q.seq); // a bad message is not retried
    return true;
  }
  return true;
}

std::size_t PahoPublisher::Impl::room() const noexcept {
  const std::size_t held_by_paho = outstanding;
  return is_connected && held_by_paho < options.window ? options.window - held_by_paho : 0;
}

void PahoPublisher::Impl::publish(OutgoingMessage msg) {
  if (stopping) {
    ++stats.failed;
    if (auto suppressed = refused_log.allow()) {
      SPDLOG_WARN("mqtt: publish after stop topic={} suppressed={}", msg.topic, *suppressed);
    }
    return;
  }
  ++stats.published;
  std::lock_guard lock(m_mutex);
  auto q = m_queue.number(std::move(msg));
  if (spool) {
    spool->append(q.seq, q.msg);
  }
  if (auto send_now = m_queue.accept(std::move(q), Clock::now(), room())) {
    if (send_locked(std::move(*send_now))) {
      if (spool && spool->pending_bytes() >= k_flush_bytes) {
        wake();
      }
      return;
    }
  }
  update_gauges_locked();
  wake(); // held or queued: the worker sends it
}

void PahoPublisher::Impl::update_gauges_locked() {
  if (const auto dropped = m_queue.dropped(); dropped != stats.dropped.load()) {
    stats.dropped = dropped;
    if (auto suppressed = dropped_log.allow()) {
      SPDLOG_WARN("mqtt: buffer full, dropped oldest message max_messages={} max_bytes={} "
                  "dropped_total={} suppressed={}",
                  m_queue.capacity(), m_queue.max_bytes(), dropped, *suppressed);
    }
  }
  stats.buffered = m_queue.queued(); // held (not_before) messages join it when due
  stats.buffered_bytes = m_queue.queued_bytes();
  stats.inflight = m_queue.inflight();
}

void PahoPublisher::Impl::collect_done_locked() {
  std::vector<std::uint64_t> done;
  std::vector<QueuedMessage> retry;
  {
    std::lock_guard lock(m_done_mutex);
    done.swap(m_done);
    retry.swap(m_retry);
  }
  for (const auto seq : done) {
    m_queue.acknowledged(seq);
  }
  for (auto& q : retry) {
    m_queue.failed_transiently(std::move(q));
  }
  if (!retry.empty()) {
    update_gauges_locked();
  }
}

void PahoPublisher::Impl::drain_locked() {
  collect_done_locked();
  // Releases due held messages even while disconnected (at most k_worker_tick late).
  const auto now = Clock::now();
  while (auto q = m_queue.next_to_send(now, room())) {
    if (!send_locked(std::move(*q))) {
      break; // transient refusal: try again on the next tick
    }
  }
  update_gauges_locked();
  if (const auto took = m_queue.backlog_cleared(Clock::now())) {
    SPDLOG_INFO("mqtt: buffer drained after reconnect ms={} dropped_total={}",
                std::chrono::duration_cast<std::chrono::milliseconds>(*took).count(), stats.dropped.load());
  }
}

void PahoPublisher::Impl::after_connect() {
  // Retained "online" first, then subscriptions, then tell the app (which republishes state).
  QueuedMessage online{0, {state_topic, "online", 1, true}}; // seq 0: not in m_queue
  hand_to_paho(online);
  std::vector<std::pair<std::string, int>> subs;
  {
    std::lock_guard lock(m_mutex);
    subs = m_subscriptions;
    m_queue.connected(Clock::now());
  }
  // Always re-subscribe: cheap, and correct whether or not the broker kept the session.
  for (const auto& [filter, qos] : subs) {
    try {
      client->subscribe(filter, qos, nullptr, *subscribe_listener);
    } catch (const ::mqtt::exception& e) {
      SPDLOG_WARN("mqtt: subscribe refused filter={} rc={}", filter, e.get_return_code());
    }
  }
  safe_notify(MqttEvent{MqttEvent::Kind::connected, {}, {}, {}});
}

void PahoPublisher::Impl::on_lost_locked() {
  collect_done_locked();
  if (stats.delivered.load() != delivered_at_connect) {
    wedge.acknowledged();
  }
  if (wedge.connection_lost(Clock::now(), m_queue.inflight())) {
    const auto& p = wedge.policy();
    reset_session_locked(fmt::format(
        "the broker closed the connection within {} ms of connecting {} times in a row with messages in "
        "flight and none acknowledged",
        std::chrono::duration_cast<std::chrono::milliseconds>(p.short_connection).count(),
        p.max_short_connections));
  }
}

void PahoPublisher::Impl::reset_session_locked(std::string_view why) {
  // m_mutex is held: publish() and subscribe() cannot use the client meanwhile.
  std::unique_ptr<::mqtt::async_client> fresh;
  try {
    fresh = create_client();
  } catch (const std::exception& e) {
    SPDLOG_ERROR("mqtt: session reset failed, keeping the session: {}", e.what());
    return;
  }
  const auto inflight = m_queue.inflight();
  // Every message handed to the old client and not completed has its delivery token there,
  // with our seq as its context (paho.mqtt.cpp keeps them: README "Paho 1.2 buffering").
  std::size_t resent = 0;
  for (const auto& tok : client->get_pending_delivery_tokens()) {
    const auto seq = context_seq(*tok);
    const auto msg = tok->get_message();
    if (seq == 0 || !msg) {
      continue; // bridge state: after_connect() publishes it again
    }
    m_queue.failed_transiently(QueuedMessage{
        seq, OutgoingMessage{msg->get_topic(), msg->to_string(), msg->get_qos(), msg->is_retained()}});
    ++resent;
  }
  try {
    client->disable_callbacks();
  } catch (const ::mqtt::exception& e) {
    SPDLOG_DEBUG("mqtt: disable_callbacks rc={}", e.get_return_code()); // ignored: is_current()
  }
  current_client = fresh.get(); // from now on the old client's callbacks are ignored
  outstanding = 0;
  retired_client = std::move(client); // destroys the one retired before (idle since)
  client = std::move(fresh);
  clean_next = true;
  ++stats.session_resets;
  session_suspect = false; // the new client has no stored session
  update_gauges_locked();
  // Every in-flight seq is back in the queue now; one left here (never seen) would pin the
  // watermark: it stays on disk for the next start rather than being forgotten.
  SPDLOG_WARN("mqtt: session reset: {}; dropped the MQTT client's stored session, reconnecting with a clean "
              "session and sending again from our queue what was unacknowledged url={} in_flight={} "
              "resent={} unaccounted={} (duplicates possible, nothing lost)",
              why, log_url, inflight, resent, m_queue.inflight());
}

void PahoPublisher::Impl::run_worker() {
  constexpr auto k_never = Clock::time_point::max();
  auto backoff = options.first_retry_min;
  auto next_connect = k_never; // a plain sentinel: gcc 12 misreads optional<time_point>
  auto last_flush = Clock::now();
  std::unique_lock lock(m_mutex);
  while (!m_worker_exit) {
    if (pending_connected.exchange(false)) {
      next_connect = k_never;
      backoff = options.first_retry_min;
      clean_next = false;
      wedge.connected(Clock::now());
      delivered_at_connect = stats.delivered.load();
      lock.unlock();
      after_connect();
      lock.lock();
      continue;
    }
    if (pending_lost.exchange(false) && !stopping) {
      on_lost_locked();
      if (clean_next) {
        backoff = options.first_retry_min; // the reset is the fix: reconnect at once
      }
    }
    if (pending_connect_failure.exchange(false) && !stopping && !is_connected) {
      const auto delay = jittered(backoff);
      next_connect = Clock::now() + delay;
      backoff = std::min(backoff * 2, options.first_retry_max);
      SPDLOG_DEBUG("mqtt: reconnecting in ms={}", delay.count());
    }
    if (next_connect != k_never && Clock::now() >= next_connect) {
      next_connect = k_never;
      if (session_suspect && !is_connected) {
        collect_done_locked(); // the failed publishes are back in the queue first
        reset_session_locked("a publish failed as the connection dropped, and Paho C 1.3.12 can keep a broken "
                             "copy of such a publish in its stored session (seen resent with an empty topic, "
                             "which the broker rejects as a malformed packet after every reconnect)");
      }
      lock.unlock();
      try_connect();
      lock.lock();
      continue;
    }
    drain_locked();
    const auto now = Clock::now();
    if (spool && (now - last_flush >= options.flush_interval || spool->pending_bytes() >= k_flush_bytes)) {
      last_flush = now;
      const auto watermark = m_queue.watermark();
      lock.unlock();
      spool->flush(watermark); // outside the lock: publish() keeps appending meanwhile
      lock.lock();
      continue;
    }
    m_cv.wait_until(lock, std::min(now + k_worker_tick, next_connect));
  }
}

void PahoPublisher::Impl::subscribe(const std::string& filter, int qos) {
  std::lock_guard lock(m_mutex); // the worker may replace the client
  m_subscriptions.emplace_back(filter, qos);
  if (!is_connected) {
    return; // after_connect() subscribes
  }
  try {
    client->subscribe(filter, qos, nullptr, *subscribe_listener);
  } catch (const ::mqtt::exception& e) {
    SPDLOG_WARN("mqtt: subscribe refused filter={} rc={}", filter, e.get_return_code());
  }
}

void PahoPublisher::Impl::stop(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(m_mutex);
    if (!m_started || m_stopped) {
      m_stopped = true;
      notify_off = true;
      return;
    }
    m_stopped = true;
  }
  const auto deadline = Clock::now() + timeout;
  stopping = true;
  std::size_t waiting = 0;
  {
    std::lock_guard lock(m_mutex); // the worker changes the queue meanwhile
    waiting = m_queue.queued();
  }
  SPDLOG_INFO("mqtt: stopping pending={} timeout_ms={}", outstanding.load() + waiting, timeout.count());
  if (is_connected) {
    std::lock_guard lock(m_mutex);
    drain_locked();
    QueuedMessage offline{0, {state_topic, "offline", 1, true}};
    hand_to_paho(offline);
  }
  {
    // The worker keeps draining the queue meanwhile; wait for the broker's acknowledgements.
    std::unique_lock lock(m_mutex);
    while (Clock::now() < deadline && is_connected && (m_queue.waiting() != 0 || outstanding > 0)) {
      collect_done_locked();
      m_cv.wait_for(lock, 20ms);
    }
    m_worker_exit = true;
  }
  wake();
  if (worker.joinable()) {
    worker.join();
  }
  const auto left = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                             std::chrono::milliseconds{0});
  try {
    auto tok = client->disconnect(static_cast<int>(left.count()));
    tok->wait_for(left + 1s);
  } catch (const ::mqtt::exception& e) {
    SPDLOG_DEBUG("mqtt: disconnect rc={}", e.get_return_code());
  }
  is_connected = false;
  notify_off = true;
  std::lock_guard lock(m_mutex);
  collect_done_locked();
  update_gauges_locked();
  std::size_t kept = 0;
  if (spool) {
    // Whatever was not acknowledged stays on disk for the next start.
    spool->flush(m_queue.watermark());
    kept = m_queue.pending();
  }
  SPDLOG_INFO("mqtt: stopped delivered={} dropped={} failed={} unsent={} kept_on_disk={}",
              stats.delivered.load(), stats.dropped.load(), stats.failed.load(), m_queue.pending(), kept);
}

PahoPublisher::PahoPublisher(const config::MqttConfig& cfg, Notify notify)
    : PahoPublisher(cfg, std::move(notify), Options{}) {}

PahoPublisher::PahoPublisher(const config::MqttConfig& cfg, Notify notify, Options options)
    : m_impl(std::make_unique<Impl>(cfg, std::move(notify), std::move(options))) {}

PahoPublisher::~PahoPublisher() {
  try {
    m_impl->stop(std::chrono::milliseconds{1000});
  } catch (...) {
  }
}

void PahoPublisher::start() { m_impl->start(); }

void PahoPublisher::publish(OutgoingMessage msg) {
  try {
    m_impl->publish(std::move(msg));
  } catch (const std::exception& e) {
    ++m_impl->stats.failed;
    SPDLOG_ERROR("mqtt: publish failed: {}", e.what());
  }
}

bool PahoPublisher::connected() const { return m_impl->is_connected; }

void PahoPublisher::subscribe(const std::string& topic_filter, int qos) {
  m_impl->subscribe(topic_filter, qos);
}

void PahoPublisher::stop(std::chrono::milliseconds timeout) { m_impl->stop(timeout); }

const MqttStats& PahoPublisher::stats() const noexcept { return m_impl->stats; }

std::size_t PahoPublisher::pending() const {
  std::lock_guard lock(m_impl->m_mutex);
  return m_impl->m_queue.waiting() + m_impl->outstanding.load();
}

const std::string& PahoPublisher::bridge_state_topic() const noexcept { return m_impl->state_topic; }

} // namespace cam2mqtt::mqtt
