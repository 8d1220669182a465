#include "ha/ids.h"

#include <cctype>

namespace cam2mqtt::ha {

namespace {
bool id_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_' || c == '-';
}

std::string mac_hex(std::string_view mac) {
  std::string out;
  for (char c : mac) {
    if (c != ':') {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}
} // namespace

std::string sanitize_id(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out.push_back(id_char(c) && static_cast<unsigned char>(c) < 0x80 ? c : '_');
  }
  return out.empty() ? "unknown" : out;
}

std::string snake_case(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isupper(u) != 0) {
      if (!out.empty() && out.back() != '_') {
        out.push_back('_');
      }
      out.push_back(static_cast<char>(std::tolower(u)));
    } else {
      out.push_back(c);
    }
  }
  return sanitize_id(out);
}

std::string sentence_case(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    const auto u = static_cast<unsigned char>(c);
    if (out.empty()) {
      out.push_back(static_cast<char>(std::toupper(u)));
    } else if (std::isupper(u) != 0) {
      out.push_back(' ');
      out.push_back(static_cast<char>(std::tolower(u)));
    } else {
      out.push_back(c == '_' ? ' ' : c);
    }
  }
  return out;
}

std::string node_id(std::string_view camera_key) {
  return "cam2mqtt_" + sanitize_id(camera_key);
}

std::string unique_id(std::string_view camera_key, std::string_view entity_key) {
  return node_id(camera_key) + "_" + std::string(entity_key);
}

bool is_nvr_channel(const model::DeviceRecord& rec) {
  return !rec.identity.channelId.empty();
}

std::string hardware_device_id(const model::DeviceRecord& rec) {
  std::string id;
  if (!rec.identity.mac.empty()) {
    id = "cam2mqtt_vt_" + sanitize_id(mac_hex(rec.identity.mac));
  } else if (!rec.identity.serial.empty()) {
    id = "cam2mqtt_vt_sn_" + sanitize_id(rec.identity.serial);
  } else {
    return "";
  }
  if (is_nvr_channel(rec)) {
    id += "_ch" + sanitize_id(rec.identity.channelId);
  }
  return id;
}

std::string key_device_id(std::string_view camera_key) {
  return node_id(camera_key);
}

std::string nvr_device_id(const model::DeviceRecord& rec) {
  if (!rec.identity.mac.empty()) {
    return "cam2mqtt_vt_" + sanitize_id(mac_hex(rec.identity.mac));
  }
  if (!rec.identity.serial.empty()) {
    return "cam2mqtt_vt_sn_" + sanitize_id(rec.identity.serial);
  }
  return "cam2mqtt_nvr_" + sanitize_id(rec.identity.ip.empty() ? rec.peerIp : rec.identity.ip);
}

} // namespace cam2mqtt::ha
