// PahoPublisher's connection lifecycle: connect, reconnect with jittered backoff, what happens
// after a connect and after a loss, the session reset, and the worker loop that drives them
// (paho_publisher_impl.h).
#include "mqtt/paho_publisher_impl.h"

#include <MQTTAsync.h>

#include <algorithm>
#include <random>
#include <stdexcept>

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include "mqtt/paho_options.h"

namespace cam2mqtt::mqtt {
namespace {

using namespace std::chrono_literals;

// +-20% around `base`, so many daemons (or a daemon and its peers) do not reconnect in step.
std::chrono::milliseconds jittered(std::chrono::milliseconds base) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_real_distribution<double> factor(0.8, 1.2);
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * factor(rng)));
}

} // namespace

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

} // namespace cam2mqtt::mqtt
