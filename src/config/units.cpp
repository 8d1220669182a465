#include "config/units.h"

#include <array>
#include <limits>
#include <optional>
#include <utility>

#include "util/strings.h"

namespace cam2mqtt::config {
namespace {

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

constexpr std::array<Unit, 5> k_duration_units{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 60 * 60 * 1000},
    {"d", 24 * 60 * 60 * 1000},
}};

constexpr std::uint64_t k_kib = 1024;
constexpr std::array<Unit, 10> k_size_units{{
    {"b", 1},
    {"kib", k_kib},
    {"mib", k_kib * k_kib},
    {"gib", k_kib * k_kib * k_kib},
    {"tib", k_kib * k_kib * k_kib * k_kib},
    {"kb", 1000},
    {"mb", 1000 * 1000},
    {"gb", 1000 * 1000 * 1000},
    {"tb", 1000ULL * 1000 * 1000 * 1000},
    {"", 1},
}};

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// Splits "  30 s " into ("30", "s"); nullopt when it does not start with a digit.
std::optional<std::pair<std::uint64_t, std::string_view>> split_number(std::string_view text) {
  text = util::trim(text);
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0) {
    return std::nullopt;
  }
  // Saturate on overflow so the caller reports "too long/large" rather than a bad shape.
  const auto number = util::parse_u64(text.substr(0, digits)).value_or(std::numeric_limits<std::uint64_t>::max());
  return std::make_pair(number, util::trim(text.substr(digits)));
}

bool multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
  if (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b) {
    return false;
  }
  out = a * b;
  return true;
}

} // namespace

util::Expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text) {
  const std::string bad = "expected a duration like 30s, 5m, 1h or 500ms, got " + quoted(text);
  const auto parts = split_number(text);
  if (!parts) {
    return util::unexpected(bad);
  }
  std::uint64_t factor = 0;
  if (parts->second.empty()) {
    factor = 1000; // a plain number means seconds
  }
  for (const Unit& unit : k_duration_units) {
    if (parts->second == unit.name) {
      factor = unit.factor;
    }
  }
  if (factor == 0) {
    return util::unexpected(bad);
  }
  std::uint64_t ms = 0;
  const auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1000);
  if (!multiply(parts->first, factor, ms) || ms > limit) {
    return util::unexpected(quoted(text) + " is too long");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

util::Expected<std::chrono::seconds, std::string> parse_duration_seconds(std::string_view text) {
  auto ms = parse_duration(text);
  if (!ms) {
    return util::unexpected(std::move(ms.error()));
  }
  if (ms->count() % 1000 != 0) {
    return util::unexpected(quoted(util::trim(text)) + " is not a whole number of seconds");
  }
  return std::chrono::duration_cast<std::chrono::seconds>(*ms);
}

util::Expected<std::uint64_t, std::string> parse_size(std::string_view text) {
  const std::string bad = "expected a size like 5MiB, got " + quoted(text);
  const auto parts = split_number(text);
  if (!parts) {
    return util::unexpected(bad);
  }
  const std::string unit_name = util::to_lower(parts->second);
  for (const Unit& unit : k_size_units) {
    if (unit_name == unit.name) {
      std::uint64_t bytes = 0;
      if (!multiply(parts->first, unit.factor, bytes) || bytes == std::numeric_limits<std::uint64_t>::max()) {
        return util::unexpected(quoted(text) + " is too large");
      }
      return bytes;
    }
  }
  return util::unexpected(bad);
}

std::string format_size(std::uint64_t bytes) {
  static constexpr std::array<std::string_view, 4> k_names{"TiB", "GiB", "MiB", "KiB"};
  std::uint64_t factor = k_kib * k_kib * k_kib * k_kib;
  for (std::string_view name : k_names) {
    if (bytes != 0 && bytes % factor == 0) {
      return std::to_string(bytes / factor) + std::string(name);
    }
    factor /= k_kib;
  }
  return std::to_string(bytes) + "B";
}

} // namespace cam2mqtt::config
