#include "encode/event_json.h"

#include "encode/json_writer.h"
#include "encode/topics.h"
#include "util/base64.h"

// Written with the streaming JsonWriter rather than a DOM: this runs once per published event
// and a DOM costs a heap allocation per field (measured in bench/: ~2x the encode time).
// Field order is the payload order of docs/payload.md; the goldens pin it byte for byte.
namespace cam2mqtt::encode {

namespace {

void scale(JsonWriter& w, model::Scale s) {
  switch (s) {
  case model::Scale::normalized1:
    w.integer(1);
    return;
  case model::Scale::pixels:
    w.string("px");
    return;
  case model::Scale::normalized10000:
    break;
  }
  w.integer(10000);
}

void box(JsonWriter& w, const model::Box& b) {
  w.begin_object();
  w.key("x1").number(b.x1);
  w.key("y1").number(b.y1);
  w.key("x2").number(b.x2);
  w.key("y2").number(b.y2);
  scale(w.key("scale"), b.scale);
  w.end_object();
}

void zone(JsonWriter& w, const model::Zone& z) {
  w.begin_object();
  w.field("kind", z.kind == model::Zone::Kind::area ? "area" : "line");
  w.key("points").begin_array();
  for (const auto& p : z.points) {
    w.begin_object().key("x").number(p.x).key("y").number(p.y).end_object();
  }
  w.end_array();
  scale(w.key("scale"), z.scale);
  w.end_object();
}

void targets(JsonWriter& w, const std::vector<model::Target>& ts) {
  w.begin_array();
  for (const auto& t : ts) {
    w.begin_object();
    w.field("id", t.id).field("type", t.type).field("typeRaw", t.typeRaw);
    if (t.box) {
      box(w.key("box"), *t.box);
    }
    w.field_if("velocity", t.velocity).field_if("direction", t.direction);
    w.end_object();
  }
  w.end_array();
}

void put_identity(JsonWriter& w, const model::Event& ev, const Envelope& env) {
  w.field("cameraKey", env.cameraKey);
  w.field("cameraName", env.cameraName);
  w.field("cameraIp", env.cameraIp);
  w.field("peerIp", env.peerIp);
  w.field("cameraMac", ev.device.mac);
  w.field("channelId", ev.device.channelId);
  w.field_if("serialNumber", ev.device.serial);
}

void put_time(JsonWriter& w, const model::Event& ev, const Envelope& env) {
  w.field("timestamp", ev.timestamp);
  if (ev.deviceTime) {
    w.field("eventTime", util::format_iso8601_utc(*ev.deviceTime));
    w.field("eventTimeSource", "device");
  } else {
    w.field("eventTime", util::format_iso8601_utc(env.receivedAt));
    w.field("eventTimeSource", "receive");
  }
  w.field("receivedAt", util::format_iso8601_utc(env.receivedAt));
}

void put_detection(JsonWriter& w, const model::Event& ev) {
  w.field("eventId", ev.eventId);
  w.field("targetId", ev.targets.empty() ? std::string_view() : std::string_view(ev.targets.front().id));
  w.field("targetType", ev.targets.empty() ? std::string_view() : std::string_view(ev.targets.front().type));
  w.field_if("status", ev.status);
  w.field_if("boundary", ev.boundary);
  if (ev.active) {
    w.field("active", *ev.active);
  }
  if (ev.durationMs) {
    w.field_int("durationMs", *ev.durationMs);
  }
  w.field_if("endReason", ev.endReason);
  w.field_if("regionId", ev.regionId);
  w.field_if("regionName", ev.regionName);
  if (ev.retransmission) {
    w.field("retransmission", true);
  }
  if (ev.score) {
    w.key("score").number(*ev.score);
  }
  if (ev.count) {
    w.field_int("count", *ev.count);
  }
  if (!ev.targets.empty()) {
    targets(w.key("targets"), ev.targets);
  }
  if (ev.zone) {
    zone(w.key("zone"), *ev.zone);
  }
  w.field_if("direction", ev.direction);
  w.field_if("directionRaw", ev.directionRaw);
}

void put_category_fields(JsonWriter& w, const model::Event& ev) {
  using model::Category;
  if (ev.category == Category::lpr) {
    w.field("plateNumber", ev.plateNumber);
    w.field("plateColor", ev.plateColor);
    w.field("plateGroup", ev.plateGroup);
    w.field("carOwner", ev.carOwner);
    if (ev.confidence) {
      w.field_int("confidence", *ev.confidence);
    }
    w.key("vehicle");
    if (ev.vehicle) {
      w.begin_object()
          .field("type", ev.vehicle->type)
          .field("color", ev.vehicle->color)
          .field("brand", ev.vehicle->brand)
          .field("model", ev.vehicle->model)
          .end_object();
    } else {
      w.null();
    }
  }
  if (ev.category == Category::face) {
    w.key("face");
    if (ev.face) {
      w.begin_object()
          .field("age", ev.face->age)
          .field("sex", ev.face->sex)
          .field("glasses", ev.face->glasses)
          .field("mask", ev.face->mask)
          .end_object();
    } else {
      w.null();
    }
  }
  if (ev.category == Category::alarm) {
    w.field("alarmName", ev.alarmName);
    w.field("alarmId", ev.alarmId);
    w.field("relatedCategory", ev.relatedCategory);
  }
}

// Adds the mode's image fields; in split mode decodes each image once into `out`.
void put_images(JsonWriter& w, const model::Event& ev, const Envelope& env, model::ImageMode mode,
                std::vector<EncodedImage>& out) {
  w.field("hasImages", ev.sourceImage.has_value() || ev.targetImage.has_value());
  if (mode == model::ImageMode::base64) {
    if (ev.sourceImage) {
      w.field("sourceImage", ev.sourceImage->base64);
    }
    if (ev.targetImage) {
      w.field("targetImage", ev.targetImage->base64);
    }
    return;
  }
  if (mode != model::ImageMode::split) {
    return;
  }
  bool opened = false;
  const std::pair<const char*, const std::optional<model::Image>*> which[] = {
      {"source", &ev.sourceImage}, {"target", &ev.targetImage}};
  for (const auto& [name, image] : which) {
    if (!*image) {
      continue;
    }
    auto bytes = util::base64_decode((*image)->base64);
    if (!bytes) {
      continue; // parsers validate base64; this only guards against a parser bug
    }
    auto topic = image_topic(env.topicPrefix, env.cameraKey, ev.category, name);
    if (!opened) {
      w.key("images").begin_object();
      opened = true;
    }
    w.key(name).begin_object();
    w.field("topic", topic);
    w.field_int("bytes", static_cast<std::int64_t>(bytes->size()));
    w.field_int("width", (*image)->width);
    w.field_int("height", (*image)->height);
    w.end_object();
    out.push_back(EncodedImage{std::move(topic), std::move(*bytes)});
  }
  if (opened) {
    w.end_object();
  }
}

} // namespace

EncodedEvent encode_event(const model::Event& ev, const Envelope& env, model::ImageMode mode) {
  EncodedEvent out;
  out.topic = category_topic(env.topicPrefix, env.cameraKey, ev.category);

  std::size_t reserve = 1024;
  if (mode == model::ImageMode::base64) {
    reserve += (ev.sourceImage ? ev.sourceImage->base64.size() : 0) +
               (ev.targetImage ? ev.targetImage->base64.size() : 0);
  }
  JsonWriter w(reserve);
  w.begin_object();
  w.field("id", env.id);
  w.field("source", model::to_string(ev.source));
  w.field("deviceType", ev.device.deviceType);
  w.field("format", ev.format);
  w.field("configVersion", ev.configVersion);
  w.field("category", model::to_string(ev.category));
  w.field("eventType", ev.eventType);
  w.field("eventDescription", ev.eventDescription);
  w.field("subtype", ev.subtype);
  put_identity(w, ev, env);
  put_time(w, ev, env);
  put_detection(w, ev);
  put_category_fields(w, ev);
  put_images(w, ev, env, mode, out.images);
  w.end_object();

  out.json = std::move(w).take();
  return out;
}

} // namespace cam2mqtt::encode
