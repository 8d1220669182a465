#include "app/camera_resolver.h"

namespace cam2mqtt::app {

std::string topic_level(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back((c == '/' || c == '+' || c == '#' || u < 0x20 || u == 0x7F) ? '_' : c);
  }
  if (out.empty()) {
    out = "unknown";
  }
  return out;
}

const config::CameraEntry* CameraResolver::find(std::string_view ip, std::string_view channel) const {
  const config::CameraEntry* any_channel = nullptr;
  for (const auto& e : m_cfg.list) {
    if (e.ip != ip) {
      continue;
    }
    if (!e.channel.empty() && e.channel == channel) {
      return &e;
    }
    if (e.channel.empty() && any_channel == nullptr) {
      any_channel = &e;
    }
  }
  return any_channel;
}

ResolvedCamera CameraResolver::resolve(const model::DeviceIdentity& id, std::string_view peer_ip) const {
  ResolvedCamera out;
  out.ip = id.ip.empty() ? std::string(peer_ip) : id.ip;
  const auto& channel = id.channelId;

  const config::CameraEntry* entry = find(out.ip, channel);
  if (entry == nullptr && out.ip != peer_ip) {
    entry = find(peer_ip, channel);
  }

  // An entry for one channel that sets its own id names that channel alone; everything else
  // keeps the "-ch<N>" suffix so two channels never share a topic.
  const bool exact_channel = entry != nullptr && !entry->channel.empty() && !entry->id.empty();
  std::string base = (entry != nullptr && !entry->id.empty()) ? entry->id : out.ip;
  out.key = topic_level(base);
  if (!channel.empty() && !exact_channel) {
    out.key += "-ch" + topic_level(channel);
  }
  out.name = (entry != nullptr && !entry->name.empty()) ? entry->name : id.name;
  return out;
}

} // namespace cam2mqtt::app
