#include <catch2/catch.hpp>

#include "status/status_page.h"

using namespace cam2mqtt::status;

namespace {
bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

StatusView sample_view() {
  StatusView v;
  v.version = "0.1.0";
  v.now = "2026-11-22T23:00:00.000000Z";
  v.uptime_seconds = 12;
  v.mqtt_connected = true;
  v.mqtt_url = "tcp://127.0.0.1:1883";
  v.cameras_online = 1;
  CameraView cam;
  cam.name = "Driveway";
  cam.key = "driveway";
  cam.ip = "192.168.1.108";
  cam.online = true;
  cam.first_seen = "2026-11-22T22:00:00.000000Z";
  cam.last_seen = "2026-11-22T22:59:59.000000Z";
  cam.counts = {{"lpr", 3}, {"motion", 1}};
  cam.last = {{"lpr", "plate", "VEHICE", "ABC1234", "2026-11-22T22:59:59.000000Z", "/9j/AAAA", 128, 64}};
  v.cameras.push_back(cam);
  return v;
}
} // namespace

TEST_CASE("the page lists a camera with its identity, state, counts and last event thumbnail") {
  const auto html = render_status_page(sample_view());
  CHECK(contains(html, "<!DOCTYPE html>"));
  CHECK(contains(html, "<h2>Driveway<span class=\"state online\">online</span></h2>"));
  CHECK(contains(html, "<td>driveway</td>"));
  CHECK(contains(html, "<td>192.168.1.108</td>"));
  CHECK(contains(html, "<td>2026-11-22T22:00:00.000000Z</td>"));
  CHECK(contains(html, "<td>lpr 3, motion 1</td>"));
  CHECK(contains(html, "<div class=\"sum\">ABC1234</div>"));
  CHECK(contains(html, "src=\"data:image/jpeg;base64,/9j/AAAA\""));
  CHECK(contains(html, "<span class=\"ok\">connected</span>"));
}

TEST_CASE("the page refreshes itself, loads nothing external and allows no script") {
  auto v = sample_view();
  v.refresh_seconds = 7;
  const auto html = render_status_page(v);
  CHECK(contains(html, "<meta http-equiv=\"refresh\" content=\"7\">"));
  CHECK(contains(html, "default-src 'none'; img-src data:"));
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, "http://"));
  CHECK_FALSE(contains(html, "https://"));
}

TEST_CASE("everything a camera sent is escaped") {
  auto v = sample_view();
  auto& cam = v.cameras[0];
  cam.name = "<script>alert(1)</script>";
  cam.key = "k\"><img src=x>";
  cam.ip = "1.2.3.4'";
  cam.last[0].summary = "<b>PLATE</b>";
  cam.last[0].subtype = "a&b";
  cam.last[0].category = "lpr\"";
  cam.counts = {{"<i>", 1}};
  const auto html = render_status_page(v);
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, "<img src=x>"));
  CHECK_FALSE(contains(html, "<b>PLATE"));
  CHECK_FALSE(contains(html, "<i>"));
  CHECK(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(contains(html, "k&quot;&gt;&lt;img src=x&gt;"));
  CHECK(contains(html, "1.2.3.4&#39;"));
  CHECK(contains(html, "&lt;b&gt;PLATE&lt;/b&gt;"));
  CHECK(contains(html, "a&amp;b"));
  CHECK(contains(html, "alt=\"lpr&quot; target image\""));
}

TEST_CASE("an image that is not plain base64 is left out instead of breaking the attribute") {
  auto v = sample_view();
  v.cameras[0].last[0].image_base64 = "AAAA\" onerror=\"alert(1)";
  const auto html = render_status_page(v);
  CHECK_FALSE(contains(html, "onerror"));
  CHECK_FALSE(contains(html, "<img"));
}

TEST_CASE("a camera without a name shows its key; an empty page says how to start") {
  auto v = sample_view();
  v.cameras[0].name.clear();
  v.cameras[0].online = false;
  CHECK(contains(render_status_page(v), "<h2>driveway<span class=\"state offline\">offline</span></h2>"));
  v.cameras.clear();
  CHECK(contains(render_status_page(v), "No camera has posted yet"));
}
