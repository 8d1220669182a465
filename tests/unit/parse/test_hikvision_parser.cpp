#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "parse/hikvision_codes.h"
#include "parse/hikvision_parser.h"
#include "parse/hikvision_stream.h"
#include "util/time_format.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse;

namespace {
const util::SysMicros k_now{std::chrono::microseconds(1795348800LL * 1000000)}; // 2026-11-22T12:00Z
const ParseContext k_ctx{k_now};

std::string load(const std::string& name) {
  std::ifstream in(std::string(CAM2MQTT_FIXTURES_DIR) + "/hikvision/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string iso(std::optional<util::SysMicros> t) {
  return t ? util::format_iso8601_utc(*t) : "none";
}
} // namespace

TEST_CASE("ISAPI dateTime variants") {
  CHECK(iso(parse_hikvision_datetime("2022-01-31T13:53:05+01:00")) == "2022-01-31T12:53:05.000000Z");
  CHECK(iso(parse_hikvision_datetime("2024-01-05T09:01:18-6:00")) == "2024-01-05T15:01:18.000000Z");
  CHECK(iso(parse_hikvision_datetime("2024-01-22T11:46:3100:00")) == "2024-01-22T11:46:31.000000Z");
  CHECK(iso(parse_hikvision_datetime("2024-06-10T21:03:44.250Z")) == "2024-06-10T21:03:44.250000Z");
  CHECK(iso(parse_hikvision_datetime("2024-06-10T21:03+0130")) == "2024-06-10T19:33:00.000000Z");
  CHECK(iso(parse_hikvision_datetime("2025-01-31T13:11:39")) == "none"); // zone-less
  CHECK(iso(parse_hikvision_datetime("")) == "none");
  CHECK(iso(parse_hikvision_datetime("garbage")) == "none");
  CHECK(iso(parse_hikvision_datetime("2024-13-01T00:00:00Z")) == "none");
}

TEST_CASE("raw ampersands are escaped, references are kept") {
  CHECK(escape_raw_ampersands("a & b &amp; c &#38; d &#x26; e &") == "a &amp; b &amp; c &#38; d &#x26; e &amp;");
}

TEST_CASE("push-mode dispatch tells Hikvision from Viewtron by the root element") {
  CHECK(is_hikvision_alert(load("linedetection.xml")));
  CHECK(is_hikvision_alert("<?xml version=\"1.0\"?>\n<!-- c --><ns:EventNotificationAlert/>"));
  CHECK_FALSE(is_hikvision_alert("<?xml version=\"1.0\"?><config version=\"1.0\"/>"));
  CHECK_FALSE(is_hikvision_alert(""));
}

TEST_CASE("every eventType of the reference maps to a category and subtype") {
  const std::vector<std::tuple<std::string, std::string, std::string>> table{
      {"ANPR", "lpr", "plate"},
      {"vehicleDetection", "lpr", "plate"},
      {"facedetection", "face", "faceDetection"},
      {"faceCapture", "face", "faceCapture"},
      {"faceSnap", "face", "faceCapture"},
      {"alarmResult", "face", "faceMatch"},
      {"faceContrast", "face", "faceMatch"},
      {"fielddetection", "intrusion", "regionIntrusion"},
      {"linedetection", "intrusion", "lineCrossing"},
      {"regionEntrance", "intrusion", "regionEntry"},
      {"regionexiting", "intrusion", "regionExit"},
      {"loitering", "intrusion", "loitering"},
      {"parking", "intrusion", "illegalParking"},
      {"rapidMove", "intrusion", "fastMoving"},
      {"PeopleCounting", "counting", "lineCounting"},
      {"framesPeopleCounting", "counting", "areaCounting"},
      {"personDensityDetection", "counting", "crowd"},
      {"personQueueDetection", "counting", "queue"},
      {"targetCapture", "metadata", "targetCapture"},
      {"VMD", "motion", "motion"},
      {"motiondetection", "motion", "motion"},
      {"VMDHumanVehicle", "motion", "motion"},
      {"PIR", "motion", "pir"},
      {"IO", "io", "sensor"},
      {"tamperdetection", "tamper", "tampering"},
      {"shelteralarm", "tamper", "cover"},
      {"hide", "tamper", "cover"},
      {"defocus", "tamper", "defocus"},
      {"scenechangedetection", "tamper", "sceneChange"},
      {"videoloss", "other", "videoLoss"},
      {"group", "other", "gathering"},
      {"unattendedBaggage", "other", "objectLeft"},
      {"attendedBaggage", "other", "objectRemoved"},
      {"thermometry", "other", "temperature"},
      {"TMA", "other", "temperature"},
      {"fireDetection", "other", "fire"},
      {"smokeDetection", "other", "smoke"},
      {"diskfull", "other", "diskFull"},
      {"diskerror", "other", "diskError"},
      {"nicbroken", "other", "networkDisconnected"},
      {"ipconflict", "other", "ipConflict"},
      {"illaccess", "other", "illegalAccess"},
      {"badvideo", "other", "badVideo"},
      {"recordingfailure", "other", "recordingFailure"},
      {"AID_congestion", "other", "aIDCongestion"},
  };
  for (const auto& [code, category, subtype] : table) {
    INFO(code);
    const auto d = describe_hikvision_code(code);
    CHECK(model::to_string(d.info.category) == category);
    CHECK(d.info.subtype == subtype);
  }
  CHECK(describe_hikvision_code("VMD", "vehicle").info.subtype == "vehicle");
  CHECK(describe_hikvision_code("linedetection").one_shot);
  CHECK_FALSE(describe_hikvision_code("fielddetection").one_shot);
}

TEST_CASE("the reference example decodes with box, line and identity") {
  auto out = parse_hikvision_xml(load("linedetection.xml"), k_ctx);
  REQUIRE(out);
  REQUIRE(out->events.size() == 1);
  const auto& ev = out->events[0];
  CHECK(ev.source == model::Source::hikvision);
  CHECK(ev.category == model::Category::intrusion);
  CHECK(ev.subtype == "lineCrossing");
  CHECK_FALSE(ev.active.has_value()); // one-shot
  CHECK(ev.device.mac == "44:19:b6:00:12:ab");
  CHECK(ev.device.channelId == "1");
  CHECK(ev.regionId == "1");
  REQUIRE(ev.targets.size() == 1);
  CHECK(ev.targets[0].type == "person");
  REQUIRE(ev.targets[0].box);
  CHECK(ev.targets[0].box->scale == model::Scale::normalized1);
  CHECK(ev.targets[0].box->x2 == Approx(0.47));
  REQUIRE(ev.zone);
  CHECK(ev.zone->kind == model::Zone::Kind::line);
  CHECK(iso(ev.deviceTime) == "2025-05-02T06:15:09.000000Z");
}

TEST_CASE("heartbeats are told apart and empty elements never crash") {
  auto hb = parse_hikvision_xml(load("videoloss_heartbeat.xml"), k_ctx);
  REQUIRE(hb);
  CHECK(hb->kind == model::Message::Kind::heartbeat);
  CHECK(hb->device.ip == "192.168.1.64");
  auto door = parse_hikvision_xml(load("doorbell_heartbeat.xml"), k_ctx);
  REQUIRE(door);
  CHECK(door->kind == model::Message::Kind::heartbeat);

  auto empty = parse_hikvision_xml(load("fielddetection_empty_elements.xml"), k_ctx);
  REQUIRE(empty);
  REQUIRE(empty->events.size() == 1);
  CHECK(empty->events[0].device.channelId == "2"); // dynChannelID
  CHECK(empty->events[0].targets.empty());          // all-zero rect
  CHECK(empty->events[0].active == true);
  CHECK_FALSE(empty->events[0].deviceTime); // zone-less

  for (const char* junk : {"<EventNotificationAlert/>", "<EventNotificationAlert><eventType/><eventState/></EventNotificationAlert>",
                           "<EventNotificationAlert><DetectionRegionList><DetectionRegionEntry/></DetectionRegionList></EventNotificationAlert>"}) {
    INFO(junk);
    auto r = parse_hikvision_xml(junk, k_ctx);
    REQUIRE(r);
    CHECK(r->events.size() == 1);
  }
  CHECK_FALSE(parse_hikvision_xml("", k_ctx));
  CHECK(parse_hikvision_xml("<config/>", k_ctx).error().kind == "unknown_root");
  CHECK(parse_hikvision_xml("<EventNotificationAlert>", k_ctx).error().kind == "truncated");
}

TEST_CASE("several root alerts in one part are split") {
  auto out = parse_hikvision_xml(load("two_alerts.xml"), k_ctx);
  REQUIRE(out);
  REQUIRE(out->events.size() == 2);
  CHECK(out->events[0].subtype == "regionEntry");
  CHECK(out->events[1].category == model::Category::tamper);
}

TEST_CASE("a saved alertStream body: heartbeat, stray boundary, parts without length, image attached") {
  const auto outcomes = parse_hikvision_payload(load("alertstream_mixed.txt"), "", k_ctx);
  REQUIRE(outcomes.size() == 4);
  CHECK(outcomes[0]->kind == model::Message::Kind::heartbeat);
  CHECK(outcomes[1]->events.at(0).eventType == "VMD");
  const auto& field = outcomes[2]->events.at(0);
  CHECK(field.eventType == "fielddetection");
  REQUIRE(field.sourceImage);
  CHECK_FALSE(field.targetImage);
  CHECK(outcomes[3]->events.at(0).eventType == "linedetection");
  CHECK_FALSE(outcomes[3]->events.at(0).sourceImage);
}

TEST_CASE("push mode form-data: XML part then JPEG parts, plate picture as target") {
  const std::string body = "--MIME_boundary\r\n"
                           "Content-Disposition: form-data; name=\"anpr.xml\"; filename=\"anpr.xml\"\r\n"
                           "Content-Type: application/xml\r\n\r\n" +
                           load("anpr.xml") +
                           "\r\n--MIME_boundary\r\n"
                           "Content-Disposition: form-data; name=\"licensePlatePicture.jpg\"; filename=\"licensePlatePicture.jpg\"\r\n"
                           "Content-Type: image/jpeg\r\n\r\n\xFF\xD8plate\xFF\xD9\r\n"
                           "--MIME_boundary\r\n"
                           "Content-Disposition: form-data; name=\"detectionPicture.jpg\"; filename=\"detectionPicture.jpg\"\r\n"
                           "Content-Type: image/jpeg\r\n\r\n\xFF\xD8scene\xFF\xD9\r\n"
                           "--MIME_boundary--\r\n";
  const auto outcomes = parse_hikvision_payload(body, "multipart/form-data; boundary=MIME_boundary", k_ctx);
  REQUIRE(outcomes.size() == 1);
  REQUIRE(outcomes[0]);
  const auto& ev = outcomes[0]->events.at(0);
  CHECK(ev.plateNumber == "AB123CD");
  CHECK(ev.direction == "approach");
  REQUIRE(ev.targetImage);
  REQUIRE(ev.sourceImage);
}

TEST_CASE("an image part with no alert waiting is counted, not attached") {
  HikvisionPartDecoder dec;
  std::vector<model::ParseOutcome> out;
  dec.on_part(MultipartPart{"image/jpeg", "", "\xFF\xD8\xFF\xD9"}, k_ctx, out);
  dec.on_part(MultipartPart{"application/json", "", "{}"}, k_ctx, out);
  CHECK(out.empty());
  CHECK(dec.stats().images_orphaned == 1);
  CHECK(dec.stats().unknown_parts == 1);
}
