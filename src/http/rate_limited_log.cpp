#include "http/rate_limited_log.h"

namespace cam2mqtt::http {

bool RateLimitedLog::allow(std::string_view reason, std::uint64_t& suppressed,
                           Clock::time_point now) {
  auto [it, inserted] = m_slots.try_emplace(std::string(reason));
  Slot& slot = it->second;
  if (slot.used && now - slot.last < m_interval) {
    ++slot.suppressed;
    return false;
  }
  suppressed = slot.suppressed;
  slot = Slot{now, 0, true};
  return true;
}

} // namespace cam2mqtt::http
