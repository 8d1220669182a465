#include <catch2/catch.hpp>

#include "util/strings.h"

using namespace cam2mqtt::util;

TEST_CASE("iequals and trim") {
  CHECK(iequals("DeviceInfo", "deviceinfo"));
  CHECK_FALSE(iequals("VEHICE", "VEHICLE"));
  CHECK(trim("  \n\tx y \r\n") == "x y");
  CHECK(trim("   ").empty());
}

TEST_CASE("parse_u64 takes digits only and refuses overflow") {
  CHECK(parse_u64(" 1774792701902505 ") == 1774792701902505ULL);
  CHECK(parse_u64("18445822972087551616") == 18445822972087551616ULL);
  CHECK_FALSE(parse_u64("99999999999999999999").has_value()); // > 2^64
  CHECK_FALSE(parse_u64("-1").has_value());
  CHECK_FALSE(parse_u64("...").has_value());
  CHECK_FALSE(parse_u64("").has_value());
  CHECK_FALSE(parse_u64("12a").has_value());
}

TEST_CASE("parse_number") {
  CHECK(parse_number("1104") == 1104.0);
  CHECK(parse_number("0.25") == 0.25);
  CHECK(parse_number("-3") == -3.0);
  CHECK_FALSE(parse_number("...").has_value());
  CHECK_FALSE(parse_number("1e5x").has_value());
  CHECK_FALSE(parse_number("nan").has_value());
  CHECK_FALSE(parse_number("inf").has_value());
}

TEST_CASE("sanitize_utf8 keeps valid text and replaces broken sequences") {
  CHECK(sanitize_utf8("Front Door \xE2\x80\x94 Ж") == "Front Door \xE2\x80\x94 Ж");
  CHECK(sanitize_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(sanitize_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");       // overlong
  CHECK(sanitize_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
  CHECK(sanitize_utf8("\xE2\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD");      // truncated
}

TEST_CASE("normalize_mac accepts colon, dash and bare forms") {
  CHECK(normalize_mac("58:5B:69:5A:84:BB") == "58:5b:69:5a:84:bb");
  CHECK(normalize_mac("78-24-AF-44-89-01") == "78:24:af:44:89:01");
  CHECK(normalize_mac("585b695a84bb") == "58:5b:69:5a:84:bb");
  CHECK_FALSE(normalize_mac("58:5B:69:5A:84").has_value());
  CHECK_FALSE(normalize_mac("zz:5B:69:5A:84:BB").has_value());
}

TEST_CASE("strip_v4_mapped") {
  CHECK(strip_v4_mapped("::ffff:192.168.1.5") == "192.168.1.5");
  CHECK(strip_v4_mapped("::1") == "::1");
  CHECK(strip_v4_mapped("10.0.0.1") == "10.0.0.1");
}

#include "util/rate_limiter.h"

TEST_CASE("rate limiter lets one line per interval through and counts the rest") {
  RateLimiter rl(std::chrono::seconds(10));
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  std::uint64_t suppressed = 99;
  CHECK(rl.allow("parse", suppressed, t0));
  CHECK(suppressed == 0);
  CHECK_FALSE(rl.allow("parse", suppressed, t0 + std::chrono::seconds(1)));
  CHECK_FALSE(rl.allow("parse", suppressed, t0 + std::chrono::seconds(2)));
  CHECK(rl.allow("other", suppressed, t0 + std::chrono::seconds(2)));
  CHECK(rl.allow("parse", suppressed, t0 + std::chrono::seconds(11)));
  CHECK(suppressed == 2);
}
