#include "app/message_id.h"

#include <cstdio>

namespace cam2mqtt::app {

MessageIdGenerator::MessageIdGenerator() {
  std::random_device rd;
  m_rng.seed((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
}

std::string MessageIdGenerator::next(util::SysMicros now) {
  auto ms = static_cast<std::uint64_t>(now.time_since_epoch().count() / 1000);
  // A 12-bit sequence in rand_a keeps ids unique and ordered within one millisecond.
  if (ms <= m_last_ms) {
    ms = m_last_ms;
    if (++m_seq > 0x0FFF) {
      m_seq = 0;
      ms = ++m_last_ms;
    }
  } else {
    m_seq = static_cast<std::uint16_t>(m_rng() & 0x03FF);
    m_last_ms = ms;
  }
  const std::uint64_t rand_b = m_rng() & 0x3FFFFFFFFFFFFFFFULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-7%03x-%04x-%012llx",
                static_cast<unsigned>(ms >> 16), static_cast<unsigned>(ms & 0xFFFF),
                static_cast<unsigned>(m_seq & 0x0FFF),
                static_cast<unsigned>(0x8000 | ((rand_b >> 48) & 0x3FFF)),
                static_cast<unsigned long long>(rand_b & 0xFFFFFFFFFFFFULL));
  return buf;
}

} // namespace cam2mqtt::app
