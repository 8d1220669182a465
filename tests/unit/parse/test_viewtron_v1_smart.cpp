// IPC v1 smart events (reference §3.3, §4.2, §8).
#include <catch2/catch.hpp>

#include "parse_test_support.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse::test;
using model::Category;
using model::Scale;

namespace {
void check_box(const std::optional<model::Box>& box, double x1, double y1, double x2, double y2, Scale scale) {
  REQUIRE(box.has_value());
  CHECK(box->x1 == x1);
  CHECK(box->y1 == y1);
  CHECK(box->x2 == x2);
  CHECK(box->y2 == y2);
  CHECK(box->scale == scale);
}
} // namespace

TEST_CASE("VEHICE: overview item, plate item, confidence from count, direction leave") {
  const auto ev = parse_event("ipc_v1/vehice_overview_plate.xml");
  CHECK(ev.category == Category::lpr);
  CHECK(ev.eventType == "VEHICE");
  CHECK(ev.subtype == "plate");
  CHECK(ev.eventDescription == "License Plate Detection");
  CHECK(ev.format == "v1");
  CHECK(ev.configVersion == "1.7");
  CHECK(ev.plateNumber == "ABC1234");
  CHECK(ev.plateGroup == "whiteList");
  CHECK(ev.plateColor == "blue");
  CHECK(ev.confidence == 99);
  CHECK(ev.directionRaw == "leave");
  CHECK(ev.direction == "away");
  CHECK_FALSE(ev.vehicle.has_value());
  REQUIRE(ev.targets.size() == 1);
  CHECK(ev.targets[0].id == "77");
  CHECK(ev.targets[0].type == "car");
  CHECK(ev.targets[0].typeRaw == "2");
  check_box(ev.targets[0].box, 4000, 5000, 4600, 5400, Scale::normalized10000);
  REQUIRE(ev.sourceImage);
  CHECK(ev.sourceImage->base64 == k_img_overview);
  CHECK(ev.sourceImage->width == 1920);
  CHECK(ev.sourceImage->height == 1080);
  REQUIRE(ev.targetImage);
  CHECK(ev.targetImage->base64 == k_img_crop);
  CHECK(ev.targetImage->width == 128);
  CHECK(ev.targetImage->height == 64);
  CHECK(looks_like_jpeg(decoded(ev.sourceImage)));
  CHECK(looks_like_jpeg(decoded(ev.targetImage)));
  CHECK(ev.timestamp == "1774792701902505");
  CHECK(ev.deviceTime == k_fixture_time);
  CHECK(ev.device.name == "Driveway");
  CHECK(ev.device.mac == "58:5b:69:5a:84:bb");
  CHECK(ev.device.serial == "NF40D099BCM0");
  CHECK(ev.device.deviceType == "IPC");
  CHECK(ev.device.ip.empty());
}

TEST_CASE("VEHICLE spelling: sourceDataInfo wins as overview, text confidence, approach") {
  const auto ev = parse_event("ipc_v1/vehicle_spelling_source_overview.xml");
  CHECK(ev.category == Category::lpr);
  CHECK(ev.eventType == "VEHICLE");
  CHECK(ev.plateNumber == "XYZ987");
  CHECK(ev.plateGroup == "blackList");
  CHECK(ev.confidence == 87);
  CHECK(ev.direction == "approach");
  CHECK(ev.directionRaw == "approach");
  REQUIRE(ev.sourceImage);
  CHECK(ev.sourceImage->base64 == k_img_crop2);
  CHECK(ev.targetImage->base64 == k_img_crop);
}

TEST_CASE("single-item LPR list holds the plate, no overview, no group") {
  const auto ev = parse_event("ipc_v1/lpr_single_item.xml");
  CHECK(ev.plateNumber == "KLM456");
  CHECK(ev.plateGroup.empty());
  CHECK_FALSE(ev.confidence.has_value());
  CHECK(ev.direction.empty());
  CHECK_FALSE(ev.sourceImage.has_value());
  REQUIRE(ev.targetImage);
  CHECK(ev.targetImage->base64 == k_img_crop);
  REQUIRE(ev.targets.size() == 1);
  CHECK(ev.targets[0].id == "80");
}

TEST_CASE("PEA perimeter: region intrusion with polygon, status and crop") {
  const auto ev = parse_event("ipc_v1/pea_perimeter.xml");
  CHECK(ev.category == Category::intrusion);
  CHECK(ev.eventType == "PEA");
  CHECK(ev.subtype == "regionIntrusion");
  CHECK(ev.eventDescription == "Line Crossing / Intrusion");
  CHECK(ev.eventId == "11");
  CHECK(ev.status == "SMART_START");
  CHECK(ev.boundary == "area");
  REQUIRE(ev.zone);
  CHECK(ev.zone->kind == model::Zone::Kind::area);
  CHECK(ev.zone->scale == Scale::normalized10000);
  REQUIRE(ev.zone->points.size() == 5);
  CHECK(ev.zone->points[1].x == 9000);
  CHECK(ev.zone->points[1].y == 1000);
  REQUIRE(ev.targets.size() == 1); // perInfo and listInfo describe the same target 2157
  CHECK(ev.targets[0].id == "2157");
  CHECK(ev.targets[0].type == "person");
  check_box(ev.targets[0].box, 2000, 3000, 2600, 4800, Scale::normalized10000);
  CHECK(ev.sourceImage->base64 == k_img_overview);
  CHECK(ev.sourceImage->width == 1280);
  CHECK(ev.targetImage->base64 == k_img_crop);
  CHECK(ev.targetImage->width == 288);
  CHECK_FALSE(ev.face.has_value());
}

TEST_CASE("PEA tripwire: line crossing with line/ layout") {
  const auto ev = parse_event("ipc_v1/pea_tripwire_line.xml");
  CHECK(ev.category == Category::intrusion);
  CHECK(ev.subtype == "lineCrossing");
  CHECK(ev.boundary == "tripwire");
  CHECK(ev.eventId == "12");
  CHECK(ev.status == "SMART_PROCEDURE");
  REQUIRE(ev.zone);
  CHECK(ev.zone->kind == model::Zone::Kind::line);
  REQUIRE(ev.zone->points.size() == 2);
  CHECK(ev.zone->points[0].x == 1000);
  CHECK(ev.zone->points[1].x == 9000);
  REQUIRE(ev.targets.size() == 1);
  CHECK(ev.targets[0].id == "2160");
  CHECK(ev.targets[0].type.empty());
  check_box(ev.targets[0].box, 4000, 3000, 4500, 6000, Scale::normalized10000);
  CHECK_FALSE(ev.sourceImage.has_value());
  CHECK_FALSE(ev.targetImage.has_value());
}

TEST_CASE("PEA tripwire with startPoint/endPoint directly in the item") {
  const auto ev = parse_event("ipc_v1/pea_tripwire_direct_points.xml");
  CHECK(ev.subtype == "lineCrossing");
  CHECK(ev.status == "SMART_STOP");
  REQUIRE(ev.zone);
  CHECK(ev.zone->kind == model::Zone::Kind::line);
  CHECK(ev.zone->points.at(1).y == 9500);
}

TEST_CASE("LOITER and PVD use the perimeter block") {
  const auto loiter = parse_event("ipc_v1/loiter.xml");
  CHECK(loiter.category == Category::intrusion);
  CHECK(loiter.subtype == "loitering");
  CHECK(loiter.eventDescription == "Loitering Detection");
  CHECK(loiter.eventId == "21");
  REQUIRE(loiter.zone);
  CHECK(loiter.zone->points.size() == 4);
  REQUIRE(loiter.targets.size() == 1);
  CHECK(loiter.targets[0].type == "person");
  CHECK(loiter.sourceImage.has_value());
  CHECK(loiter.targetImage.has_value());

  const auto pvd = parse_event("ipc_v1/pvd.xml");
  CHECK(pvd.subtype == "illegalParking");
  CHECK(pvd.eventDescription == "Illegal Parking");
  REQUIRE(pvd.targets.size() == 1);
  CHECK(pvd.targets[0].type == "car");
  CHECK(pvd.targetImage->width == 336);
}

TEST_CASE("AOI entry/exit, counting, face detection read listInfo") {
  const auto entry = parse_event("ipc_v1/aoientry.xml");
  CHECK(entry.category == Category::intrusion);
  CHECK(entry.subtype == "regionEntry");
  CHECK(entry.eventDescription == "Intrusion Zone Entry");
  CHECK(entry.eventId.empty());
  CHECK(entry.status.empty());
  CHECK_FALSE(entry.zone.has_value());
  REQUIRE(entry.targets.size() == 1);
  CHECK(entry.targets[0].id == "501");
  CHECK(entry.targets[0].type == "person");

  const auto leave = parse_event("ipc_v1/aoileave.xml");
  CHECK(leave.subtype == "regionExit");
  CHECK(leave.eventDescription == "Intrusion Zone Exit");
  CHECK(leave.targets.at(0).type == "motorcycle");
  CHECK(leave.targets.at(0).typeRaw == "4");

  const auto line = parse_event("ipc_v1/passlinecount.xml");
  CHECK(line.category == Category::counting);
  CHECK(line.subtype == "lineCounting");
  CHECK(line.eventDescription == "Line Crossing Target Count");

  const auto area = parse_event("ipc_v1/traffic.xml");
  CHECK(area.category == Category::counting);
  CHECK(area.subtype == "areaCounting");
  CHECK(area.eventDescription == "Intrusion Target Count");
  CHECK(area.targets.at(0).type == "car");

  const auto vfd = parse_event("ipc_v1/vfd.xml");
  CHECK(vfd.category == Category::face);
  CHECK(vfd.subtype == "faceDetection");
  CHECK_FALSE(vfd.face.has_value());
  CHECK(vfd.targetImage->width == 184);
  CHECK(vfd.targets.at(0).id == "701");

  const auto match = parse_event("ipc_v1/vfd_match.xml");
  CHECK(match.category == Category::face);
  CHECK(match.subtype == "faceMatch");
  CHECK(match.eventDescription == "Face Match");
}

TEST_CASE("VSD images come from vsd/") {
  const auto ev = parse_event("ipc_v1/vsd_images.xml");
  CHECK(ev.category == Category::metadata);
  CHECK(ev.subtype == "videoMetadata");
  CHECK(ev.eventDescription == "Video Metadata");
  REQUIRE(ev.sourceImage);
  CHECK(ev.sourceImage->width == 1280);
  CHECK(ev.sourceImage->height == 784);
  REQUIRE(ev.targetImage);
  CHECK(ev.targetImage->base64 == k_img_crop);
  REQUIRE(ev.targets.size() == 1);
  CHECK(ev.targets[0].type == "car");
  CHECK(ev.targets[0].id.empty());
}

TEST_CASE("codes outside the SDK tables") {
  const auto motion = parse_event("ipc_v1/motion.xml");
  CHECK(motion.category == Category::motion);
  CHECK(motion.subtype == "motion");
  CHECK(motion.eventDescription == "Motion Detection");
  CHECK(motion.sourceImage.has_value());

  const auto sensor = parse_event("ipc_v1/sensor.xml");
  CHECK(sensor.category == Category::io);
  CHECK(sensor.subtype == "sensor");
  CHECK(sensor.eventDescription == "External Sensor");

  const auto avd = parse_event("ipc_v1/avd.xml");
  CHECK(avd.category == Category::tamper);
  CHECK(avd.subtype == "videoException");
  CHECK(avd.eventDescription == "Exception Detection");

  const auto falling = parse_event("unknown/falling.xml");
  CHECK(falling.category == Category::other);
  CHECK(falling.eventType == "FALLING");
  CHECK(falling.subtype == "falling");
  CHECK(falling.eventDescription == "Falling Object Detection");
  CHECK(falling.targets.size() == 1);

  const auto unlisted = parse_event("unknown/unlisted_code.xml");
  CHECK(unlisted.category == Category::other);
  CHECK(unlisted.eventType == "SMOKE_DETECT");
  CHECK(unlisted.subtype == "smokeDetect");
  CHECK(unlisted.eventDescription == "Unknown Event (SMOKE_DETECT)");
}

TEST_CASE("currentTime unit by magnitude") {
  const auto seconds = parse_event("ipc_v1/v10_10digit_seconds.xml");
  CHECK(seconds.configVersion == "1.0");
  CHECK(seconds.timestamp == "1774792701");
  REQUIRE(seconds.deviceTime);
  CHECK(seconds.deviceTime->time_since_epoch().count() == 1774792701000000LL);

  const auto millis = parse_event("ipc_v1/v10_13digit_millis.xml");
  CHECK(millis.timestamp == "1774792701902");
  REQUIRE(millis.deviceTime);
  CHECK(millis.deviceTime->time_since_epoch().count() == 1774792701902000LL);

  const auto future = parse_text("<config><smartType>MOTION</smartType><currentTime>4102444800000000</currentTime></config>");
  REQUIRE(future.has_value());
  CHECK(future->events.at(0).timestamp == "4102444800000000");
  CHECK_FALSE(future->events.at(0).deviceTime.has_value()); // year 2100: implausible
}

TEST_CASE("quirks: mixed case, lying counts, non-numeric values, placeholders") {
  const auto mixed = parse_event("ipc_v1/mixed_case_names.xml");
  CHECK(mixed.category == Category::intrusion);
  CHECK(mixed.eventType == "aoientry");
  CHECK(mixed.subtype == "regionEntry");
  CHECK(mixed.device.name == "Porch");
  REQUIRE(mixed.targets.size() == 1);
  CHECK(mixed.targets[0].id == "901");
  check_box(mixed.targets[0].box, 100, 200, 300, 400, Scale::normalized10000);
  REQUIRE(mixed.targetImage);
  CHECK(mixed.targetImage->width == 288);
  CHECK(mixed.deviceTime == k_fixture_time);

  const auto lying = parse_event("ipc_v1/count_attribute_lying.xml");
  REQUIRE(lying.zone);
  CHECK(lying.zone->points.size() == 1);
  REQUIRE(lying.targets.size() == 2);
  CHECK(lying.targets[0].id == "1001");
  CHECK(lying.targets[0].type == "person");
  CHECK(lying.targets[1].id == "1002");
  CHECK(lying.targets[1].type == "car");
  CHECK(lying.targetImage->base64 == k_img_crop); // the first target's crop

  const auto dots = parse_event("ipc_v1/non_numeric_rect.xml");
  CHECK_FALSE(dots.zone.has_value());
  REQUIRE(dots.targets.size() == 1);
  CHECK_FALSE(dots.targets[0].box.has_value());
  REQUIRE(dots.targetImage);
  CHECK(dots.targetImage->width == 0);

  const auto placeholders = parse_event("ipc_v1/placeholder_base64.xml");
  CHECK(placeholders.category == Category::face);
  CHECK_FALSE(placeholders.sourceImage.has_value());
  CHECK_FALSE(placeholders.targetImage.has_value());
  CHECK(placeholders.targets.size() == 1);
}

TEST_CASE("non-ASCII text and CDATA") {
  const auto ev = parse_event("ipc_v1/non_ascii_names.xml");
  CHECK(ev.device.name == "Entrée Café — Ворота 北门");
  CHECK(ev.plateNumber == "京A·12345");
  CHECK(ev.plateGroup == "temporaryList");
  CHECK_FALSE(ev.targetImage.has_value());

  const auto cdata = parse_event("ipc_v1/cdata_and_plain.xml");
  CHECK(cdata.device.name == "Hall");
  CHECK(cdata.device.mac == "58:5b:69:5a:84:bd");
  CHECK(cdata.device.serial == "NF40D0CCCCC3");
  REQUIRE(cdata.sourceImage);
  CHECK(cdata.sourceImage->base64 == k_img_overview); // line break inside CDATA removed
  CHECK(cdata.sourceImage->width == 1280);
  REQUIRE(cdata.targetImage);
  CHECK(cdata.targetImage->base64 == k_img_crop);
  CHECK(cdata.targets.at(0).id == "1401");
}

TEST_CASE("text in a declared charset arrives as UTF-8") {
  const auto r = parse_text("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><config><smartType>MOTION</smartType>"
                            "<deviceName>Caf\xE9</deviceName></config>");
  REQUIRE(r.has_value());
  CHECK(r->events.at(0).device.name == "Caf\xC3\xA9"); // converted by the declared charset
}

TEST_CASE("broken UTF-8 is replaced, not fatal") {
  const auto r = parse_text("<config><smartType>VEHICE</smartType><deviceName>Caf\xE9 \xFF</deviceName>"
                            "<listInfo><item><plateNumber>AB\xC0\xAF" "1</plateNumber></item></listInfo></config>");
  REQUIRE(r.has_value());
  const auto& ev = r->events.at(0);
  CHECK(ev.device.name == "Caf\xEF\xBF\xBD \xEF\xBF\xBD");
  CHECK(ev.plateNumber == "AB\xEF\xBF\xBD\xEF\xBF\xBD" "1");
}

TEST_CASE("undeclared namespace prefixes are ignored") {
  const auto r = parse_text("<config xmlns:a=\"urn:a\"><b:smartType>MOTION</b:smartType><a:deviceName>x</a:deviceName></config>");
  REQUIRE(r.has_value());
  CHECK(r->events.at(0).category == Category::motion);
  CHECK(r->events.at(0).device.name == "x");
}
