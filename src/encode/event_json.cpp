#include "encode/event_json.h"

#include "encode/json_util.h"
#include "encode/topics.h"
#include "util/base64.h"

namespace cam2mqtt::encode {

using detail::Json;

namespace {

void put_if(Json& j, const char* key, const std::string& value) {
  if (!value.empty()) {
    j[key] = value;
  }
}

Json targets_json(const std::vector<model::Target>& targets) {
  Json arr = Json::array();
  for (const auto& t : targets) {
    Json o;
    o["id"] = t.id;
    o["type"] = t.type;
    o["typeRaw"] = t.typeRaw;
    if (t.box) {
      o["box"] = detail::box_json(*t.box);
    }
    put_if(o, "velocity", t.velocity);
    put_if(o, "direction", t.direction);
    arr.push_back(std::move(o));
  }
  return arr;
}

void put_identity(Json& j, const model::Event& ev, const Envelope& env) {
  j["cameraKey"] = env.cameraKey;
  j["cameraName"] = env.cameraName;
  j["cameraIp"] = env.cameraIp;
  j["peerIp"] = env.peerIp;
  j["cameraMac"] = ev.device.mac;
  j["channelId"] = ev.device.channelId;
  put_if(j, "serialNumber", ev.device.serial);
}

void put_time(Json& j, const model::Event& ev, const Envelope& env) {
  j["timestamp"] = ev.timestamp;
  if (ev.deviceTime) {
    j["eventTime"] = util::format_iso8601_utc(*ev.deviceTime);
    j["eventTimeSource"] = "device";
  } else {
    j["eventTime"] = util::format_iso8601_utc(env.receivedAt);
    j["eventTimeSource"] = "receive";
  }
  j["receivedAt"] = util::format_iso8601_utc(env.receivedAt);
}

void put_detection(Json& j, const model::Event& ev) {
  j["eventId"] = ev.eventId;
  j["targetId"] = ev.targets.empty() ? std::string() : ev.targets.front().id;
  j["targetType"] = ev.targets.empty() ? std::string() : ev.targets.front().type;
  put_if(j, "status", ev.status);
  put_if(j, "boundary", ev.boundary);
  if (ev.active) {
    j["active"] = *ev.active;
  }
  if (ev.durationMs) {
    j["durationMs"] = *ev.durationMs;
  }
  put_if(j, "endReason", ev.endReason);
  put_if(j, "regionId", ev.regionId);
  put_if(j, "regionName", ev.regionName);
  if (ev.retransmission) {
    j["retransmission"] = true;
  }
  if (ev.score) {
    j["score"] = detail::number(*ev.score);
  }
  if (ev.count) {
    j["count"] = *ev.count;
  }
  if (!ev.targets.empty()) {
    j["targets"] = targets_json(ev.targets);
  }
  if (ev.zone) {
    j["zone"] = detail::zone_json(*ev.zone);
  }
  put_if(j, "direction", ev.direction);
  put_if(j, "directionRaw", ev.directionRaw);
}

void put_category_fields(Json& j, const model::Event& ev) {
  using model::Category;
  if (ev.category == Category::lpr) {
    j["plateNumber"] = ev.plateNumber;
    j["plateColor"] = ev.plateColor;
    j["plateGroup"] = ev.plateGroup;
    j["carOwner"] = ev.carOwner;
    if (ev.confidence) {
      j["confidence"] = *ev.confidence;
    }
    if (ev.vehicle) {
      j["vehicle"] = Json{{"type", ev.vehicle->type},
                          {"color", ev.vehicle->color},
                          {"brand", ev.vehicle->brand},
                          {"model", ev.vehicle->model}};
    } else {
      j["vehicle"] = nullptr;
    }
  }
  if (ev.category == Category::face) {
    if (ev.face) {
      j["face"] = Json{{"age", ev.face->age},
                       {"sex", ev.face->sex},
                       {"glasses", ev.face->glasses},
                       {"mask", ev.face->mask}};
    } else {
      j["face"] = nullptr;
    }
  }
  if (ev.category == Category::alarm) {
    j["alarmName"] = ev.alarmName;
    j["alarmId"] = ev.alarmId;
    j["relatedCategory"] = ev.relatedCategory;
  }
}

Json image_meta(const std::string& topic, std::size_t bytes, const model::Image& img) {
  return Json{{"topic", topic}, {"bytes", bytes}, {"width", img.width}, {"height", img.height}};
}

// Adds the mode's image fields; in split mode decodes each image once into `out`.
void put_images(Json& j, const model::Event& ev, const Envelope& env, model::ImageMode mode,
                std::vector<EncodedImage>& out) {
  j["hasImages"] = ev.sourceImage.has_value() || ev.targetImage.has_value();
  if (mode == model::ImageMode::base64) {
    if (ev.sourceImage) {
      j["sourceImage"] = ev.sourceImage->base64;
    }
    if (ev.targetImage) {
      j["targetImage"] = ev.targetImage->base64;
    }
    return;
  }
  if (mode != model::ImageMode::split) {
    return;
  }
  Json images = Json::object();
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
    images[name] = image_meta(topic, bytes->size(), **image);
    out.push_back(EncodedImage{std::move(topic), std::move(*bytes)});
  }
  if (!images.empty()) {
    j["images"] = std::move(images);
  }
}

} // namespace

EncodedEvent encode_event(const model::Event& ev, const Envelope& env, model::ImageMode mode) {
  EncodedEvent out;
  out.topic = category_topic(env.topicPrefix, env.cameraKey, ev.category);

  Json j;
  j["id"] = env.id;
  j["source"] = model::to_string(ev.source);
  j["deviceType"] = ev.device.deviceType;
  j["format"] = ev.format;
  j["configVersion"] = ev.configVersion;
  j["category"] = model::to_string(ev.category);
  j["eventType"] = ev.eventType;
  j["eventDescription"] = ev.eventDescription;
  j["subtype"] = ev.subtype;
  put_identity(j, ev, env);
  put_time(j, ev, env);
  put_detection(j, ev);
  put_category_fields(j, ev);
  put_images(j, ev, env, mode, out.images);

  out.json = detail::dump(j);
  return out;
}

} // namespace cam2mqtt::encode
