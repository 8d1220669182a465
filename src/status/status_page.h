#pragma once
// The status page at GET /: one self-contained HTML document (inline CSS, images as data:
// URIs, no scripts, no external assets, so it works on an offline LAN). It reloads itself
// with <meta http-equiv="refresh">. Every string that came from a camera is HTML-escaped and
// only ever placed in element content or quoted attributes; a Content-Security-Policy meta
// tag forbids scripts altogether as a second line of defence.
#include <cstdint>
#include <string>
#include <vector>

namespace cam2mqtt::status {

struct LastEventView {
  std::string category;
  std::string subtype;
  std::string event_type;
  std::string summary;       // e.g. the plate number, the alarm name; may be ""
  std::string time;          // ISO-8601 receive time
  std::string image_base64;  // JPEG, base64; "" = no thumbnail
  int image_width = 0;       // as reported; 0 = unknown
  int image_height = 0;
};

struct CategoryCount {
  std::string category;
  std::uint64_t count = 0;
};

struct CameraView {
  std::string name;
  std::string key;
  std::string ip;
  bool online = false;
  std::string first_seen; // ISO-8601
  std::string last_seen;
  std::vector<CategoryCount> counts;   // events by category
  std::vector<LastEventView> last;     // the last event of each category, newest first
};

struct StatusView {
  std::string version;
  std::string now;        // ISO-8601, when the page was rendered
  std::uint64_t uptime_seconds = 0;
  bool mqtt_connected = false;
  std::string mqtt_url;   // as configured (never holds credentials: config rejects them in URLs)
  std::uint64_t buffered = 0;
  std::uint64_t dropped = 0;
  std::uint64_t cameras_online = 0;
  int refresh_seconds = 10;
  std::vector<CameraView> cameras;
};

std::string render_status_page(const StatusView& view);

} // namespace cam2mqtt::status
