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
