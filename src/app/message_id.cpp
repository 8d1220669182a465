#include "app/message_id.h"


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
  // xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx, written by hand (snprintf showed in the per-event
  // profile): 48-bit ms, version 7, 12-bit sequence, variant 10, 62 random bits.
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out(36, '-');
  const auto put = [&out](std::size_t at, std::size_t digits, std::uint64_t v) {
    for (std::size_t i = 0; i < digits; ++i) {
      out[at + digits - 1 - i] = k_hex[v & 0xF];
      v >>= 4;
    }
  };
  put(0, 8, ms >> 16);
  put(9, 4, ms & 0xFFFF);
  put(14, 4, 0x7000 | (m_seq & 0x0FFF));
  put(19, 4, 0x8000 | ((rand_b >> 48) & 0x3FFF));
  put(24, 12, rand_b & 0xFFFFFFFFFFFFULL);
  return out;
}

} // namespace cam2mqtt::app
