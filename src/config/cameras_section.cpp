// cameras: availability timing and the list of known cameras (ip -> name, id, channel).
#include <map>
#include <utility>

#include "config/network_syntax.h"
#include "config/sections.h"
#include "config/topic_syntax.h"

namespace cam2mqtt::config {
namespace {

// "bridge" would put a camera's topics beside P/bridge/state.
constexpr std::string_view k_reserved_id = "bridge";

std::string check_camera_id(const std::string& text) {
  if (std::string problem = check_topic_level(text); !problem.empty()) {
    return problem;
  }
  return text == k_reserved_id ? "\"bridge\" is reserved for cam2mqtt's own topics" : "";
}

// Reads one list entry; returns false when it has problems (already reported).
bool read_camera(MapReader& r, CameraEntry& camera) {
  bool ok = true;
  r.require("ip");
  const bool ip_ok = r.string("ip", camera.ip, [](const std::string& text) {
    return canonical_ip(text) ? std::string() : "expected an IPv4 or IPv6 address, got \"" + text + "\"";
  });
  if (ip_ok) {
    camera.ip = *canonical_ip(camera.ip); // "FE80::01" matches a reported "fe80::1"
  }
  ok = ip_ok;
  r.string("name", camera.name);
  if (r.has("id")) {
    ok = r.string("id", camera.id, check_camera_id) && ok;
  }
  std::int64_t channel = 0;
  if (r.has("channel")) {
    if (r.integer("channel", channel, 1, 65535)) {
      camera.channel = std::to_string(channel);
    } else {
      ok = false;
    }
  }
  return ok;
}

} // namespace

void read_cameras(MapReader& r, const LoadContext& /*ctx*/, Config& cfg) {
  CamerasConfig& cameras = cfg.cameras;
  r.duration("offline_after", cameras.offline_after, Seconds(1));

  std::map<std::string, int> line_of_id;
  std::map<std::pair<std::string, std::string>, int> line_of_address;
  for (MapReader& entry : r.map_list("list")) {
    CameraEntry camera;
    const bool ok = read_camera(entry, camera);
    entry.finish();
    if (!ok) {
      continue;
    }
    const int line = entry.mark().line + 1;
    if (!camera.id.empty()) {
      const auto [it, fresh] = line_of_id.emplace(camera.id, line);
      if (!fresh) {
        entry.error("id", "duplicate camera id \"" + camera.id + "\" (first at line " + std::to_string(it->second) + ")");
      }
    }
    const auto [it, fresh] = line_of_address.emplace(std::make_pair(camera.ip, camera.channel), line);
    if (!fresh) {
      const std::string channel = camera.channel.empty() ? "" : " channel " + camera.channel;
      entry.error("ip", "duplicate camera " + camera.ip + channel + " (first at line " + std::to_string(it->second) + ")");
    }
    cameras.list.push_back(std::move(camera));
  }
}

} // namespace cam2mqtt::config
