#include "parse/viewtron_fields.h"

#include <algorithm>
#include <limits>

#include "util/base64.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

model::Event make_event(const Envelope& env) {
  model::Event ev;
  ev.source = model::Source::viewtron;
  ev.format = env.format;
  ev.configVersion = env.configVersion;
  ev.device = env.device;
  read_epoch_time(env.root.child("currentTime"), ev, env.receivedAt);
  return ev;
}

void apply_code(model::Event& ev, std::string_view code, const CodeInfo& info) {
  ev.eventType = std::string(code);
  ev.category = info.category;
  ev.subtype = info.subtype;
  ev.eventDescription = info.description;
}

std::vector<XmlElement> list_entries(XmlElement list) {
  auto items = list.items();
  if (items.empty() && !list.children().empty()) {
    items.push_back(list);
  }
  return items;
}

std::optional<model::Box> read_box(XmlElement rect, model::Scale scale) {
  if (!rect) {
    return std::nullopt;
  }
  const auto x1 = util::parse_number(rect.child_text("x1"));
  const auto y1 = util::parse_number(rect.child_text("y1"));
  const auto x2 = util::parse_number(rect.child_text("x2"));
  const auto y2 = util::parse_number(rect.child_text("y2"));
  if (!x1 || !y1 || !x2 || !y2) {
    return std::nullopt;
  }
  if (*x1 == 0 && *y1 == 0 && *x2 == 0 && *y2 == 0) {
    return std::nullopt;
  }
  return model::Box{*x1, *y1, *x2, *y2, scale};
}

std::optional<model::Point> read_point(XmlElement p) {
  if (!p) {
    return std::nullopt;
  }
  const auto x = util::parse_number(p.child_text("x"));
  const auto y = util::parse_number(p.child_text("y"));
  if (!x || !y) {
    return std::nullopt;
  }
  return model::Point{*x, *y};
}

std::optional<model::Zone> read_area(XmlElement container) {
  if (!container) {
    return std::nullopt;
  }
  auto entries = container.items();
  if (entries.empty()) {
    for (const auto& c : container.children()) {
      if (c.is("point")) {
        entries.push_back(c);
      }
    }
  }
  model::Zone zone;
  zone.kind = model::Zone::Kind::area;
  for (const auto& entry : entries) {
    const XmlElement wrapped = entry.child("point");
    if (auto p = read_point(wrapped ? wrapped : entry)) {
      zone.points.push_back(*p);
    }
  }
  if (zone.points.empty()) {
    return std::nullopt;
  }
  return zone;
}

std::optional<model::Zone> read_line(XmlElement holder) {
  if (!holder) {
    return std::nullopt;
  }
  for (std::string_view name : {"line", "lineInfo", "directionLine"}) {
    if (XmlElement inner = holder.child(name)) {
      if (auto zone = read_line(inner)) {
        return zone;
      }
    }
  }
  const auto start = read_point(holder.child("startPoint"));
  const auto end = read_point(holder.child("endPoint"));
  if (!start || !end) {
    return std::nullopt;
  }
  model::Zone zone;
  zone.kind = model::Zone::Kind::line;
  zone.points = {*start, *end};
  return zone;
}

namespace {

int read_dimension(XmlElement block, std::string_view name) {
  const auto v = util::parse_u64(block.child_text(name));
  if (!v) {
    return 0;
  }
  return static_cast<int>(std::min<std::uint64_t>(*v, std::numeric_limits<int>::max()));
}

// The example files carry BASE64_JPEG_* placeholders (the Node SDK drops "BASE64..." too).
bool is_placeholder(std::string_view text) noexcept {
  return text.empty() || util::starts_with_icase(text, "BASE64");
}

bool is_image_data(XmlElement e) noexcept {
  // Runs on every element of every post (count_invalid_images): one name() and a length check
  // before the two case-insensitive compares.
  const std::string_view name = e.name();
  return name.size() == 16 && (util::iequals(name, "sourceBase64Data") || util::iequals(name, "targetBase64Data"));
}
} // namespace

std::optional<model::Image> read_image(XmlElement block, std::string_view data_name) {
  const XmlElement data = block.child(data_name);
  if (!data) {
    return std::nullopt;
  }
  std::string scratch;
  const std::string_view text = util::trim(data.raw_text(scratch));
  if (is_placeholder(text)) {
    return std::nullopt;
  }
  model::Image image;
  if (data.text_is_checked_base64() || util::is_compact_base64(text)) {
    image.base64.assign(text);
  } else {
    auto cleaned = util::base64_clean(text);
    if (!cleaned || cleaned->empty()) {
      return std::nullopt; // reported by count_invalid_images
    }
    image.base64 = std::move(*cleaned);
  }
  image.width = read_dimension(block, "width");
  image.height = read_dimension(block, "height");
  return image;
}

std::size_t count_invalid_images(XmlElement root) {
  std::size_t invalid = 0;
  std::vector<XmlElement> stack{root};
  std::string scratch;
  while (!stack.empty()) {
    const XmlElement e = stack.back();
    stack.pop_back();
    if (is_image_data(e)) {
      scratch.clear();
      const std::string_view text = util::trim(e.raw_text(scratch));
      if (!is_placeholder(text) && !e.text_is_checked_base64() && !util::is_compact_base64(text)) {
        const auto cleaned = util::base64_clean(text);
        invalid += (!cleaned || cleaned->empty()) ? 1 : 0;
      }
      continue;
    }
    for (XmlElement c = e.first_child(); c; c = c.next_sibling()) {
      stack.push_back(c);
    }
  }
  return invalid;
}

std::string canonical_target_type(std::string_view raw) {
  raw = util::trim(raw);
  if (raw == "1" || util::iequals(raw, "person")) {
    return "person";
  }
  if (raw == "2" || util::iequals(raw, "car")) {
    return "car";
  }
  if (raw == "4" || util::iequals(raw, "motor") || util::iequals(raw, "motorcycle")) {
    return "motorcycle";
  }
  return std::string(raw);
}

void set_target_type(model::Target& t, std::string raw) {
  t.type = canonical_target_type(raw);
  t.typeRaw = std::move(raw);
}

void merge_target(std::vector<model::Target>& targets, model::Target t) {
  if (t.id.empty() && t.typeRaw.empty() && !t.box) {
    return; // nothing to say about this target
  }
  if (!t.id.empty()) {
    for (auto& existing : targets) {
      if (existing.id != t.id) {
        continue;
      }
      if (existing.typeRaw.empty()) {
        existing.type = std::move(t.type);
        existing.typeRaw = std::move(t.typeRaw);
      }
      if (!existing.box) {
        existing.box = t.box;
      }
      return;
    }
  }
  targets.push_back(std::move(t));
}

namespace {
void fill(std::string& field, XmlElement container, std::initializer_list<std::string_view> names) {
  if (!field.empty()) {
    return;
  }
  for (auto name : names) {
    std::string value = container.child_text(name);
    if (!value.empty()) {
      field = std::move(value);
      return;
    }
  }
}
} // namespace

void read_identity(XmlElement container, model::DeviceIdentity& id) {
  if (!container) {
    return;
  }
  fill(id.name, container, {"deviceName"});
  fill(id.ip, container, {"ip", "ipAddress"});
  fill(id.macRaw, container, {"mac", "macAddress"});
  fill(id.serial, container, {"sn"});
  fill(id.deviceNo, container, {"deviceNo."});
  fill(id.channelId, container, {"channelId"});
}

void finish_identity(model::DeviceIdentity& id) {
  id.mac = util::normalize_mac(id.macRaw).value_or(std::string());
}

namespace {
void set_device_time(std::optional<util::SysMicros> t, model::Event& ev, util::SysMicros received_at) {
  if (t && util::plausible_device_time(*t, received_at)) {
    ev.deviceTime = t;
  } else {
    ev.deviceTime.reset();
  }
}
} // namespace

void read_epoch_time(XmlElement current_time, model::Event& ev, util::SysMicros received_at) {
  if (!current_time) {
    return;
  }
  ev.timestamp = current_time.text();
  const auto value = util::parse_u64(ev.timestamp);
  set_device_time(value ? util::epoch_by_magnitude(*value) : std::nullopt, ev, received_at);
}

void read_local_time(XmlElement data_time, model::Event& ev, util::SysMicros received_at) {
  if (!data_time) {
    return;
  }
  ev.timestamp = data_time.text();
  set_device_time(util::parse_local_datetime(ev.timestamp), ev, received_at);
}

} // namespace cam2mqtt::parse
