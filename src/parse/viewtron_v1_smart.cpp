// IPC v1 smart events (reference §3.3): PEA perimeter/tripwire, LOITER, PVD, AOI entry/exit,
// counting, VFD, VEHICE/VEHICLE, VSD and any other smartType. All coordinates 0-10000.
#include <cmath>

#include "parse/viewtron_decoders.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

using model::Scale;

model::Target target_from(XmlElement item) {
  model::Target t;
  t.id = item.child_text("targetId");
  set_target_type(t, item.at({"targetImageData", "targetType"}).text());
  t.box = read_box(item.child("rect"), Scale::normalized10000);
  return t;
}

// perimeter/perInfo[] or tripwire/tripInfo[]: event id, target, status, zone per item.
void read_rule_items(XmlElement list, bool tripwire, model::Event& ev) {
  for (const auto& item : list_entries(list)) {
    if (ev.eventId.empty()) {
      ev.eventId = item.child_text("eventId");
    }
    if (ev.status.empty()) {
      ev.status = item.child_text("status");
    }
    if (!ev.zone) {
      ev.zone = tripwire ? read_line(item) : read_area(item.child("boundary"));
    }
    merge_target(ev.targets, target_from(item));
  }
  if (ev.boundary.empty()) {
    ev.boundary = tripwire ? "tripwire" : "area";
  }
}

// listInfo[] of non-LPR posts: one target per item, the first valid crop is the target image.
void read_list_targets(XmlElement list, model::Event& ev) {
  for (const auto& item : list_entries(list)) {
    if (!ev.targetImage) {
      ev.targetImage = read_target_image(item.child("targetImageData"));
    }
    merge_target(ev.targets, target_from(item));
  }
}

// PlateConfidence: the text (99, or 0.99) or, per Node 1.1, a count attribute scaled x100.
std::optional<int> read_confidence(XmlElement e) {
  if (!e) {
    return std::nullopt;
  }
  std::optional<double> value;
  const std::string text = e.text();
  if (auto v = util::parse_number(text)) {
    value = (*v <= 1.0 && text.find('.') != std::string::npos) ? *v * 100.0 : *v;
  } else if (auto c = util::parse_number(e.attr("count"))) {
    value = *c / 100.0;
  }
  if (!value || *value < 0 || *value > 100) {
    return std::nullopt;
  }
  return static_cast<int>(std::lround(*value));
}

std::string map_direction(std::string_view raw) {
  if (util::iequals(raw, "approach")) {
    return "approach";
  }
  if (util::iequals(raw, "leave") || util::iequals(raw, "away")) {
    return "away";
  }
  return std::string(raw);
}

// VEHICE/VEHICLE listInfo: the item with plateNumber is the plate; in a longer list the
// first item without one is the full-scene overview (§3.3, §8.9).
void read_lpr_list(XmlElement list, model::Event& ev) {
  const auto items = list_entries(list);
  XmlElement plate;
  for (const auto& item : items) {
    if (item.has("plateNumber")) {
      plate = item;
      break;
    }
  }
  if (!plate) {
    read_list_targets(list, ev);
    return;
  }
  if (items.size() >= 2 && !ev.sourceImage) {
    for (const auto& item : items) {
      if (!item.has("plateNumber")) {
        ev.sourceImage = read_target_image(item.child("targetImageData"));
        break;
      }
    }
  }
  ev.plateNumber = plate.child_text("plateNumber");
  ev.plateGroup = plate.child_text("vehicleListType");
  ev.plateColor = plate.child_text("plateColor");
  ev.confidence = read_confidence(plate.child("PlateConfidence"));
  ev.directionRaw = plate.child_text("vehicleDirect");
  ev.direction = map_direction(ev.directionRaw);
  ev.targetImage = read_target_image(plate.child("targetImageData"));
  merge_target(ev.targets, target_from(plate));
}

// VSD: images (and the target type) wrapped in vsd/.
void read_vsd(XmlElement vsd, model::Event& ev) {
  if (!ev.sourceImage) {
    ev.sourceImage = read_source_image(vsd.child("sourceDataInfo"));
  }
  const XmlElement crop = vsd.child("targetImageData");
  if (!ev.targetImage) {
    ev.targetImage = read_target_image(crop);
  }
  std::string type = crop.child_text("targetType");
  if (!type.empty()) {
    model::Target t;
    set_target_type(t, std::move(type));
    ev.targets.push_back(std::move(t));
  }
}

} // namespace

void decode_v1_body(XmlElement root, std::string_view code, model::Event& ev) {
  const XmlElement perimeter = root.child("perimeter");
  const XmlElement tripwire = root.child("tripwire");
  apply_code(ev, code, describe_code(code, !perimeter && tripwire));

  // Top-level sourceDataInfo is the preferred overview (LPR included, as the Node SDK does).
  ev.sourceImage = read_source_image(root.child("sourceDataInfo"));
  if (perimeter) {
    read_rule_items(perimeter.child("perInfo"), false, ev);
  }
  if (tripwire) {
    read_rule_items(tripwire.child("tripInfo"), true, ev);
  }
  if (const XmlElement list = root.child("listInfo")) {
    if (ev.category == model::Category::lpr) {
      read_lpr_list(list, ev);
    } else {
      read_list_targets(list, ev);
    }
  }
  if (const XmlElement vsd = root.child("vsd")) {
    read_vsd(vsd, ev);
  }
}

model::ParseOutcome decode_v1_smart(const Envelope& env) {
  model::Event ev = make_event(env);
  decode_v1_body(env.root, env.root.child_text("smartType"), ev);
  return single_event_message(env, std::move(ev));
}

} // namespace cam2mqtt::parse
