#pragma once
// Hikvision ISAPI eventType -> category, subtype and description (hikvision-isapi.md §3.6, §6).
// Codes match case-insensitively; unknown codes pass through as category other with a
// camelCase subtype, never dropped.
#include <string_view>

#include "parse/event_codes.h"

namespace cam2mqtt::parse {

struct HikvisionCodeInfo {
  CodeInfo info;
  // One-shot kinds (a crossing, a plate, a face) carry no `active`; the others are start/end.
  bool one_shot = false;
};

// `target_type` is the alert's targetType/detectionTarget (VMD sub type on AcuSense cameras).
HikvisionCodeInfo describe_hikvision_code(std::string_view event_type, std::string_view target_type = {});

} // namespace cam2mqtt::parse
