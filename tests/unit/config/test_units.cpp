#include <catch2/catch.hpp>

#include "config/units.h"

using namespace cam2mqtt::config;
using namespace std::chrono_literals;

TEST_CASE("durations take a unit or mean seconds") {
  CHECK(*parse_duration("30s") == 30s);
  CHECK(*parse_duration("5m") == 5min);
  CHECK(*parse_duration("1h") == 1h);
  CHECK(*parse_duration("2d") == 48h);
  CHECK(*parse_duration("500ms") == 500ms);
  CHECK(*parse_duration("90") == 90s);
  CHECK(*parse_duration(" 30 s ") == 30s);
  CHECK(*parse_duration_seconds("2000ms") == 2s);
}

TEST_CASE("bad durations say what was expected") {
  CHECK(parse_duration("soon").error() == "expected a duration like 30s, 5m, 1h or 500ms, got \"soon\"");
  CHECK_FALSE(parse_duration("-5s").has_value());
  CHECK_FALSE(parse_duration("5S").has_value());
  CHECK_FALSE(parse_duration("1.5s").has_value());
  CHECK_FALSE(parse_duration("1h30m").has_value());
  CHECK_FALSE(parse_duration("").has_value());
  CHECK(parse_duration_seconds("1500ms").error() == "\"1500ms\" is not a whole number of seconds");
  CHECK(parse_duration("99999999999999999999d").error() == "\"99999999999999999999d\" is too long");
  CHECK(parse_duration("9999999999999999d").error() == "\"9999999999999999d\" is too long");
}

TEST_CASE("sizes take binary and decimal units or mean bytes") {
  CHECK(*parse_size("5MiB") == 5u * 1024 * 1024);
  CHECK(*parse_size("512KiB") == 512u * 1024);
  CHECK(*parse_size("1GiB") == 1024u * 1024 * 1024);
  CHECK(*parse_size("1MB") == 1000000u);
  CHECK(*parse_size("2kB") == 2000u);
  CHECK(*parse_size("5 mib") == 5u * 1024 * 1024);
  CHECK(*parse_size("4096") == 4096u);
  CHECK(*parse_size("10B") == 10u);
  CHECK(parse_size("huge").error() == "expected a size like 5MiB, got \"huge\"");
  CHECK_FALSE(parse_size("5M").has_value());
  CHECK_FALSE(parse_size("-1").has_value());
  CHECK_FALSE(parse_size("1.5MiB").has_value());
  CHECK(parse_size("99999999999TiB").error() == "\"99999999999TiB\" is too large");
}

TEST_CASE("format_size prints the exact binary unit") {
  CHECK(format_size(5 * 1024 * 1024) == "5MiB");
  CHECK(format_size(1024ULL * 1024 * 1024) == "1GiB");
  CHECK(format_size(1) == "1B");
  CHECK(format_size(1000) == "1000B");
  CHECK(format_size(0) == "0B");
}
