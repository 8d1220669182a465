#include <catch2/catch.hpp>

#include "app/status_tracker.h"

using namespace cam2mqtt;
using app::StatusTracker;

namespace {
encode::Envelope envelope(const std::string& camera, std::int64_t t) {
  encode::Envelope env;
  env.cameraKey = camera;
  env.receivedAt = util::SysMicros(std::chrono::microseconds(t));
  return env;
}

model::Event plate(const std::string& number, const std::string& image) {
  model::Event ev;
  ev.category = model::Category::lpr;
  ev.subtype = "plate";
  ev.eventType = "VEHICE";
  ev.plateNumber = number;
  if (!image.empty()) {
    ev.targetImage = model::Image{image, 128, 64};
  }
  return ev;
}
} // namespace

TEST_CASE("counts per category and keeps the last event of each with its target image") {
  StatusTracker t;
  t.on_event(plate("AAA111", "QUFB"), envelope("drive", 1), "{}");
  t.on_event(plate("BBB222", "QkJC"), envelope("drive", 2), "{}");
  model::Event motion;
  motion.category = model::Category::motion;
  motion.eventDescription = "Motion Detection";
  motion.sourceImage = model::Image{"U1NT", 0, 0};
  t.on_event(motion, envelope("drive", 3), "{}");

  const auto& cam = t.cameras().at("drive");
  CHECK(cam.counts.at("lpr") == 2);
  CHECK(cam.counts.at("motion") == 1);
  CHECK(cam.last.at("lpr").summary == "BBB222");
  CHECK(cam.last.at("lpr").image_base64 == "QkJC");
  CHECK(cam.last.at("lpr").image_width == 128);
  CHECK(cam.last.at("motion").summary == "Motion Detection");
  CHECK(cam.last.at("motion").image_base64 == "U1NT"); // no target image: the source image
  CHECK(t.image_bytes() == 8);
}

TEST_CASE("summary: plate, else alarm name with state, else description") {
  model::Event ev;
  ev.eventDescription = "desc";
  CHECK(app::event_summary(ev) == "desc");
  ev.alarmName = "perimeterAlarm";
  CHECK(app::event_summary(ev) == "perimeterAlarm");
  ev.active = false;
  CHECK(app::event_summary(ev) == "perimeterAlarm off");
  ev.plateNumber = "X1";
  CHECK(app::event_summary(ev) == "X1");
}

TEST_CASE("memory stays bounded: cameras, image size and total image bytes") {
  StatusTracker t(StatusTracker::Limits{2, 8, 12});
  t.on_event(plate("A", "AAAAAAAA"), envelope("c1", 1), "{}");  // 8 bytes, kept
  t.on_event(plate("B", "BBBBBBBBBBBB"), envelope("c2", 2), "{}"); // 12 > 8: text only
  CHECK(t.cameras().at("c2").last.at("lpr").image_base64.empty());
  CHECK(t.cameras().at("c2").last.at("lpr").summary == "B");
  CHECK(t.image_bytes() == 8);

  model::Event face;
  face.category = model::Category::face;
  face.targetImage = model::Image{"CCCCCCCC", 0, 0};
  t.on_event(face, envelope("c2", 3), "{}"); // 8 + 8 > 12: the oldest thumbnail (c1) goes
  CHECK(t.cameras().at("c1").last.at("lpr").image_base64.empty());
  CHECK(t.cameras().at("c1").last.at("lpr").summary == "A");
  CHECK(t.cameras().at("c2").last.at("face").image_base64 == "CCCCCCCC");
  CHECK(t.image_bytes() == 8);

  t.on_event(plate("D", "DDDD"), envelope("c3", 4), "{}"); // a third camera is not tracked
  CHECK(t.cameras().count("c3") == 0);
  CHECK(t.untracked_events() == 1);

  t.on_event(plate("E", ""), envelope("c2", 5), "{}"); // replacing keeps the byte count right
  t.on_event(face, envelope("c2", 6), "{}");
  CHECK(t.image_bytes() == 8);
}
