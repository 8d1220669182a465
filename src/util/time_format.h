#pragma once
// Time helpers: ISO-8601 UTC formatting and the device-time rules of the Viewtron reference §5.3.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cam2mqtt::util {

using SysMicros = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

// "2026-03-29T13:58:21.902505Z" (microseconds always printed).
std::string format_iso8601_utc(SysMicros t);
SysMicros now_micros();

// Epoch integer whose unit is decided by magnitude: < 1e11 seconds, < 1e14 milliseconds,
// < 1e17 microseconds, else nullopt (the 20-digit garbage value).
std::optional<SysMicros> epoch_by_magnitude(std::uint64_t value);

// True when t is after 2000-01-01 and at most one day ahead of reference.
bool plausible_device_time(SysMicros t, SysMicros reference);

// Device-local wall time "YYYY-MM-DD HH:MM:SS" or "MM-DD-YYYY hh:mm:ss AM|PM", interpreted in
// the daemon's local time zone (TZ), since the device sends no zone.
std::optional<SysMicros> parse_local_datetime(std::string_view text);

} // namespace cam2mqtt::util
