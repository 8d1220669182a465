#include <catch2/catch.hpp>

#include <set>

#include "app/message_id.h"

using namespace cam2mqtt;

TEST_CASE("message ids are unique, UUIDv7-shaped and ordered within one millisecond") {
  app::MessageIdGenerator gen;
  const util::SysMicros t{std::chrono::microseconds(1774792701902505LL)};
  std::set<std::string> seen;
  std::string prev;
  for (int i = 0; i < 5000; ++i) {
    const auto id = gen.next(t);
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '7');
    CHECK(seen.insert(id).second);
    CHECK(id > prev);
    prev = id;
  }
}

TEST_CASE("message id fields: 48-bit milliseconds, version 7, RFC 4122 variant, lowercase hex") {
  app::MessageIdGenerator gen;
  const util::SysMicros t{std::chrono::microseconds(1774792701902505LL)};
  const auto id = gen.next(t);
  // 1774792701902 ms = 0x019d39e377ce
  CHECK(id.substr(0, 8) == "019d39e3");
  CHECK(id.substr(9, 4) == "77ce");
  CHECK(id[8] == '-');
  CHECK(id[13] == '-');
  CHECK(id[18] == '-');
  CHECK(id[23] == '-');
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i != 8 && i != 13 && i != 18 && i != 23) {
      INFO(id);
      CHECK(std::string("0123456789abcdef").find(id[i]) != std::string::npos);
    }
  }
}
