#include "mqtt/paho_publisher.h"

#include <MQTTAsync.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include "mqtt/paho_options.h"
#include "mqtt/paho_publisher_impl.h"

namespace cam2mqtt::mqtt {
namespace {

using namespace std::chrono_literals;

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
