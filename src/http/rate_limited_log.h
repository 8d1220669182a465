#pragma once
// A tiny per-reason rate limiter for warnings: at most one line per reason per interval, and
// the number of lines swallowed since the last one that was let through.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cam2mqtt::http {

class RateLimitedLog {
public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimitedLog(Clock::duration interval = std::chrono::seconds(10)) noexcept
      : m_interval(interval) {}

  // True when a line for `reason` may be written now; `suppressed` is then set to the number
  // of calls refused for that reason since the previous line. Not thread-safe (loop thread).
  bool allow(std::string_view reason, std::uint64_t& suppressed, Clock::time_point now = Clock::now());

private:
  struct Slot {
    Clock::time_point last{};
    std::uint64_t suppressed = 0;
    bool used = false;
  };
  Clock::duration m_interval;
  std::unordered_map<std::string, Slot> m_slots;
};

} // namespace cam2mqtt::http
