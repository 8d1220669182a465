#include <catch2/catch.hpp>

#include "parse/event_codes.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse;
using model::Category;

TEST_CASE("reference §4.2 table") {
  struct Row {
    const char* code;
    Category category;
    const char* subtype;
    const char* description;
  };
  const Row rows[] = {
      {"VEHICE", Category::lpr, "plate", "License Plate Detection"},
      {"VEHICLE", Category::lpr, "plate", "License Plate Detection"},
      {"vehicle", Category::lpr, "plate", "License Plate Detection"},
      {"VFD", Category::face, "faceDetection", "Face Detection"},
      {"VFD_MATCH", Category::face, "faceMatch", "Face Match"},
      {"videoFaceDetect", Category::face, "faceDetection", "Face Detection"},
      {"PEA", Category::intrusion, "regionIntrusion", "Line Crossing / Intrusion"},
      {"regionIntrusion", Category::intrusion, "regionIntrusion", "Perimeter Intrusion"},
      {"lineCrossing", Category::intrusion, "lineCrossing", "Line Crossing"},
      {"AOIENTRY", Category::intrusion, "regionEntry", "Intrusion Zone Entry"},
      {"AOILEAVE", Category::intrusion, "regionExit", "Intrusion Zone Exit"},
      {"LOITER", Category::intrusion, "loitering", "Loitering Detection"},
      {"PVD", Category::intrusion, "illegalParking", "Illegal Parking"},
      {"PASSLINECOUNT", Category::counting, "lineCounting", "Line Crossing Target Count"},
      {"TRAFFIC", Category::counting, "areaCounting", "Intrusion Target Count"},
      {"targetCountingByLine", Category::counting, "lineCounting", "Target Counting by Line"},
      {"targetCountingByArea", Category::counting, "areaCounting", "Target Counting by Area"},
      {"VSD", Category::metadata, "videoMetadata", "Video Metadata"},
      {"videoMetadata", Category::metadata, "videoMetadata", "Video Metadata"},
      {"MOTION", Category::motion, "motion", "Motion Detection"},
      {"SENSOR", Category::io, "sensor", "External Sensor"},
      {"AVD", Category::tamper, "videoException", "Exception Detection"},
      {"OSC", Category::other, "osc", "Missing Object or Abandoned Object"},
      {"CDD", Category::other, "crowd", "Crowd Density Detection"},
      {"FALLING", Category::other, "falling", "Falling Object Detection"},
      {"EA", Category::other, "ea", "Motorcycle / Bicycle Detection"},
  };
  for (const auto& row : rows) {
    INFO(row.code);
    const auto info = describe_code(row.code);
    CHECK(info.category == row.category);
    CHECK(info.subtype == row.subtype);
    CHECK(info.description == row.description);
  }
  CHECK(describe_code("PEA", true).subtype == "lineCrossing");
}

TEST_CASE("unknown codes are kept as other") {
  const auto info = describe_code("SMOKE_DETECT");
  CHECK(info.category == Category::other);
  CHECK(info.subtype == "smokeDetect");
  CHECK(info.description == "Unknown Event (SMOKE_DETECT)");
  CHECK(describe_code("").description == "Unknown Event ()");
}

TEST_CASE("camel_case_code") {
  CHECK(camel_case_code("FALLING") == "falling");
  CHECK(camel_case_code("VFD_MATCH") == "vfdMatch");
  CHECK(camel_case_code("peopleCount") == "peopleCount");
  CHECK(camel_case_code("Smoke-Alarm") == "smokeAlarm");
  CHECK(camel_case_code("__X__") == "x");
  CHECK(camel_case_code("") == "unknown");
  CHECK(camel_case_code("Ж") == "unknown");
}

TEST_CASE("alarm names map to related categories") {
  CHECK(related_category("perimeterAlarm") == Category::intrusion);
  CHECK(related_category("tripwireAlarm") == Category::intrusion);
  CHECK(related_category("vehiceAlarm") == Category::lpr);
  CHECK(related_category("vehicleAlarm") == Category::lpr);
  CHECK(related_category("VFDAlarm") == Category::face);
  CHECK(related_category("vfdAlarm") == Category::face);
  CHECK(related_category("motionAlarm") == Category::motion);
  CHECK(related_category("sensorAlarm") == Category::io);
  CHECK(related_category("sensorAlarmIn") == Category::io);
  CHECK(related_category("clarityAbnormal") == Category::tamper);
  CHECK(related_category("colorAbnormal") == Category::tamper);
  CHECK(related_category("sceneChange") == Category::tamper);
  CHECK(related_category("passlineAlarm") == Category::counting);
  CHECK(related_category("oscAlarm") == Category::other);
  CHECK(related_category("chlOfflineAlarm") == Category::other);
}
