// The three heartbeat forms (reference §3.1).
#include <catch2/catch.hpp>

#include "parse_test_support.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse::test;
using Kind = model::Message::Kind;

TEST_CASE("empty and whitespace bodies are heartbeats") {
  for (std::string_view body : {std::string_view(""), std::string_view(" \r\n\t ")}) {
    const auto r = parse_text(body);
    REQUIRE(r.has_value());
    CHECK(r->kind == Kind::heartbeat);
    CHECK(r->events.empty());
    CHECK(r->device.deviceType == "IPC");
  }
  CHECK(parse_ok("heartbeat/empty_body.xml").kind == Kind::heartbeat);
}

TEST_CASE("IPC DeviceInfo heartbeat carries the full identity") {
  const auto msg = parse_ok("heartbeat/ipc_deviceinfo.xml");
  CHECK(msg.kind == Kind::heartbeat);
  CHECK(msg.events.empty());
  CHECK(msg.device.name == "Device Name");
  CHECK(msg.device.deviceNo == "1");
  CHECK(msg.device.serial == "NF40D099BCM0");
  CHECK(msg.device.ip == "192.168.1.192");
  CHECK(msg.device.macRaw == "58:5B:69:5A:84:BB");
  CHECK(msg.device.mac == "58:5b:69:5a:84:bb");
  CHECK(msg.device.deviceType == "IPC");
  CHECK(msg.device.channelId.empty());
}

TEST_CASE("NVR keepalive heartbeat") {
  const auto msg = parse_ok("heartbeat/nvr_keepalive.xml");
  CHECK(msg.kind == Kind::heartbeat);
  CHECK(msg.device.name == "NVR Office");
  CHECK(msg.device.ip == "192.168.0.60");
  CHECK(msg.device.mac == "00:18:ae:12:34:56");
  CHECK(msg.device.deviceType == "NVR");
  CHECK(msg.device.channelId.empty());
  CHECK(msg.device.serial.empty());
}

TEST_CASE("config with only deviceInfo is a heartbeat") {
  const auto msg = parse_ok("heartbeat/config_deviceinfo_only.xml");
  CHECK(msg.kind == Kind::heartbeat);
  CHECK(msg.device.name == "Garage");
  CHECK(msg.device.deviceNo == "3");
  CHECK(msg.device.serial == "NF40D0AAAAA1");
  CHECK(msg.device.mac == "58:5b:69:5a:84:bc");
  CHECK(msg.device.deviceType == "IPC");
}

TEST_CASE("keepalive matching is case-insensitive on names and value") {
  const auto r = parse_text("<CONFIG><MessageType>KeepAlive</MessageType></CONFIG>");
  REQUIRE(r.has_value());
  CHECK(r->kind == Kind::heartbeat);
  CHECK(r->device.deviceType == "NVR");
}
