#include "parse/event_codes.h"

#include <array>

#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

using model::Category;

struct CodeRow {
  std::string_view code;
  Category category;
  std::string_view subtype;
  std::string_view description;
};

// Reference §4.2. PEA is resolved by the caller's `tripwire` flag.
constexpr std::array<CodeRow, 31> k_codes{{
    {"VEHICE", Category::lpr, "plate", "License Plate Detection"},
    {"VEHICLE", Category::lpr, "plate", "License Plate Detection"}, // also v2 "vehicle"
    {"VFD", Category::face, "faceDetection", "Face Detection"},
    {"VFD_MATCH", Category::face, "faceMatch", "Face Match"},
    {"videoFaceDetect", Category::face, "faceDetection", "Face Detection"},
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
    {"traject", Category::traject, "", "Smart Tracking"},
    // Outside the SDK tables (§4.2 paragraph, PRODUCT.md "Topics").
    {"MOTION", Category::motion, "motion", "Motion Detection"},
    {"SENSOR", Category::io, "sensor", "External Sensor"},
    {"AVD", Category::tamper, "videoException", "Exception Detection"},
    {"OSC", Category::other, "osc", "Missing Object or Abandoned Object"},
    {"CDD", Category::other, "crowd", "Crowd Density Detection"},
    {"FALLING", Category::other, "falling", "Falling Object Detection"},
    {"EA", Category::other, "ea", "Motorcycle / Bicycle Detection"},
    {"CPC", Category::other, "cpc", "People Counting"},
    {"IPD", Category::other, "ipd", "People Intrusion"},
    {"ASD", Category::other, "asd", "Audio Detection"},
    // Loitering / parking names the Node docs filter on for NVRs (no table has them).
    {"loitering", Category::intrusion, "loitering", "Loitering Detection"},
    {"illegalParking", Category::intrusion, "illegalParking", "Illegal Parking"},
    {"PEA", Category::intrusion, "regionIntrusion", "Line Crossing / Intrusion"},
}};

bool is_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) noexcept {
  return c >= 'a' && c <= 'z';
}
bool is_alnum(char c) noexcept {
  return is_upper(c) || is_lower(c) || (c >= '0' && c <= '9');
}
char lower(char c) noexcept {
  return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}
char upper(char c) noexcept {
  return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

} // namespace

CodeInfo describe_code(std::string_view code, bool tripwire) {
  code = util::trim(code);
  for (const auto& row : k_codes) {
    if (util::iequals(row.code, code)) {
      CodeInfo info{row.category, std::string(row.subtype), std::string(row.description)};
      if (row.code == "PEA" && tripwire) {
        info.subtype = "lineCrossing";
      }
      return info;
    }
  }
  return {Category::other, camel_case_code(code), "Unknown Event (" + std::string(code) + ")"};
}

std::string camel_case_code(std::string_view code) {
  // Codes sent in capitals (FALLING, VFD_MATCH) are lower-cased per word; codes already in
  // mixed case (v2 style, peopleCount) keep their inner capitals.
  bool has_lower = false;
  for (char c : code) {
    has_lower = has_lower || is_lower(c);
  }
  std::string out;
  bool word_start = false;
  for (char c : code) {
    if (!is_alnum(c)) {
      word_start = !out.empty();
      continue;
    }
    if (out.empty()) {
      out.push_back(lower(c));
    } else if (word_start) {
      out.push_back(upper(c));
    } else {
      out.push_back(has_lower ? c : lower(c));
    }
    word_start = false;
  }
  return out.empty() ? std::string("unknown") : out;
}

Category related_category(std::string_view alarm_name) {
  struct Row {
    std::string_view name;
    Category category;
  };
  static constexpr std::array<Row, 14> k_alarms{{
      {"perimeterAlarm", Category::intrusion},
      {"tripwireAlarm", Category::intrusion},
      {"aoiEntryAlarm", Category::intrusion},
      {"aoiLeaveAlarm", Category::intrusion},
      {"vehiceAlarm", Category::lpr},
      {"vehicleAlarm", Category::lpr},
      {"VFDAlarm", Category::face},
      {"motionAlarm", Category::motion},
      {"sensorAlarm", Category::io},
      {"sensorAlarmIn", Category::io},
      {"clarityAbnormal", Category::tamper},
      {"colorAbnormal", Category::tamper},
      {"sceneChange", Category::tamper},
      {"passlineAlarm", Category::counting},
  }};
  for (const auto& row : k_alarms) {
    if (util::iequals(row.name, alarm_name)) {
      return row.category;
    }
  }
  return Category::other;
}

} // namespace cam2mqtt::parse
