// NVR v2 alarmData, the three layouts of reference §3.5 and the routing of §3.6.
#include <catch2/catch.hpp>

#include "parse_test_support.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse::test;
using model::Category;
using model::Scale;

TEST_CASE("vehicle: plate, group, owner, vehicle, pixel box, images, channel") {
  const auto ev = parse_event("nvr_v2/vehicle_lpr.xml");
  CHECK(ev.category == Category::lpr);
  CHECK(ev.eventType == "vehicle");
  CHECK(ev.subtype == "plate");
  CHECK(ev.eventDescription == "License Plate Detection");
  CHECK(ev.format == "v2");
  CHECK(ev.configVersion == "2.0.0");
  CHECK(ev.plateNumber == "ABC1234");
  CHECK(ev.plateColor == "white");
  CHECK(ev.plateGroup == "Residents");
  CHECK(ev.carOwner == "J. Smith");
  REQUIRE(ev.vehicle);
  CHECK(ev.vehicle->type == "mpv");
  CHECK(ev.vehicle->color == "white");
  CHECK(ev.vehicle->brand == "GMC");
  CHECK(ev.vehicle->model == "GMC_SAVANA");
  REQUIRE(ev.targets.size() == 1);
  CHECK(ev.targets[0].id == "5");
  REQUIRE(ev.targets[0].box);
  CHECK(ev.targets[0].box->x1 == 1104);
  CHECK(ev.targets[0].box->y2 == 610);
  CHECK(ev.targets[0].box->scale == Scale::pixels);
  REQUIRE(ev.sourceImage);
  CHECK(ev.sourceImage->width == 0); // firmware reports 0x0 with real data
  CHECK(looks_like_jpeg(decoded(ev.sourceImage)));
  REQUIRE(ev.targetImage);
  CHECK(ev.targetImage->width == 128);
  CHECK(ev.targetImage->height == 64);
  CHECK(ev.device.deviceType == "NVR");
  CHECK(ev.device.channelId == "2");
  CHECK(ev.device.name == "Parking Entrance");
  CHECK(ev.device.ip == "192.168.0.60");
  CHECK(ev.device.mac == "00:18:ae:12:34:56");
  CHECK(ev.device.macRaw == "00:18:AE:12:34:56");
  CHECK(ev.deviceTime == k_fixture_time);
}

TEST_CASE("vehicle with the 20-digit garbage time keeps the text, no device time") {
  const auto ev = parse_event("nvr_v2/vehicle_garbage_time.xml");
  CHECK(ev.timestamp == "18445822972087551616");
  CHECK_FALSE(ev.deviceTime.has_value());
  CHECK(ev.plateNumber == "DEF5678");
  CHECK(ev.plateGroup == "Whitelist");
}

TEST_CASE("vehicle without group, vehicle attributes, channel or images") {
  const auto ev = parse_event("nvr_v2/vehicle_no_group.xml");
  CHECK(ev.plateNumber == "GHI9012");
  CHECK(ev.plateGroup.empty());
  CHECK(ev.carOwner.empty());
  CHECK_FALSE(ev.vehicle.has_value());
  CHECK(ev.device.channelId.empty());
  CHECK_FALSE(ev.sourceImage.has_value());
  CHECK_FALSE(ev.targetImage.has_value());
}

TEST_CASE("regionIntrusion: eventInfo polygon joined with targetListInfo") {
  const auto ev = parse_event("nvr_v2/region_intrusion.xml");
  CHECK(ev.category == Category::intrusion);
  CHECK(ev.subtype == "regionIntrusion");
  CHECK(ev.eventDescription == "Perimeter Intrusion");
  CHECK(ev.eventId == "3");
  CHECK(ev.boundary == "area");
  CHECK(ev.status.empty());
  REQUIRE(ev.zone);
  CHECK(ev.zone->kind == model::Zone::Kind::area);
  CHECK(ev.zone->points.size() == 4);
  REQUIRE(ev.targets.size() == 1);
  CHECK(ev.targets[0].id == "2157");
  CHECK(ev.targets[0].type == "person");
  CHECK(ev.targets[0].typeRaw == "person");
  REQUIRE(ev.targets[0].box);
  CHECK(ev.targets[0].box->scale == Scale::normalized10000);
  CHECK(ev.targets[0].box->x2 == 2600);
  CHECK(ev.sourceImage.has_value());
  CHECK(ev.targetImage.has_value());
  CHECK(ev.device.channelId == "1");
  CHECK(ev.device.name == "Front Door");
}

TEST_CASE("lineCrossing: directionLine and two targets in order") {
  const auto ev = parse_event("nvr_v2/line_crossing.xml");
  CHECK(ev.category == Category::intrusion);
  CHECK(ev.subtype == "lineCrossing");
  CHECK(ev.eventDescription == "Line Crossing");
  CHECK(ev.boundary == "tripwire");
  REQUIRE(ev.zone);
  CHECK(ev.zone->kind == model::Zone::Kind::line);
  CHECK(ev.zone->points.at(0).x == 2000);
  CHECK(ev.zone->points.at(1).x == 8000);
  REQUIRE(ev.targets.size() == 2);
  CHECK(ev.targets[0].id == "31");
  CHECK(ev.targets[0].type == "person");
  CHECK(ev.targets[1].id == "32");
  CHECK(ev.targets[1].type == "motorcycle");
  CHECK(ev.targets[1].typeRaw == "motor");
  CHECK(ev.targets[1].box->x1 == 6000);
  CHECK_FALSE(ev.sourceImage.has_value());
  CHECK(ev.targetImage.has_value());
}

TEST_CASE("counting layouts") {
  const auto line = parse_event("nvr_v2/target_counting_by_line.xml");
  CHECK(line.category == Category::counting);
  CHECK(line.subtype == "lineCounting");
  CHECK(line.eventDescription == "Target Counting by Line");
  REQUIRE(line.targets.size() == 1);
  CHECK(line.targets[0].type == "car");
  CHECK_FALSE(line.targets[0].box.has_value()); // all-zero rect
  CHECK(line.sourceImage.has_value());
  CHECK_FALSE(line.targetImage.has_value());

  const auto area = parse_event("nvr_v2/target_counting_by_area.xml");
  CHECK(area.subtype == "areaCounting");
  CHECK(area.eventDescription == "Target Counting by Area");
  CHECK(area.zone->points.size() == 3);
  CHECK_FALSE(area.sourceImage.has_value());
  CHECK(area.targetImage.has_value());
}

TEST_CASE("videoMetadata") {
  const auto ev = parse_event("nvr_v2/video_metadata.xml");
  CHECK(ev.category == Category::metadata);
  CHECK(ev.subtype == "videoMetadata");
  CHECK(ev.eventId == "7");
  CHECK(ev.targets.at(0).type == "car");
  CHECK(ev.targets.at(0).box.has_value());
  CHECK(ev.sourceImage->height == 784);
}

TEST_CASE("videoFaceDetect with two faces") {
  const auto ev = parse_event("nvr_v2/video_face_detect_two_faces.xml");
  CHECK(ev.category == Category::face);
  CHECK(ev.subtype == "faceDetection");
  CHECK(ev.eventDescription == "Face Detection");
  REQUIRE(ev.face);
  CHECK(ev.face->age == "middleAged");
  CHECK(ev.face->sex == "male");
  CHECK(ev.face->glasses == "no");
  CHECK(ev.face->mask == "no");
  REQUIRE(ev.targets.size() == 2);
  CHECK(ev.targets[0].id == "71");
  CHECK(ev.targets[0].box->scale == Scale::pixels);
  CHECK(ev.targets[0].box->x1 == 854);
  CHECK(ev.targets[1].id == "72");
  REQUIRE(ev.targetImage);
  CHECK(ev.targetImage->base64 == k_img_crop);
  CHECK(ev.targetImage->width == 184);
  CHECK(ev.sourceImage.has_value());
}

TEST_CASE("2.0.0 envelope without messageType parses with the v1 layout") {
  const auto ev = parse_event("nvr_v2/v2_envelope_v1_body.xml");
  CHECK(ev.category == Category::intrusion);
  CHECK(ev.subtype == "regionIntrusion");
  CHECK(ev.format == "v1");
  CHECK(ev.configVersion == "2.0.0");
  CHECK(ev.device.deviceType == "IPC");
  CHECK(ev.eventId == "81");
  CHECK(ev.targets.at(0).id == "3001");
  CHECK(ev.zone->points.size() == 4);
}

TEST_CASE("layout chosen by container, not by smartType spelling") {
  SECTION("VEHICLE in a v2 envelope with licensePlateListInfo") {
    const auto r = parse_text("<config version=\"2.0.0\"><messageType>alarmData</messageType><smartType>VEHICLE</smartType>"
                              "<licensePlateListInfo><item><targetId>1</targetId><licensePlateAttribute>"
                              "<licensePlateNumber>P1</licensePlateNumber></licensePlateAttribute></item></licensePlateListInfo></config>");
    REQUIRE(r.has_value());
    CHECK(r->events.at(0).plateNumber == "P1");
    CHECK(r->events.at(0).category == Category::lpr);
  }
  SECTION("v2 alarmData carrying a v1 perimeter block") {
    const auto r = parse_text("<config version=\"2.0.0\"><messageType>alarmData</messageType><smartType>PEA</smartType>"
                              "<tripwire><tripInfo><item><eventId>9</eventId><targetId>4</targetId></item></tripInfo></tripwire></config>");
    REQUIRE(r.has_value());
    CHECK(r->events.at(0).subtype == "lineCrossing");
    CHECK(r->events.at(0).format == "v2");
    CHECK(r->events.at(0).eventId == "9");
  }
  SECTION("faceListInfo without smartType") {
    const auto r = parse_text("<config version=\"2.0.0\"><messageType>alarmData</messageType>"
                              "<faceListInfo><item><targetId>1</targetId><age>young</age></item></faceListInfo></config>");
    REQUIRE(r.has_value());
    CHECK(r->events.at(0).category == Category::face);
    CHECK(r->events.at(0).face->age == "young");
  }
}
