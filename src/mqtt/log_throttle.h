#pragma once
// Damps a repeated warning: at most one line per interval; the lines swallowed in between are
// counted and reported with the next one. Thread-safe and lock-free (a lost race only costs
// one extra or one fewer line).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace cam2mqtt::mqtt {

class LogThrottle {
public:
  explicit LogThrottle(std::chrono::milliseconds interval) : m_interval(interval.count()) {}

  // Returns the number of suppressed lines since the last allowed one when the caller may log
  // now, nullopt when it must stay quiet.
  std::optional<std::uint64_t> allow() noexcept {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    auto last = m_last.load(std::memory_order_relaxed);
    if (last != 0 && now - last < m_interval) {
      m_suppressed.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
    if (!m_last.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
      m_suppressed.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
    return m_suppressed.exchange(0, std::memory_order_relaxed);
  }

private:
  std::int64_t m_interval;
  std::atomic<std::int64_t> m_last{0};
  std::atomic<std::uint64_t> m_suppressed{0};
};

} // namespace cam2mqtt::mqtt
