#pragma once
// GET /ISAPI/System/deviceInfo (hikvision-isapi.md §7): <DeviceInfo> -> the device identity the
// alertStream client adds to its camera's record (model, serial, MAC, name). Pure.
#include <string_view>

#include "model/event.h"
#include "model/parse_result.h"
#include "util/expected.h"

namespace cam2mqtt::parse {

// manufacturer "Hikvision", model, serial (serialNumber), mac (normalized), name (deviceName).
// Errors: not_xml and the other XmlDocument kinds; unknown_root when the root is not DeviceInfo
// (e.g. an XML ResponseStatus).
util::Expected<model::DeviceIdentity, model::ParseError> parse_hikvision_device_info(std::string_view xml);

} // namespace cam2mqtt::parse
