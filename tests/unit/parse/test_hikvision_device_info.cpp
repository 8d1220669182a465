// /ISAPI/System/deviceInfo -> device identity (manufacturer and model for P/C/device and HA).
#include <catch2/catch.hpp>

#include "parse/hikvision_device_info.h"

using namespace cam2mqtt;

TEST_CASE("deviceInfo: model, serial, MAC and name, manufacturer Hikvision") {
  const auto id = parse::parse_hikvision_device_info(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<DeviceInfo version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<deviceName>Gate</deviceName><deviceID>48443030-3637-3534-3837-4419b60012ab</deviceID>
<model>DS-2CD2185FWD-I</model><serialNumber>DS-2CD2185FWD-I20180101AAWR123456789</serialNumber>
<macAddress>44:19:B6:00:12:AB</macAddress><firmwareVersion>V5.5.0</firmwareVersion>
<deviceType>IPCamera</deviceType></DeviceInfo>)");
  REQUIRE(id);
  CHECK(id->manufacturer == "Hikvision");
  CHECK(id->model == "DS-2CD2185FWD-I");
  CHECK(id->serial == "DS-2CD2185FWD-I20180101AAWR123456789");
  CHECK(id->mac == "44:19:b6:00:12:ab");
  CHECK(id->name == "Gate");
}

TEST_CASE("deviceInfo: a ResponseStatus or garbage is an error, not an identity") {
  const auto status = parse::parse_hikvision_device_info(
      "<ResponseStatus><statusCode>4</statusCode><statusString>Invalid Operation</statusString></ResponseStatus>");
  REQUIRE(!status);
  CHECK(status.error().kind == "unknown_root");
  CHECK(!parse::parse_hikvision_device_info("not xml at all"));
}
