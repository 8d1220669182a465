// Traject posts (reference §3.4).
#include <catch2/catch.hpp>

#include "parse_test_support.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse::test;

TEST_CASE("traject with two targets keeps every target, velocity and direction") {
  const auto ev = parse_event("traject/two_targets.xml");
  CHECK(ev.category == model::Category::traject);
  CHECK(ev.eventType == "traject");
  CHECK(ev.eventDescription == "Smart Tracking");
  CHECK(ev.format == "v1");
  CHECK(ev.device.name == "Driveway");
  CHECK(ev.device.mac == "58:5b:69:5a:84:bb");
  CHECK(ev.device.serial == "NF40D099BCM0");
  CHECK(ev.deviceTime == k_fixture_time);
  REQUIRE(ev.targets.size() == 2);
  CHECK(ev.targets[0].id == "2157");
  CHECK(ev.targets[0].type == "person");
  CHECK(ev.targets[0].velocity == "0");
  CHECK(ev.targets[0].direction == "0");
  REQUIRE(ev.targets[0].box);
  CHECK(ev.targets[0].box->x1 == 2000);
  CHECK(ev.targets[0].box->scale == model::Scale::normalized10000);
  CHECK(ev.targets[1].id == "2158");
  CHECK(ev.targets[1].type == "motorcycle");
  CHECK(ev.targets[1].typeRaw == "motor");
  CHECK(ev.targets[1].velocity == "12");
  CHECK(ev.targets[1].direction == "90");
  CHECK_FALSE(ev.sourceImage.has_value());
}

TEST_CASE("empty traject list is still a traject event") {
  const auto r = parse_text("<config><traject type=\"list\" count=\"3\"/></config>");
  REQUIRE(r.has_value());
  CHECK(r->events.at(0).category == model::Category::traject);
  CHECK(r->events.at(0).targets.empty());
}
