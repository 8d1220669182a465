#pragma once
// Device info (P/C/device, retained), the heartbeat line of `cam2mqtt parse`, and the error
// object of `cam2mqtt parse`.
#include <string>

#include "model/device_record.h"
#include "model/parse_result.h"

namespace cam2mqtt::encode {

std::string encode_device(const model::DeviceRecord& rec);
// {"heartbeat": {name, ip, mac, serial, deviceNo, model, channel, deviceType}}
std::string encode_heartbeat(const model::DeviceIdentity& id);
// {"error": {"kind": ..., "message": ...}, "file": ...}
std::string encode_parse_error(const model::ParseError& err, const std::string& file);

} // namespace cam2mqtt::encode
