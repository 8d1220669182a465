#pragma once
// Reconnect delays of the outbound streams (PRODUCT.md "sources"): 1 s doubling to 60 s, ±20 %
// jitter, back to 1 s after 60 s of a healthy connection. Credential failures start at 60 s
// (Hikvision locks out clients that retry bad passwords, hikvision-isapi.md §2.2). A server's
// SSE `retry:` overrides the base delay. Pure: the caller passes the time and the random draw.
#include <chrono>

namespace cam2mqtt::sources {

class Backoff {
public:
  using ms = std::chrono::milliseconds;
  struct Settings {
    ms initial{1000};
    ms max{60000};
    ms healthy_after{60000};
    double jitter = 0.2;
  };

  Backoff() = default;
  explicit Backoff(Settings s) : m_s(s), m_next(s.initial) {}

  // The delay before the next attempt; `unit` is a uniform draw in [0, 1) for the jitter.
  ms next_delay(double unit);
  // A failure the server blames on our credentials: wait at least `max`.
  ms auth_failure_delay(double unit);
  // The connection is up; reset() once it stayed up for healthy_after.
  void connected(std::chrono::steady_clock::time_point now) { m_up_since = now; }
  // The connection ended at `now`: if it had been healthy long enough, start over at initial.
  void disconnected(std::chrono::steady_clock::time_point now);
  void server_retry(ms retry) { m_next = retry; }
  ms current() const noexcept { return m_next; }

private:
  ms jittered(ms base, double unit) const;

  Settings m_s{};
  ms m_next{1000};
  std::chrono::steady_clock::time_point m_up_since{};
};

} // namespace cam2mqtt::sources
