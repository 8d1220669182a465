#pragma once
// Durations ("30s", "5m", "1h", "500ms", "2d", or a plain integer meaning seconds) and sizes
// ("5MiB", "512KiB", "1GiB", "1MB", or a plain integer meaning bytes). The parsers return the
// value or a message for the diagnostic (without file or key, which the caller adds).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace cam2mqtt::config {

// Grammar: digits, optional spaces, optional unit: ms | s | m | h | d (lower case).
util::Expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text);

// As parse_duration, but the result must be a whole number of seconds ("1500ms" is refused).
util::Expected<std::chrono::seconds, std::string> parse_duration_seconds(std::string_view text);

// Grammar: digits, optional spaces, optional unit (case-insensitive): B | KiB | MiB | GiB | TiB
// (powers of 1024) | kB | KB | MB | GB | TB (powers of 1000).
util::Expected<std::uint64_t, std::string> parse_size(std::string_view text);

// "5MiB", "512KiB", "1500B": the shortest exact binary form, for messages and docs.
std::string format_size(std::uint64_t bytes);

} // namespace cam2mqtt::config
