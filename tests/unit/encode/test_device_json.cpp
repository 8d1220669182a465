#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "encode/device_json.h"

using namespace cam2mqtt;
using nlohmann::json;

TEST_CASE("device info JSON") {
  model::DeviceRecord rec;
  rec.cameraKey = "192.168.1.50-ch2";
  rec.name = "Office";
  rec.peerIp = "192.168.1.50";
  rec.identity.mac = "58:5b:69:5a:84:bb";
  rec.identity.channelId = "2";
  rec.firstSeen = util::SysMicros(std::chrono::microseconds(1000000));
  rec.lastSeen = util::SysMicros(std::chrono::microseconds(2000000));
  const auto j = json::parse(encode::encode_device(rec));
  CHECK(j["name"] == "Office");
  CHECK(j["mac"] == "58:5b:69:5a:84:bb");
  CHECK(j["channel"] == "2");
  CHECK(j["firstSeen"] == "1970-01-01T00:00:01.000000Z");
  CHECK(j["lastSeen"] == "1970-01-01T00:00:02.000000Z");
  CHECK(!j.contains("manufacturer")); // Viewtron posts do not name one
  rec.identity.manufacturer = "Hikvision";
  rec.identity.model = "DS-2CD2185FWD-I";
  const auto h = json::parse(encode::encode_device(rec));
  CHECK(h["manufacturer"] == "Hikvision");
  CHECK(h["model"] == "DS-2CD2185FWD-I");
}

TEST_CASE("parse CLI objects") {
  model::DeviceIdentity id;
  id.name = "Device Name";
  CHECK(json::parse(encode::encode_heartbeat(id))["heartbeat"]["name"] == "Device Name");
  const auto e = json::parse(encode::encode_parse_error({"not_xml", "bad"}, "x.xml"));
  CHECK(e["error"]["kind"] == "not_xml");
  CHECK(e["file"] == "x.xml");
}
