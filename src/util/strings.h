#pragma once
// String helpers shared by every module. No project dependencies.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cam2mqtt::util {

bool iequals(std::string_view a, std::string_view b) noexcept;
std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s) noexcept;
bool starts_with_icase(std::string_view s, std::string_view prefix) noexcept;

// Parses an unsigned decimal integer (surrounding whitespace allowed); nullopt on anything else,
// including overflow of uint64.
std::optional<std::uint64_t> parse_u64(std::string_view s) noexcept;
// Parses a signed decimal number that may carry a fraction ("12", "-3", "0.25").
std::optional<double> parse_number(std::string_view s) noexcept;

// Replaces invalid UTF-8 sequences by U+FFFD so the result is always valid UTF-8.
std::string sanitize_utf8(std::string_view s);

// "58-5B-69-5A-84-BB" / "585b695a84bb" / "58:5B:..." -> "58:5b:69:5a:84:bb"; nullopt when the
// text is not 12 hex digits with optional ':' or '-' separators.
std::optional<std::string> normalize_mac(std::string_view raw);

// Strips the "::ffff:" prefix of an IPv4-mapped IPv6 address.
std::string strip_v4_mapped(std::string_view ip);

} // namespace cam2mqtt::util
