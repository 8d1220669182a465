// Alarm status posts: v1, v2 and legacy SendAlarmStatus (reference §3.2, §3.5).
#include <catch2/catch.hpp>

#include "parse_test_support.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse::test;
using model::Category;

TEST_CASE("IPC v1 alarm status: one event per alarm element") {
  const auto msg = parse_ok("alarm_status/ipc_v1_two_alarms.xml");
  REQUIRE(msg.events.size() == 2);
  const auto& a = msg.events[0];
  CHECK(a.category == Category::alarm);
  CHECK(a.alarmName == "perimeterAlarm");
  CHECK(a.eventType == "perimeterAlarm");
  CHECK(a.alarmId == "1");
  CHECK(a.active == true);
  CHECK(a.relatedCategory == "intrusion");
  CHECK(a.timestamp == "2026-03-29 09:58:21");
  CHECK(a.deviceTime.has_value()); // local wall time, within a day of the receive time
  CHECK(a.format == "v1");
  CHECK(a.configVersion == "1.7");
  CHECK(a.device.name == "Front Door");
  CHECK(a.device.deviceNo == "1");
  CHECK(a.device.serial == "NF40D099BCM0");
  CHECK(a.device.ip == "192.168.1.192");
  CHECK(a.device.mac == "58:5b:69:5a:84:bb");
  CHECK(a.device.deviceType == "IPC");
  const auto& b = msg.events[1];
  CHECK(b.alarmName == "tripwireAlarm");
  CHECK(b.alarmId == "2");
  CHECK(b.active == false);
  CHECK(b.relatedCategory == "intrusion");
  CHECK(msg.device.name == "Front Door");
}

TEST_CASE("NVR v2 alarm status: one event per item, commented messages ignored") {
  const auto msg = parse_ok("alarm_status/nvr_v2_items_commented_messages.xml");
  REQUIRE(msg.events.size() == 2);
  for (const auto& ev : msg.events) {
    CHECK(ev.category == Category::alarm);
    CHECK(ev.alarmName == "perimeterAlarm");
    CHECK(ev.relatedCategory == "intrusion");
    CHECK(ev.format == "v2");
    CHECK(ev.device.deviceType == "NVR");
    CHECK(ev.device.channelId == "4");
    CHECK(ev.device.name == "Office");
    CHECK(ev.timestamp == "1774792701902505");
    CHECK(ev.deviceTime == k_fixture_time);
  }
  CHECK(msg.events[0].alarmId == "1");
  CHECK(msg.events[0].active == true);
  CHECK(msg.events[1].alarmId == "2");
  CHECK(msg.events[1].active == false);
}

TEST_CASE("legacy SendAlarmStatus without declaration, dash MAC, AM/PM time") {
  const auto msg = parse_ok("alarm_status/legacy_send_alarm_status.xml");
  REQUIRE(msg.events.size() == 1);
  const auto& ev = msg.events[0];
  CHECK(ev.alarmName == "vehiceAlarm");
  CHECK(ev.relatedCategory == "lpr");
  CHECK(ev.active == true);
  CHECK(ev.timestamp == "11-19-2025 12:15:11 PM");
  CHECK(ev.deviceTime.has_value());
  CHECK(ev.device.macRaw == "78-24-AF-44-89-01");
  CHECK(ev.device.mac == "78:24:af:44:89:01");
  CHECK(ev.device.ip == "192.168.1.50");
  CHECK(ev.configVersion == "1.0");
}

TEST_CASE("alarm states and related categories from inline posts") {
  const auto r = parse_text("<config><alarmStatusInfo>"
                            "<VFDAlarm id=\"1\">TRUE</VFDAlarm><motionAlarm id=\"2\">false</motionAlarm>"
                            "<sensorAlarmIn><item id=\"3\">true</item></sensorAlarmIn>"
                            "<sceneChange id=\"4\">maybe</sceneChange><passlineAlarm id=\"5\">true</passlineAlarm>"
                            "<CPCAlarm id=\"6\">true</CPCAlarm></alarmStatusInfo></config>");
  REQUIRE(r.has_value());
  // sceneChange "maybe" has no on/off state and is skipped; the others are kept in order.
  REQUIRE(r->events.size() == 5);
  CHECK(r->events[0].relatedCategory == "face");
  CHECK(r->events[0].active == true);
  CHECK(r->events[1].relatedCategory == "motion");
  CHECK(r->events[2].relatedCategory == "io");
  CHECK(r->events[2].alarmId == "3");
  CHECK(r->events[3].relatedCategory == "counting");
  CHECK(r->events[4].relatedCategory == "other");
  CHECK_FALSE(r->events[0].deviceTime.has_value()); // no time in the post
}
