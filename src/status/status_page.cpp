#include "status/status_page.h"

#include "status/html.h"

namespace cam2mqtt::status {

namespace {
// No scripts, no remote anything: images only from data: URIs, styles only inline.
constexpr const char* k_head_start = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
)";

constexpr const char* k_style = R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1d2330;background:#f4f6f9}
h1{font-size:1.4rem;margin:0 0 .3rem}
.bar{color:#4a5568;margin-bottom:1rem;font-size:.9rem}
.ok{color:#1f7a3a;font-weight:600}.bad{color:#b42318;font-weight:600}
.cam{background:#fff;border:1px solid #d9dee7;border-radius:8px;padding:1rem;margin-bottom:1rem}
.cam h2{font-size:1.1rem;margin:0 0 .4rem}
.state{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;margin-left:.5rem}
.online{background:#dcfce7;color:#166534}.offline{background:#fee2e2;color:#991b1b}
table{border-collapse:collapse;font-size:.9rem}
td,th{padding:.2rem .8rem .2rem 0;text-align:left;vertical-align:top}
th{color:#4a5568;font-weight:500}
.events{display:flex;flex-wrap:wrap;gap:.8rem;margin-top:.6rem}
.ev{border:1px solid #e5e9f0;border-radius:6px;padding:.5rem;min-width:10rem;font-size:.85rem}
.ev img{display:block;max-width:240px;max-height:160px;margin-top:.3rem;border-radius:4px}
.cat{font-weight:600}.sum{font-family:ui-monospace,monospace;font-size:1rem}
.muted{color:#6b7280}
</style>
</head>
)";

void cell(std::string& out, const char* label, const std::string& value) {
  out += "<tr><th>";
  out += label;
  out += "</th><td>";
  out += html_escape(value);
  out += "</td></tr>\n";
}

void render_event(std::string& out, const LastEventView& ev) {
  out += "<div class=\"ev\"><div class=\"cat\">";
  out += html_escape(ev.category);
  if (!ev.subtype.empty()) {
    out += " &middot; " + html_escape(ev.subtype);
  }
  out += "</div>\n";
  if (!ev.summary.empty()) {
    out += "<div class=\"sum\">" + html_escape(ev.summary) + "</div>\n";
  }
  out += "<div class=\"muted\">" + html_escape(ev.time) + "</div>\n";
  if (is_plain_base64(ev.image_base64)) {
    out += "<img class=\"thumb\" alt=\"";
    out += html_escape(ev.category + " target image");
    out += "\" src=\"data:image/jpeg;base64,";
    out += ev.image_base64;
    out += "\">\n";
  }
  out += "</div>\n";
}

void render_camera(std::string& out, const CameraView& cam) {
  out += "<section class=\"cam\">\n<h2>";
  out += html_escape(cam.name.empty() ? cam.key : cam.name);
  out += cam.online ? "<span class=\"state online\">online</span>" : "<span class=\"state offline\">offline</span>";
  out += "</h2>\n<table>\n";
  cell(out, "key", cam.key);
  cell(out, "IP", cam.ip);
  cell(out, "first seen", cam.first_seen);
  cell(out, "last seen", cam.last_seen);
  std::string counts;
  for (const auto& c : cam.counts) {
    if (!counts.empty()) {
      counts += ", ";
    }
    counts += c.category + " " + std::to_string(c.count);
  }
  cell(out, "events", counts.empty() ? "none yet" : counts);
  out += "</table>\n";
  if (!cam.last.empty()) {
    out += "<div class=\"events\">\n";
    for (const auto& ev : cam.last) {
      render_event(out, ev);
    }
    out += "</div>\n";
  }
  out += "</section>\n";
}
} // namespace

std::string render_status_page(const StatusView& view) {
  std::string out = k_head_start;
  out += "<meta http-equiv=\"refresh\" content=\"" + std::to_string(view.refresh_seconds) + "\">\n";
  out += "<title>cam2mqtt</title>\n";
  out += k_style;
  out += "<body>\n<h1>cam2mqtt</h1>\n<div class=\"bar\">version " + html_escape(view.version);
  out += " &middot; up " + std::to_string(view.uptime_seconds) + " s &middot; MQTT ";
  out += view.mqtt_connected ? "<span class=\"ok\">connected</span>" : "<span class=\"bad\">disconnected</span>";
  out += " (" + html_escape(view.mqtt_url) + ") &middot; buffered " + std::to_string(view.buffered);
  out += " &middot; dropped " + std::to_string(view.dropped);
  out += " &middot; cameras online " + std::to_string(view.cameras_online) + "/" + std::to_string(view.cameras.size());
  out += " &middot; " + html_escape(view.now);
  out += " &middot; <a href=\"/metrics\">metrics</a> &middot; <a href=\"/healthz\">health</a></div>\n";
  if (view.cameras.empty()) {
    out += "<p class=\"muted\">No camera has posted yet. Point a camera's HTTP Post at this port.</p>\n";
  }
  for (const auto& cam : view.cameras) {
    render_camera(out, cam);
  }
  out += "</body>\n</html>\n";
  return out;
}

} // namespace cam2mqtt::status
