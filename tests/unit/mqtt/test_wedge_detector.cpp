// WedgeDetector: the policy that tells a wedged session (the broker closes the connection soon
// after every CONNECT, nothing gets acknowledged) from an ordinary outage. The test is the clock.
#include <chrono>

#include <catch2/catch.hpp>

#include "mqtt/wedge_detector.h"

using namespace std::chrono_literals;
using cam2mqtt::mqtt::WedgeDetector;
using Clock = WedgeDetector::Clock;

namespace {

const Clock::time_point t0 = Clock::now();

WedgeDetector make(std::size_t max_short = 3, Clock::duration short_connection = 5s) {
  WedgeDetector::Policy p;
  p.max_short_connections = max_short;
  p.short_connection = short_connection;
  return WedgeDetector(p);
}

// One connection from `at`, lost `lasted` later with `in_flight` unacknowledged.
bool cycle(WedgeDetector& d, Clock::time_point at, Clock::duration lasted, std::size_t in_flight,
           bool acked = false) {
  d.connected(at);
  if (acked) {
    d.acknowledged();
  }
  return d.connection_lost(at + lasted, in_flight);
}

} // namespace

TEST_CASE("three short connections in a row with messages in flight and no acknowledgement: reset") {
  auto d = make();
  CHECK_FALSE(cycle(d, t0, 100ms, 10));
  CHECK(d.streak() == 1);
  CHECK_FALSE(cycle(d, t0 + 2s, 200ms, 10));
  CHECK(d.streak() == 2);
  CHECK(cycle(d, t0 + 5s, 4900ms, 10));
  CHECK(d.streak() == 0); // counting starts again after a reset
  CHECK_FALSE(cycle(d, t0 + 10s, 100ms, 10));
  CHECK(d.streak() == 1);
}

TEST_CASE("a connection that lasted the short limit or longer breaks the streak") {
  auto d = make();
  CHECK_FALSE(cycle(d, t0, 100ms, 10));
  CHECK_FALSE(cycle(d, t0 + 1s, 100ms, 10));
  CHECK_FALSE(cycle(d, t0 + 2s, 5s, 10)); // exactly the limit: not short
  CHECK(d.streak() == 0);
  CHECK_FALSE(cycle(d, t0 + 8s, 100ms, 10));
  CHECK_FALSE(cycle(d, t0 + 9s, 100ms, 10));
  CHECK(cycle(d, t0 + 10s, 100ms, 10));
}

TEST_CASE("an acknowledgement on a short connection is progress: no reset") {
  auto d = make();
  CHECK_FALSE(cycle(d, t0, 100ms, 10));
  CHECK_FALSE(cycle(d, t0 + 1s, 100ms, 10));
  CHECK_FALSE(cycle(d, t0 + 2s, 100ms, 10, true));
  CHECK(d.streak() == 0);
  // The next connection starts without the acknowledgement of the last one.
  CHECK_FALSE(cycle(d, t0 + 3s, 100ms, 10));
  CHECK(d.streak() == 1);
}

TEST_CASE("nothing in flight: a flapping broker is not a wedged session") {
  auto d = make();
  for (int i = 0; i < 10; ++i) {
    CHECK_FALSE(cycle(d, t0 + i * 1s, 100ms, 0));
  }
  CHECK(d.streak() == 0);
}

TEST_CASE("failed connects between the short connections do not count, a second loss report is ignored") {
  auto d = make();
  CHECK_FALSE(cycle(d, t0, 100ms, 5));
  CHECK_FALSE(d.connection_lost(t0 + 1s, 5)); // no connect in between: not a new connection
  CHECK(d.streak() == 1);
  CHECK_FALSE(cycle(d, t0 + 30s, 100ms, 5)); // an outage of any length between two connections
  CHECK(cycle(d, t0 + 60s, 100ms, 5));
}

TEST_CASE("the policy is configurable; 0 short connections turns detection off") {
  auto one = make(1, 1s);
  CHECK_FALSE(cycle(one, t0, 1s, 3));
  CHECK(cycle(one, t0 + 2s, 999ms, 3));
  auto off = make(0);
  for (int i = 0; i < 10; ++i) {
    CHECK_FALSE(cycle(off, t0 + i * 1s, 10ms, 3));
  }
}
