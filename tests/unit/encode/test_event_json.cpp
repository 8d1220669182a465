#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "encode/event_json.h"
#include "util/base64.h"

using namespace cam2mqtt;
using nlohmann::json;

namespace {
encode::Envelope envelope() {
  encode::Envelope env;
  env.id = "id-1";
  env.receivedAt = util::SysMicros(std::chrono::microseconds(1774792702000000LL));
  env.topicPrefix = "cam2mqtt";
  env.cameraKey = "gate";
  env.cameraName = "Gate";
  env.cameraIp = "192.168.1.108";
  env.peerIp = "192.168.1.108";
  return env;
}

model::Event plate_event() {
  model::Event ev;
  ev.category = model::Category::lpr;
  ev.eventType = "VEHICE";
  ev.eventDescription = "License Plate Detection";
  ev.subtype = "plate";
  ev.device.deviceType = "IPC";
  ev.plateNumber = "ABC123";
  ev.deviceTime = util::SysMicros(std::chrono::microseconds(1774792701902505LL));
  model::Target t;
  t.id = "7";
  t.type = "car";
  t.typeRaw = "2";
  t.box = model::Box{1104, 546, 1232, 610, model::Scale::pixels};
  ev.targets.push_back(t);
  ev.sourceImage = model::Image{util::base64_encode(std::string("\xFF\xD8scene\xFF\xD9")), 1280, 720};
  ev.targetImage = model::Image{util::base64_encode(std::string("\xFF\xD8plate\xFF\xD9")), 128, 64};
  return ev;
}
} // namespace

TEST_CASE("split mode: metadata in JSON, decoded bytes on image topics") {
  const auto out = encode::encode_event(plate_event(), envelope(), model::ImageMode::split);
  CHECK(out.topic == "cam2mqtt/gate/lpr");
  const auto j = json::parse(out.json);
  CHECK(j["id"] == "id-1");
  CHECK(j["category"] == "lpr");
  CHECK(j["plateNumber"] == "ABC123");
  CHECK(j["vehicle"].is_null());
  CHECK(j["targetId"] == "7");
  CHECK(j["targetType"] == "car");
  CHECK(j["targets"][0]["box"] == json::parse(R"({"x1":1104,"y1":546,"x2":1232,"y2":610,"scale":"px"})"));
  CHECK(j["eventTime"] == "2026-03-29T13:58:21.902505Z");
  CHECK(j["eventTimeSource"] == "device");
  CHECK(j["hasImages"] == true);
  CHECK_FALSE(j.contains("sourceImage"));
  CHECK(j["images"]["source"]["topic"] == "cam2mqtt/gate/lpr/image/source");
  CHECK(j["images"]["source"]["bytes"] == 9);
  CHECK(j["images"]["target"]["width"] == 128);
  REQUIRE(out.images.size() == 2);
  CHECK(out.images[0].bytes == std::string("\xFF\xD8scene\xFF\xD9"));
  CHECK(out.images[1].topic == "cam2mqtt/gate/lpr/image/target");
}

TEST_CASE("base64 mode puts the strings in the payload; none drops them") {
  const auto b64 = encode::encode_event(plate_event(), envelope(), model::ImageMode::base64);
  auto j = json::parse(b64.json);
  CHECK(b64.images.empty());
  CHECK(j["sourceImage"] == util::base64_encode(std::string("\xFF\xD8scene\xFF\xD9")));
  CHECK_FALSE(j.contains("images"));

  const auto none = encode::encode_event(plate_event(), envelope(), model::ImageMode::none);
  j = json::parse(none.json);
  CHECK(none.images.empty());
  CHECK(j["hasImages"] == true);
  CHECK_FALSE(j.contains("images"));
  CHECK_FALSE(j.contains("targetImage"));
}

TEST_CASE("receive time is used when the device time is missing") {
  auto ev = plate_event();
  ev.deviceTime.reset();
  ev.timestamp = "18445822972087551616";
  const auto j = json::parse(encode::encode_event(ev, envelope(), model::ImageMode::none).json);
  CHECK(j["eventTime"] == "2026-03-29T13:58:22.000000Z");
  CHECK(j["eventTimeSource"] == "receive");
  CHECK(j["timestamp"] == "18445822972087551616");
}

TEST_CASE("invalid UTF-8 never produces invalid JSON") {
  auto ev = plate_event();
  ev.plateNumber = "AB\xFF";
  const auto out = encode::encode_event(ev, envelope(), model::ImageMode::none);
  CHECK_NOTHROW(json::parse(out.json));
}

TEST_CASE("alarm events carry alarm fields and active") {
  model::Event ev;
  ev.category = model::Category::alarm;
  ev.alarmName = "perimeterAlarm";
  ev.alarmId = "1";
  ev.active = true;
  ev.relatedCategory = "intrusion";
  const auto j = json::parse(encode::encode_event(ev, envelope(), model::ImageMode::split).json);
  CHECK(j["alarmName"] == "perimeterAlarm");
  CHECK(j["active"] == true);
  CHECK(j["relatedCategory"] == "intrusion");
  CHECK(j["hasImages"] == false);
  CHECK_FALSE(j.contains("plateNumber"));
}

TEST_CASE("fractional normalized boxes keep their fractions") {
  model::Event ev;
  ev.category = model::Category::intrusion;
  model::Target t;
  t.box = model::Box{0.25, 0.5, 0.75, 1, model::Scale::normalized1};
  ev.targets.push_back(t);
  const auto j = json::parse(encode::encode_event(ev, envelope(), model::ImageMode::split).json);
  CHECK(j["targets"][0]["box"]["x1"] == 0.25);
  CHECK(j["targets"][0]["box"]["y2"] == 1);
  CHECK(j["targets"][0]["box"]["scale"] == 1);
}

TEST_CASE("start/end and outbound-source fields appear only when set") {
  model::Event ev;
  ev.category = model::Category::intrusion;
  ev.source = model::Source::cvedia;
  auto j = json::parse(encode::encode_event(ev, envelope(), model::ImageMode::none).json);
  for (const char* key : {"durationMs", "endReason", "regionId", "regionName", "retransmission", "score", "count"}) {
    CHECK_FALSE(j.contains(key));
  }
  ev.active = false;
  ev.durationMs = 4200;
  ev.endReason = "timeout";
  ev.regionId = "a1";
  ev.regionName = "Front gate";
  ev.retransmission = true;
  ev.score = 0.75;
  ev.count = 12;
  j = json::parse(encode::encode_event(ev, envelope(), model::ImageMode::none).json);
  CHECK(j["source"] == "cvedia");
  CHECK(j["active"] == false);
  CHECK(j["durationMs"] == 4200);
  CHECK(j["endReason"] == "timeout");
  CHECK(j["regionId"] == "a1");
  CHECK(j["regionName"] == "Front gate");
  CHECK(j["retransmission"] == true);
  CHECK(j["score"] == 0.75);
  CHECK(j["count"] == 12);
}
