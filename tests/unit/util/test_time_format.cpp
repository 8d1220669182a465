#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>

#include "util/time_format.h"

using namespace cam2mqtt::util;
using std::chrono::microseconds;

TEST_CASE("epoch units are decided by magnitude") {
  const auto expect = "2026-03-29T13:58:21.000000Z";
  CHECK(format_iso8601_utc(*epoch_by_magnitude(1774792701ULL)) == expect);
  CHECK(format_iso8601_utc(*epoch_by_magnitude(1774792701000ULL)) == expect);
  CHECK(format_iso8601_utc(*epoch_by_magnitude(1774792701902505ULL)) == "2026-03-29T13:58:21.902505Z");
  CHECK_FALSE(epoch_by_magnitude(18445822972087551616ULL).has_value());
}

TEST_CASE("plausibility window") {
  const SysMicros ref(microseconds(1774792701902505LL));
  CHECK(plausible_device_time(ref, ref));
  CHECK_FALSE(plausible_device_time(SysMicros(microseconds(0)), ref));
  CHECK_FALSE(plausible_device_time(ref + std::chrono::hours(25), ref));
}

TEST_CASE("device-local date times in both formats") {
  setenv("TZ", "UTC", 1);
  tzset();
  CHECK(format_iso8601_utc(*parse_local_datetime("2026-03-29 09:58:21")) == "2026-03-29T09:58:21.000000Z");
  CHECK(format_iso8601_utc(*parse_local_datetime("11-19-2025 12:15:11 PM")) == "2025-11-19T12:15:11.000000Z");
  CHECK(format_iso8601_utc(*parse_local_datetime("11-19-2025 12:15:11 AM")) == "2025-11-19T00:15:11.000000Z");
  CHECK_FALSE(parse_local_datetime("yesterday").has_value());
  CHECK_FALSE(parse_local_datetime("2026-13-29 09:58:21").has_value());
}

TEST_CASE("format_iso8601_utc pads every field and handles the epoch and times before it") {
  CHECK(format_iso8601_utc(SysMicros(microseconds(0))) == "1970-01-01T00:00:00.000000Z");
  CHECK(format_iso8601_utc(SysMicros(microseconds(1))) == "1970-01-01T00:00:00.000001Z");
  CHECK(format_iso8601_utc(SysMicros(microseconds(-1))) == "1969-12-31T23:59:59.999999Z");
  // 2001-02-03T04:05:06.070809Z: every field below 10
  CHECK(format_iso8601_utc(SysMicros(microseconds(981173106070809LL))) == "2001-02-03T04:05:06.070809Z");
  CHECK(format_iso8601_utc(SysMicros(microseconds(253402300799999999LL))) == "9999-12-31T23:59:59.999999Z");
}
