// NVR v2 alarmData (reference §3.5, routing §3.6). The body layout is chosen by the container
// present, smartType only names the detection:
//   licensePlateListInfo -> (b) LPR, faceListInfo -> (c) face, eventInfo/targetListInfo -> (a),
//   perimeter/tripwire/listInfo/vsd -> the v1 body decoder.
#include "parse/viewtron_decoders.h"

namespace cam2mqtt::parse {

namespace {

using model::Scale;

// (a) eventInfo[] (event id, boundary, zone, box) + targetListInfo[] (id, type, crop).
void read_event_layout(XmlElement root, model::Event& ev) {
  for (const auto& item : list_entries(root.child("targetListInfo"))) {
    model::Target t;
    t.id = item.child_text("targetId");
    set_target_type(t, item.child_text("targetType"));
    if (!ev.targetImage) {
      ev.targetImage = read_target_image(item.child("targetImageData"));
    }
    merge_target(ev.targets, std::move(t));
  }
  for (const auto& item : list_entries(root.child("eventInfo"))) {
    if (ev.eventId.empty()) {
      ev.eventId = item.child_text("eventId");
    }
    if (ev.boundary.empty()) {
      ev.boundary = item.child_text("boundary");
    }
    if (!ev.zone) {
      ev.zone = read_area(item.child("pointGroup"));
    }
    if (!ev.zone) {
      ev.zone = read_line(item.child("directionLine"));
    }
    model::Target t;
    t.id = item.child_text("targetId");
    t.box = read_box(item.child("rect"), Scale::normalized10000);
    merge_target(ev.targets, std::move(t));
  }
}

// (b) licensePlateListInfo[]: plate fields from the first item, boxes in pixels.
void read_plate_layout(XmlElement list, model::Event& ev) {
  bool first = true;
  for (const auto& item : list_entries(list)) {
    model::Target t;
    t.id = item.child_text("targetId");
    t.box = read_box(item.child("rect"), Scale::pixels);
    merge_target(ev.targets, std::move(t));
    if (!ev.targetImage) {
      ev.targetImage = read_target_image(item.child("targetImageData"));
    }
    if (!first) {
      continue;
    }
    first = false;
    const XmlElement plate = item.child("licensePlateAttribute");
    ev.plateNumber = plate.child_text("licensePlateNumber");
    ev.plateColor = plate.child_text("color");
    const XmlElement match = item.child("licensePlateMatchInfo");
    ev.plateGroup = match.child_text("groupName");
    ev.carOwner = match.child_text("carOwner");
    const XmlElement car = item.child("carAttribute");
    model::Vehicle v{car.child_text("carType"), car.child_text("color"), car.child_text("brand"),
                     car.child_text("model")};
    if (!v.type.empty() || !v.color.empty() || !v.brand.empty() || !v.model.empty()) {
      ev.vehicle = std::move(v);
    }
  }
}

// (c) faceListInfo[]: face attributes from the first item, boxes in pixels.
void read_face_layout(XmlElement list, model::Event& ev) {
  for (const auto& item : list_entries(list)) {
    model::Target t;
    t.id = item.child_text("targetId");
    t.box = read_box(item.child("rect"), Scale::pixels);
    merge_target(ev.targets, std::move(t));
    if (!ev.targetImage) {
      ev.targetImage = read_target_image(item.child("targetImageData"));
    }
    if (!ev.face) {
      model::Face f{item.child_text("age"), item.child_text("sex"), item.child_text("glasses"),
                    item.child_text("mask")};
      if (!f.age.empty() || !f.sex.empty() || !f.glasses.empty() || !f.mask.empty()) {
        ev.face = std::move(f);
      }
    }
  }
}

bool has_v1_body(XmlElement root) {
  return root.has("perimeter") || root.has("tripwire") || root.has("listInfo") || root.has("vsd");
}

} // namespace

model::ParseOutcome decode_v2_alarm_data(const Envelope& env) {
  const XmlElement root = env.root;
  model::Event ev = make_event(env);
  const std::string code = root.child_text("smartType");

  if (const XmlElement plates = root.child("licensePlateListInfo")) {
    apply_code(ev, code, describe_code(code.empty() ? std::string_view("vehicle") : code));
    read_plate_layout(plates, ev);
  } else if (const XmlElement faces = root.child("faceListInfo")) {
    apply_code(ev, code, describe_code(code.empty() ? std::string_view("videoFaceDetect") : code));
    read_face_layout(faces, ev);
  } else if (root.has("eventInfo") || root.has("targetListInfo")) {
    apply_code(ev, code, describe_code(code));
    read_event_layout(root, ev);
  } else if (has_v1_body(root)) {
    decode_v1_body(root, code, ev);
  } else if (code.empty()) {
    return util::unexpected(model::ParseError{"unknown_message", "alarmData without smartType or known body"});
  } else {
    apply_code(ev, code, describe_code(code)); // e.g. a new NVR code with images only
  }
  if (!ev.sourceImage) {
    ev.sourceImage = read_source_image(root.child("sourceDataInfo"));
  }
  return single_event_message(env, std::move(ev));
}

} // namespace cam2mqtt::parse
