#pragma once
// Decides when the client's stored MQTT session is wedged: the broker closes the connection
// shortly after every CONNECT while messages are unacknowledged and none gets acknowledged.
// With clean_session=false the client resends its stored publishes after each CONNECT, so one
// the broker rejects (mosquitto: "disconnected due to malformed packet") comes back every time
// and the session never drains (src/mqtt/README.md, "Known issue"). The caller then drops the
// client with its stored session and reconnects with a clean session, resending from its own
// queue. Pure: no threads, no clock of its own (callers pass `now`), no Paho.
#include <chrono>
#include <cstddef>

namespace cam2mqtt::mqtt {

class WedgeDetector {
public:
  using Clock = std::chrono::steady_clock;

  struct Policy {
    // A connection lost this soon after it was established counts as "short".
    Clock::duration short_connection = std::chrono::seconds(5);
    // This many short connections in a row, each with messages in flight and none of them
    // acknowledged, mean the session is wedged. 0: never.
    std::size_t max_short_connections = 3;
  };

  explicit WedgeDetector(Policy policy) : m_policy(policy) {}

  // The connection is established (CONNACK).
  void connected(Clock::time_point now) noexcept {
    m_connected_at = now;
    m_is_connected = true;
    m_acknowledged = false;
  }
  // The broker acknowledged a message on the current connection: the session makes progress.
  void acknowledged() noexcept { m_acknowledged = true; }
  // The connection was lost at `now` with `in_flight` messages handed to the client and not
  // acknowledged. True when the session should be reset now (the count starts again).
  bool connection_lost(Clock::time_point now, std::size_t in_flight) noexcept {
    if (!m_is_connected) {
      return false; // a loss without a connect (reported twice): nothing new
    }
    m_is_connected = false;
    const bool stuck = now - m_connected_at < m_policy.short_connection && in_flight > 0 && !m_acknowledged;
    m_streak = stuck ? m_streak + 1 : 0;
    if (m_policy.max_short_connections == 0 || m_streak < m_policy.max_short_connections) {
      return false;
    }
    m_streak = 0;
    return true;
  }
  // Short, fruitless connections in a row so far.
  std::size_t streak() const noexcept { return m_streak; }
  const Policy& policy() const noexcept { return m_policy; }

private:
  Policy m_policy;
  Clock::time_point m_connected_at{};
  bool m_is_connected = false;
  bool m_acknowledged = false;
  std::size_t m_streak = 0;
};

} // namespace cam2mqtt::mqtt
