#pragma once
// Readers shared by the Viewtron decoders: boxes, points, zones, images, targets, device
// identity, device time, and the Envelope the classifier hands to each decoder.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/event.h"
#include "parse/event_codes.h"
#include "parse/xml_element.h"
#include "util/time_format.h"

namespace cam2mqtt::parse {

// What the classifier (viewtron_parser.cpp) learned about a post before decoding its body.
struct Envelope {
  XmlElement root;
  std::string format;        // "v1" | "v2"
  std::string configVersion; // @version
  model::DeviceIdentity device;
  util::SysMicros receivedAt;
};

// An Event with source, format, version, device identity and currentTime filled in.
model::Event make_event(const Envelope& env);
// Sets category, eventType (the code as sent), subtype and description.
void apply_code(model::Event& ev, std::string_view code, const CodeInfo& info);

// A list container's entries: its real `item` children; a container holding fields directly
// (no `item`) counts as one entry; an empty container has none.
std::vector<XmlElement> list_entries(XmlElement list);

// rect/{x1,y1,x2,y2}; nullopt when missing, non-numeric or all zero.
std::optional<model::Box> read_box(XmlElement rect, model::Scale scale);
// {x,y} children; nullopt when missing or non-numeric.
std::optional<model::Point> read_point(XmlElement p);
// Polygon: list entries that are points themselves (pointGroup) or wrap one (boundary/item/point).
std::optional<model::Zone> read_area(XmlElement container);
// Line from line/, lineInfo/, directionLine/ or startPoint/endPoint directly in `holder`.
std::optional<model::Zone> read_line(XmlElement holder);

// Image block (sourceDataInfo / targetImageData): `data_name` holds the base64, width/height
// (any case) the size. Placeholders and invalid base64 -> nullopt. The base64 text is copied
// once, stripped of whitespace, and not decoded.
std::optional<model::Image> read_image(XmlElement block, std::string_view data_name);
// Image data elements (sourceBase64Data / targetBase64Data) anywhere under `root` whose text
// is neither empty, a placeholder nor valid base64: read_image drops those images, and the
// parser reports them as a non-fatal "invalid_image" warning.
std::size_t count_invalid_images(XmlElement root);
inline std::optional<model::Image> read_source_image(XmlElement block) {
  return read_image(block, "sourceBase64Data");
}
inline std::optional<model::Image> read_target_image(XmlElement block) {
  return read_image(block, "targetBase64Data");
}

// 1/2/4 and person/car/motor -> person/car/motorcycle; anything else passes through raw.
std::string canonical_target_type(std::string_view raw);
void set_target_type(model::Target& t, std::string raw);
// Adds `t` to `targets`, or completes the existing target with the same non-empty id.
// A target without id, type or box is not added.
void merge_target(std::vector<model::Target>& targets, model::Target t);

// Fills the identity fields still empty from any of the names used in §5.2 found as children
// of `container` (deviceName, ip/ipAddress, mac/macAddress, sn, deviceNo., channelId).
void read_identity(XmlElement container, model::DeviceIdentity& id);
// Derives `mac` from `macRaw` (lower-case colon form; "" when not a MAC).
void finish_identity(model::DeviceIdentity& id);

// currentTime: raw text kept; unit by magnitude; deviceTime only when plausible.
void read_epoch_time(XmlElement current_time, model::Event& ev, util::SysMicros received_at);
// dataTime: device-local wall time (two formats); deviceTime only when plausible.
void read_local_time(XmlElement data_time, model::Event& ev, util::SysMicros received_at);

} // namespace cam2mqtt::parse
