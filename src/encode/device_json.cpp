#include "encode/device_json.h"

#include "encode/json_util.h"

namespace cam2mqtt::encode {

using detail::Json;

namespace {
Json identity_json(const model::DeviceIdentity& id) {
  Json j;
  j["name"] = id.name;
  j["ip"] = id.ip;
  j["mac"] = id.mac;
  j["serial"] = id.serial;
  j["deviceNo"] = id.deviceNo;
  j["model"] = id.model;
  j["channel"] = id.channelId;
  j["deviceType"] = id.deviceType;
  return j;
}
} // namespace

std::string encode_device(const model::DeviceRecord& rec) {
  Json j = identity_json(rec.identity);
  j["name"] = rec.name;
  j["cameraKey"] = rec.cameraKey;
  j["peerIp"] = rec.peerIp;
  j["firstSeen"] = util::format_iso8601_utc(rec.firstSeen);
  j["lastSeen"] = util::format_iso8601_utc(rec.lastSeen);
  if (!rec.identity.manufacturer.empty()) {
    j["manufacturer"] = rec.identity.manufacturer; // outbound sources; Viewtron posts do not say
  }
  return detail::dump(j);
}

std::string encode_heartbeat(const model::DeviceIdentity& id) {
  return detail::dump(Json{{"heartbeat", identity_json(id)}});
}

std::string encode_parse_error(const model::ParseError& err, const std::string& file) {
  return detail::dump(Json{{"error", Json{{"kind", err.kind}, {"message", err.message}}}, {"file", file}});
}

} // namespace cam2mqtt::encode
