#include "parse/cvedia_decoder.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "parse/event_codes.h"
#include "util/base64.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

using nlohmann::json;
using model::Category;

struct Row {
  std::string_view name; // without "-end"
  Category category;
  std::string_view subtype;
  std::string_view description;
  bool paired; // has an -end
};

// §9 of the reference, plus the EX names (event-crowd, event-activity).
constexpr std::array<Row, 14> k_rows{{
    {"event-intrusion", Category::intrusion, "regionIntrusion", "Intrusion", true},
    {"event-line-crossing", Category::intrusion, "lineCrossing", "Line Crossing", false},
    {"event-area-enter", Category::intrusion, "regionEntry", "Area Enter", false},
    {"event-area-exit", Category::intrusion, "regionExit", "Area Exit", false},
    {"event-loitering", Category::intrusion, "loitering", "Loitering", true},
    {"event-tailgating", Category::intrusion, "tailgating", "Tailgating", false},
    {"event-dwelling", Category::intrusion, "dwelling", "Dwelling", false},
    {"event-count-changed", Category::counting, "lineCounting", "Count Changed", false},
    {"event-crowd-detection", Category::counting, "crowd", "Crowd Detection", false},
    {"event-crowd", Category::counting, "crowd", "Crowd Detection", false},
    {"event-armed-person", Category::other, "armedPerson", "Armed Person", true},
    {"event-fallen-person", Category::other, "fallenPerson", "Fallen Person", true},
    {"event-object-left-removed", Category::other, "objectLeftRemoved", "Object Left or Removed", false},
    {"event-activity", Category::other, "activity", "Activity", true},
}};

model::ParseError error(std::string kind, std::string message) {
  return {std::move(kind), std::move(message)};
}

std::string str(const json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const auto it = j.find(k);
    if (it == j.end() || it->is_null()) {
      continue;
    }
    if (it->is_string()) {
      return util::sanitize_utf8(it->get<std::string>());
    }
    if (it->is_number_integer()) {
      return std::to_string(it->get<std::int64_t>());
    }
    if (it->is_number()) {
      return it->dump();
    }
  }
  return "";
}

std::optional<double> num(const json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const auto it = j.find(k);
    if (it != j.end() && it->is_number()) {
      return it->get<double>();
    }
  }
  return std::nullopt;
}

double clamp01(double v) {
  return std::clamp(v, 0.0, 1.0);
}

// location {x, y, width, height}: normalised top-left box -> x1..y2 with scale 1.
std::optional<model::Box> location_box(const json& j) {
  const auto it = j.find("location");
  if (it == j.end() || !it->is_object()) {
    return std::nullopt;
  }
  const auto x = num(*it, {"x"});
  const auto y = num(*it, {"y"});
  const auto w = num(*it, {"width"});
  const auto h = num(*it, {"height"});
  if (!x || !y || !w || !h || (*x == 0 && *y == 0 && *w == 0 && *h == 0)) {
    return std::nullopt;
  }
  return model::Box{clamp01(*x), clamp01(*y), clamp01(*x + *w), clamp01(*y + *h), model::Scale::normalized1};
}

// The model's target types (PRODUCT.md): person, car, motorcycle, else the value as sent
// (lower-cased). A bicycle is none of them: it passes through as `bicycle` rather than being
// counted and announced as a motorcycle.
std::string canonical_class(const std::string& raw) {
  const auto lower = util::to_lower(raw);
  if (lower == "person" || lower == "people" || lower == "human") {
    return "person";
  }
  if (lower == "car" || lower == "vehicle") {
    return "car";
  }
  if (lower == "motorcycle" || lower == "motorbike") {
    return "motorcycle";
  }
  return lower;
}

void read_common(const json& j, model::Event& ev, const ParseContext& ctx) {
  ev.source = model::Source::cvedia;
  ev.format = "rt";
  ev.configVersion = str(j, {"$version"});
  ev.device.deviceType = "CVEDIA-RT";
  ev.device.model = "CVEDIA-RT";
  ev.device.manufacturer = "CVEDIA";
  ev.device.deviceNo = str(j, {"instance_id", "instanceId"});
  ev.eventId = str(j, {"event_id"});
  ev.timestamp = str(j, {"system_datetime"});
  if (const auto ms = num(j, {"system_timestamp"}); ms && *ms > 0) {
    if (ev.timestamp.empty()) {
      ev.timestamp = str(j, {"system_timestamp"});
    }
    const auto t = util::epoch_by_magnitude(static_cast<std::uint64_t>(*ms));
    if (t && util::plausible_device_time(*t, ctx.receivedAt)) {
      ev.deviceTime = t;
    }
  }
  model::Target t;
  t.id = str(j, {"ref_tracking_id", "tracking_id"});
  t.typeRaw = str(j, {"object_class", "class"});
  t.type = canonical_class(t.typeRaw);
  t.box = location_box(j);
  if (!t.id.empty() || !t.typeRaw.empty() || t.box) {
    ev.targets.push_back(std::move(t));
  }
  if (const auto c = num(j, {"detection_confidence", "confidence"}); c) {
    ev.score = clamp01(*c);
  }
  ev.regionId = str(j, {"area_id", "tripwire_id", "line_id", "zoneId", "zone_id"});
  ev.regionName = str(j, {"area_name", "tripwire_name", "line_name", "zone_name"});
  ev.directionRaw = str(j, {"crossing_direction", "direction"});
  ev.direction = ev.directionRaw;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Tolerant base64 (missing padding accepted, other junk refused) that must hold a JPEG.
std::optional<model::Image> crop_image(const json& j) {
  std::string text = str(j, {"image"});
  if (text.empty()) {
    return std::nullopt;
  }
  while (text.size() % 4 != 0) {
    text.push_back('=');
  }
  auto clean = util::base64_clean(text);
  if (!clean) {
    return std::nullopt;
  }
  const auto bytes = util::base64_decode(*clean);
  if (!bytes || bytes->size() < 3 || static_cast<unsigned char>((*bytes)[0]) != 0xFF ||
      static_cast<unsigned char>((*bytes)[1]) != 0xD8) {
    return std::nullopt;
  }
  return model::Image{std::move(*clean), 0, 0};
}

} // namespace

CvediaOutcome decode_cvedia_record(std::string_view name, std::string_view text, const ParseContext& ctx) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    return util::unexpected(error("not_json", "malformed JSON in record " + util::sanitize_utf8(name.substr(0, 48))));
  }
  if (!j.is_object()) {
    return util::unexpected(error("invalid_field", "record is not a JSON object"));
  }
  CvediaRecord rec;
  rec.name = std::string(name);
  if (rec.name.empty() || rec.name == "message") {
    rec.name = str(j, {"$id"});
  }
  const std::string lname = util::to_lower(rec.name);
  if (lname == "crop") {
    rec.kind = CvediaRecord::Kind::crop;
    rec.ref_event_id = str(j, {"ref_event_id"});
    rec.ref_tracking_id = str(j, {"ref_tracking_id"});
    rec.crop = crop_image(j);
    return rec;
  }
  if (lname == "track") {
    rec.kind = CvediaRecord::Kind::track;
    read_common(j, rec.event, ctx);
    rec.event.category = Category::traject;
    rec.event.eventType = rec.name;
    rec.event.eventDescription = "Track";
    return rec;
  }
  if (lname.rfind("event-", 0) != 0 || lname == "event-status-changed") {
    rec.kind = CvediaRecord::Kind::liveness; // statistics, attribute, status changes, unknown non-events
    return rec;
  }
  rec.kind = CvediaRecord::Kind::event;
  model::Event& ev = rec.event;
  read_common(j, ev, ctx);
  ev.eventType = rec.name;
  rec.end = ends_with(lname, "-end");
  const std::string base = rec.end ? lname.substr(0, lname.size() - 4) : lname;
  const Row* row = nullptr;
  for (const auto& r : k_rows) {
    if (r.name == base) {
      row = &r;
    }
  }
  if (row != nullptr) {
    ev.category = row->category;
    ev.subtype = std::string(row->subtype);
    ev.eventDescription = std::string(row->description) + (rec.end ? " End" : "");
  } else {
    ev.category = Category::other;
    ev.subtype = camel_case_code(base.substr(6));
    ev.eventDescription = "Unknown Event (" + rec.name + ")";
  }
  if (rec.end || (row != nullptr && row->paired)) {
    rec.start = !rec.end;
    ev.active = !rec.end;
  }
  if (rec.end) {
    if (const auto d = num(j, {"event_duration_ms"}); d && *d >= 0) {
      ev.durationMs = static_cast<std::int64_t>(*d);
    }
  }
  if (ev.category == Category::counting) {
    if (const auto c = num(j, {"count", "total", "value", "current_count"}); c) {
      ev.count = static_cast<std::int64_t>(*c);
    }
  }
  return rec;
}

std::vector<SseRecord> unwrap_cvedia_data(std::string_view name, std::string_view data) {
  std::vector<SseRecord> out;
  const auto trimmed = util::trim(data);
  if (trimmed.empty() || trimmed.front() != '[') {
    out.push_back(SseRecord{std::string(name), std::string(data), ""});
    return out;
  }
  json arr = json::parse(trimmed.begin(), trimmed.end(), nullptr, false);
  if (arr.is_discarded() || !arr.is_array()) {
    out.push_back(SseRecord{std::string(name), std::string(data), ""});
    return out;
  }
  for (const auto& item : arr) {
    if (!item.is_object()) {
      continue;
    }
    const std::string type = str(item, {"dataType", "type"});
    const auto obj = item.find("jsonObject") != item.end() ? item.find("jsonObject") : item.find("object");
    if (obj == item.end()) {
      continue;
    }
    out.push_back(SseRecord{type, obj->is_string() ? obj->get<std::string>() : obj->dump(), ""});
  }
  return out;
}

std::vector<model::ParseOutcome> parse_cvedia_payload(std::string_view body, const ParseContext& ctx) {
  std::vector<SseRecord> records;
  const auto trimmed = util::trim(body);
  if (!trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[')) {
    records = unwrap_cvedia_data("", trimmed);
  } else {
    SseParser sse;
    std::vector<SseRecord> raw;
    sse.feed(body, raw);
    for (auto& r : raw) {
      for (auto& u : unwrap_cvedia_data(r.event, r.data)) {
        records.push_back(std::move(u));
      }
    }
  }
  std::vector<CvediaRecord> decoded;
  std::vector<model::ParseOutcome> out;
  std::vector<std::size_t> slot; // index into out for each decoded event
  std::vector<CvediaRecord> crops;
  for (const auto& r : records) {
    auto rec = decode_cvedia_record(r.event, r.data, ctx);
    if (!rec) {
      out.push_back(util::unexpected(rec.error()));
      continue;
    }
    if (rec->kind == CvediaRecord::Kind::crop) {
      crops.push_back(std::move(*rec));
      continue;
    }
    model::Message msg;
    if (rec->kind == CvediaRecord::Kind::liveness) {
      msg.kind = model::Message::Kind::heartbeat;
      msg.device.deviceType = "CVEDIA-RT";
      msg.device.model = "CVEDIA-RT";
      msg.device.manufacturer = "CVEDIA";
    } else {
      msg.device = rec->event.device;
      msg.events.push_back(std::move(rec->event));
    }
    out.emplace_back(std::move(msg));
  }
  // Crops join their event by ref_event_id, in either order (first crop wins).
  for (auto& crop : crops) {
    if (!crop.crop || crop.ref_event_id.empty()) {
      continue;
    }
    for (auto& o : out) {
      if (o && !o->events.empty() && o->events.front().eventId == crop.ref_event_id && !o->events.front().targetImage) {
        o->events.front().targetImage = crop.crop;
        break;
      }
    }
  }
  return out;
}

} // namespace cam2mqtt::parse
