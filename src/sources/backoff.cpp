#include "sources/backoff.h"

#include <algorithm>

namespace cam2mqtt::sources {

Backoff::ms Backoff::jittered(ms base, double unit) const {
  const double factor = 1.0 + m_s.jitter * (2.0 * std::clamp(unit, 0.0, 1.0) - 1.0);
  return ms(static_cast<ms::rep>(static_cast<double>(base.count()) * factor));
}

Backoff::ms Backoff::next_delay(double unit) {
  const ms base = m_next;
  m_next = std::min(m_s.max, m_next * 2);
  return jittered(base, unit);
}

Backoff::ms Backoff::auth_failure_delay(double unit) {
  m_next = m_s.max;
  return jittered(m_s.max, unit);
}

void Backoff::disconnected(std::chrono::steady_clock::time_point now) {
  if (m_up_since != std::chrono::steady_clock::time_point{} && now - m_up_since >= m_s.healthy_after) {
    m_next = m_s.initial;
  }
  m_up_since = {};
}

} // namespace cam2mqtt::sources
