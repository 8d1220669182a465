#pragma once
// The detection-code table of reference §4.2 (+ PRODUCT.md for codes outside it): code ->
// category, subtype, eventDescription. Codes match case-insensitively (VEHICLE/vehicle map
// alike). Unknown codes are never dropped: category other, subtype = camel_case_code(code),
// description "Unknown Event (<code>)".
#include <string>
#include <string_view>

#include "model/category.h"

namespace cam2mqtt::parse {

struct CodeInfo {
  model::Category category = model::Category::other;
  std::string subtype;
  std::string description;
};

// `tripwire` tells the two PEA variants apart (the post's block decides, §4.3).
CodeInfo describe_code(std::string_view code, bool tripwire = false);

// "FALLING" -> "falling", "VFD_MATCH" -> "vfdMatch", "peopleCount" -> "peopleCount",
// "Smoke-Alarm" -> "smokeAlarm"; "" -> "unknown". Only ASCII letters and digits are kept.
std::string camel_case_code(std::string_view code);

// Alarm-status element name -> the category of the detections it reports (§3.2, §3.5).
model::Category related_category(std::string_view alarm_name);

} // namespace cam2mqtt::parse
