#include "util/rate_limiter.h"

namespace cam2mqtt::util {

bool RateLimiter::allow(const std::string& key, std::uint64_t& suppressed, Clock::time_point now) {
  auto& slot = m_slots[key];
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
