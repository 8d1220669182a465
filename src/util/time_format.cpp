#include "util/time_format.h"

#include <cstdio>
#include <ctime>

#include "util/strings.h"

namespace cam2mqtt::util {

std::string format_iso8601_utc(SysMicros t) {
  const auto us = t.time_since_epoch().count();
  std::int64_t secs = us / 1000000;
  std::int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  // Written by hand: snprintf's format parsing was visible in the per-event profile, and this
  // runs for every event.
  std::string out = "0000-00-00T00:00:00.000000Z";
  const auto put = [&out](std::size_t at, std::size_t width, long long v) {
    for (std::size_t i = 0; i < width; ++i) {
      out[at + width - 1 - i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  const int year = tm.tm_year + 1900;
  if (year < 0 || year > 9999) { // not a device time (those are plausibility-checked): the slow way
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", year, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(frac));
    return buf;
  }
  put(0, 4, year);
  put(5, 2, tm.tm_mon + 1);
  put(8, 2, tm.tm_mday);
  put(11, 2, tm.tm_hour);
  put(14, 2, tm.tm_min);
  put(17, 2, tm.tm_sec);
  put(20, 6, static_cast<long long>(frac));
  return out;
}

SysMicros now_micros() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::optional<SysMicros> epoch_by_magnitude(std::uint64_t value) {
  using std::chrono::microseconds;
  if (value < 100000000000ULL) {
    return SysMicros(microseconds(static_cast<std::int64_t>(value) * 1000000));
  }
  if (value < 100000000000000ULL) {
    return SysMicros(microseconds(static_cast<std::int64_t>(value) * 1000));
  }
  if (value < 100000000000000000ULL) {
    return SysMicros(microseconds(static_cast<std::int64_t>(value)));
  }
  return std::nullopt;
}

bool plausible_device_time(SysMicros t, SysMicros reference) {
  const SysMicros y2000(std::chrono::microseconds(946684800LL * 1000000));
  return t >= y2000 && t <= reference + std::chrono::hours(24);
}

std::optional<SysMicros> parse_local_datetime(std::string_view text) {
  const std::string s(trim(text));
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  char ampm[3] = {0, 0, 0};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &consumed) == 6 &&
      static_cast<std::size_t>(consumed) == s.size()) {
    // ISO-like form
  } else if (std::sscanf(s.c_str(), "%2d-%2d-%4d %2d:%2d:%2d %2[APMapm]%n", &mo, &d, &y, &h, &mi, &se,
                         ampm, &consumed) == 7 &&
             static_cast<std::size_t>(consumed) == s.size()) {
    if (h < 1 || h > 12) {
      return std::nullopt;
    }
    const bool pm = ampm[0] == 'P' || ampm[0] == 'p';
    h = h % 12 + (pm ? 12 : 0);
  } else {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || y < 1970) {
    return std::nullopt;
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  tm.tm_isdst = -1;
  const std::time_t tt = std::mktime(&tm);
  if (tt == static_cast<std::time_t>(-1)) {
    return std::nullopt;
  }
  return SysMicros(std::chrono::microseconds(static_cast<std::int64_t>(tt) * 1000000));
}

} // namespace cam2mqtt::util
