#pragma once
// Unique ids for published messages: UUID version 7 (time-ordered, RFC 9562), so ids also sort
// by acceptance time. Loop thread only.
#include <cstdint>
#include <random>
#include <string>

#include "util/time_format.h"

namespace cam2mqtt::app {

class MessageIdGenerator {
public:
  MessageIdGenerator();
  std::string next(util::SysMicros now);

private:
  std::mt19937_64 m_rng;
  std::uint64_t m_last_ms = 0;
  std::uint16_t m_seq = 0;
};

} // namespace cam2mqtt::app
