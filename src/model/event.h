#pragma once
// The normalized event model: what every source parser produces and the encoder turns into
// the JSON payload of PRODUCT.md. Plain structs, std only. Field names follow the Viewtron
// SDK's ViewtronEvent properties (reference §5.1, §7.1) so the JSON keys are the same words.
//
// Strings hold UTF-8 (parsers sanitize); an empty string means "the device did not send it"
// and the encoder leaves such fields out (or writes the SDK default where PRODUCT.md asks).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/category.h"
#include "util/time_format.h"

namespace cam2mqtt::model {

// How box and point coordinates are to be read.
enum class Scale {
  normalized10000, // 0..10000, independent of resolution (Viewtron default)
  normalized1,     // 0..1 (CVEDIA-RT)
  pixels,          // image pixels (NVR LPR plate box, NVR face box)
};

struct Point {
  double x = 0;
  double y = 0;
};

struct Box {
  double x1 = 0;
  double y1 = 0;
  double x2 = 0;
  double y2 = 0;
  Scale scale = Scale::normalized10000;
};

// Rule geometry: an area polygon or a line (two points), with its scale.
struct Zone {
  enum class Kind { area, line } kind = Kind::area;
  std::vector<Point> points;
  Scale scale = Scale::normalized10000;
};

// One image as the device sent it. `base64` is validated and stripped of whitespace by the
// parser; decoding to bytes happens once, in the publishing path, only when needed.
struct Image {
  std::string base64;
  int width = 0; // as the device reported it; 0 when unknown
  int height = 0;
};

struct Target {
  std::string id;       // device target id ("" when none)
  std::string type;     // person | car | motorcycle | raw value
  std::string typeRaw;  // as sent ("1", "motor", ...)
  std::optional<Box> box; // absent when not sent or all zeros
  // traject only
  std::string velocity;
  std::string direction;
};

struct Vehicle {
  std::string type;
  std::string color;
  std::string brand;
  std::string model;
};

struct Face {
  std::string age;
  std::string sex;
  std::string glasses;
  std::string mask;
};

// Who sent the post, as far as the post itself says (heartbeats carry only this).
struct DeviceIdentity {
  std::string name;      // deviceName / DeviceName
  std::string ip;        // reported IP (NVR deviceInfo/ip, IPC ipAddress), "" when absent
  std::string mac;       // normalized lower-case colon form, "" when absent or invalid
  std::string macRaw;    // as sent
  std::string serial;    // sn / SN
  std::string deviceNo;  // deviceNo. / DeviceNo.
  std::string model;     // when a source reports one
  std::string manufacturer; // set by sources that know it (Hikvision, CVEDIA-RT); "" = Viewtron
  std::string channelId; // NVR channel, "" when none
  std::string deviceType; // "IPC" | "NVR" (Viewtron v1 vs v2 envelope), or source-specific

  bool operator==(const DeviceIdentity&) const = default;
};

struct Event {
  Source source = Source::viewtron;
  std::string format;        // "v1" | "v2" (Viewtron); source-specific otherwise
  std::string configVersion; // @version as sent

  Category category = Category::other;
  std::string eventType;        // the code as sent (smartType, alarm element, "traject")
  std::string eventDescription; // reference §4.2 strings
  std::string subtype;          // camelCase vocabulary of PRODUCT.md

  DeviceIdentity device;

  std::string timestamp; // raw device time text
  // Device time when it could be read and is plausible; otherwise the encoder uses receivedAt
  // and eventTimeSource "receive".
  std::optional<util::SysMicros> deviceTime;

  std::string eventId;
  std::string status;   // SMART_START / SMART_PROCEDURE / SMART_STOP (IPC)
  std::string boundary; // area | tripwire
  std::vector<Target> targets; // targetId/targetType in the JSON repeat targets[0]
  std::optional<Zone> zone;

  // lpr
  std::string plateNumber;
  std::string plateColor;
  std::string plateGroup;
  std::string carOwner;
  std::optional<int> confidence; // 0..100
  std::string direction;         // approach | away | raw; also line-crossing direction
  std::string directionRaw;
  std::optional<Vehicle> vehicle;
  // face
  std::optional<Face> face;

  // alarm status and start/end sources
  std::string alarmName;
  std::string alarmId;
  std::optional<bool> active;
  std::string relatedCategory;
  // end of a start/end event: how long it lasted (when known) and why it ended when the device
  // did not say ("timeout": a stale timer closed it)
  std::optional<std::int64_t> durationMs;
  std::string endReason;

  // outbound sources (Hikvision, CVEDIA-RT)
  std::string regionId;      // Hikvision DetectionRegionEntry/regionID, CVEDIA area/tripwire id
  std::string regionName;    // CVEDIA area_name / tripwire_name
  bool retransmission = false; // Hikvision isDataRetransmission=true (re-sent after an outage)
  std::optional<double> score; // detection confidence 0..1 (CVEDIA)
  std::optional<std::int64_t> count; // counting sources: the new total

  std::optional<Image> sourceImage; // overview / scene
  std::optional<Image> targetImage; // crop (first target's, or the plate)
};

} // namespace cam2mqtt::model
