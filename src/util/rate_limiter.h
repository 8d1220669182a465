#pragma once
// Damps repeated log lines: allow() is true at most once per interval per key, and reports how
// many calls were suppressed since the last allowed one. Single-threaded use (the loop thread);
// mqtt::LogThrottle is the lock-free single-key variant for Paho threads.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace cam2mqtt::util {

class RateLimiter {
public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(Clock::duration interval = std::chrono::seconds(10)) : m_interval(interval) {}

  // True when a line for `key` may be written now; `suppressed` gets the number of calls
  // swallowed since the previous allowed one.
  bool allow(std::string_view key, std::uint64_t& suppressed, Clock::time_point now = Clock::now());

private:
  struct Slot {
    Clock::time_point last{};
    std::uint64_t suppressed = 0;
    bool used = false;
  };
  Clock::duration m_interval;
  std::map<std::string, Slot, std::less<>> m_slots;
};

} // namespace cam2mqtt::util
