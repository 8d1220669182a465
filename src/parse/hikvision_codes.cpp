#include "parse/hikvision_codes.h"

#include <array>

#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

using model::Category;

struct Row {
  std::string_view code;
  Category category;
  std::string_view subtype;
  std::string_view description;
  bool one_shot;
};

// Every eventType of the reference's §3.6 table (and §6's metadata kinds).
constexpr std::array<Row, 48> k_rows{{
    {"ANPR", Category::lpr, "plate", "License Plate Recognition", true},
    {"vehicleDetection", Category::lpr, "plate", "Vehicle Detection", true},
    {"facedetection", Category::face, "faceDetection", "Face Detection", true},
    {"faceCapture", Category::face, "faceCapture", "Face Capture", true},
    {"faceSnap", Category::face, "faceCapture", "Face Capture", true},
    {"alarmResult", Category::face, "faceMatch", "Face Comparison", true},
    {"faceContrast", Category::face, "faceMatch", "Face Comparison", true},
    {"fielddetection", Category::intrusion, "regionIntrusion", "Intrusion Detection", false},
    {"linedetection", Category::intrusion, "lineCrossing", "Line Crossing", true},
    {"regionEntrance", Category::intrusion, "regionEntry", "Region Entrance", true},
    {"regionExiting", Category::intrusion, "regionExit", "Region Exiting", true},
    {"loitering", Category::intrusion, "loitering", "Loitering Detection", false},
    {"parking", Category::intrusion, "illegalParking", "Parking Detection", false},
    {"rapidMove", Category::intrusion, "fastMoving", "Fast Moving", false},
    {"PeopleCounting", Category::counting, "lineCounting", "People Counting", true},
    {"framesPeopleCounting", Category::counting, "areaCounting", "Regional People Counting", true},
    {"personDensityDetection", Category::counting, "crowd", "People Density", false},
    {"personQueueDetection", Category::counting, "queue", "Queue Detection", false},
    {"targetCapture", Category::metadata, "targetCapture", "Target Capture", true},
    {"humanRecognition", Category::metadata, "humanRecognition", "Human Recognition", true},
    {"mixedTargetDetection", Category::metadata, "mixedTargetDetection", "Multi-Target Detection", true},
    {"VMD", Category::motion, "motion", "Motion Detection", false},
    {"motiondetection", Category::motion, "motion", "Motion Detection", false},
    {"VMDHumanVehicle", Category::motion, "motion", "Motion Detection (Human/Vehicle)", false},
    {"PIR", Category::motion, "pir", "PIR Alarm", false},
    {"IO", Category::io, "sensor", "Alarm Input", false},
    {"tamperdetection", Category::tamper, "tampering", "Video Tampering", false},
    {"shelteralarm", Category::tamper, "cover", "Video Blocked", false},
    {"hide", Category::tamper, "cover", "Video Blocked", false},
    {"defocus", Category::tamper, "defocus", "Defocus Detection", false},
    {"scenechangedetection", Category::tamper, "sceneChange", "Scene Change", false},
    {"videoloss", Category::other, "videoLoss", "Video Loss", false},
    {"group", Category::other, "gathering", "People Gathering", false},
    {"unattendedBaggage", Category::other, "objectLeft", "Unattended Baggage", false},
    {"attendedBaggage", Category::other, "objectRemoved", "Object Removal", false},
    {"thermometry", Category::other, "temperature", "Temperature Measurement", false},
    {"TMA", Category::other, "temperature", "Temperature Alarm", false},
    {"fireDetection", Category::other, "fire", "Fire Detection", false},
    {"smokeDetection", Category::other, "smoke", "Smoke Detection", false},
    {"diskfull", Category::other, "diskFull", "HDD Full", false},
    {"diskerror", Category::other, "diskError", "HDD Error", false},
    {"nicbroken", Category::other, "networkDisconnected", "Network Disconnected", false},
    {"ipconflict", Category::other, "ipConflict", "IP Address Conflict", false},
    {"illaccess", Category::other, "illegalAccess", "Illegal Login", false},
    {"badvideo", Category::other, "badVideo", "Video Signal Exception", false},
    {"recordingfailure", Category::other, "recordingFailure", "Recording Failure", false},
    {"other", Category::other, "other", "Other Event", true},
    {"duration", Category::other, "duration", "Duration", false},
}};

bool is_motion_code(std::string_view code) {
  return util::iequals(code, "VMD") || util::iequals(code, "motiondetection") || util::iequals(code, "VMDHumanVehicle");
}

} // namespace

HikvisionCodeInfo describe_hikvision_code(std::string_view event_type, std::string_view target_type) {
  event_type = util::trim(event_type);
  for (const auto& row : k_rows) {
    if (util::iequals(row.code, event_type)) {
      HikvisionCodeInfo out{CodeInfo{row.category, std::string(row.subtype), std::string(row.description)}, row.one_shot};
      target_type = util::trim(target_type);
      if (is_motion_code(event_type) && !target_type.empty()) {
        out.info.subtype = camel_case_code(target_type); // AcuSense: human | vehicle
      }
      return out;
    }
  }
  return {CodeInfo{Category::other, camel_case_code(event_type), "Unknown Event (" + std::string(event_type) + ")"}, true};
}

} // namespace cam2mqtt::parse
