#include "util/rate_limiter.h"

namespace cam2mqtt::util {

bool RateLimiter::allow(std::string_view key, std::uint64_t& suppressed, Clock::time_point now) {
  auto it = m_slots.find(key);
  if (it == m_slots.end()) {
    it = m_slots.emplace(std::string(key), Slot{}).first;
  }
  auto& slot = it->second;
  if (slot.used && now - slot.last < m_interval) {
    ++slot.suppressed;
    return false;
  }
  suppressed = slot.suppressed;
  slot.suppressed = 0;
  slot.last = now;
  slot.used = true;
  return true;
}

} // namespace cam2mqtt::util
