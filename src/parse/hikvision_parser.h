#pragma once
// Hikvision ISAPI EventNotificationAlert XML (hikvision-isapi.md §3) -> normalized model.
// Pure: no I/O, no globals, no entity expansion. One part may hold several root alerts; a part
// whose alerts are all heartbeats (videoloss inactive, doorbell "other"/Heartbeat) decodes to a
// heartbeat message, otherwise the heartbeats are left out and the rest are events.
#include <optional>
#include <string_view>

#include "model/parse_result.h"
#include "parse/viewtron_parser.h" // ParseContext
#include "util/time_format.h"

namespace cam2mqtt::parse {

struct HikvisionXmlInfo {
  // detectionPictureTransType=binary + detectionPicturesNumber=N: N image parts follow.
  int binary_pictures = 0;
  // bkgUrl of the first alert (pictures by URL), "" when none.
  std::string picture_url;
};

model::ParseOutcome parse_hikvision_xml(std::string_view xml, const ParseContext& ctx,
                                        HikvisionXmlInfo* info = nullptr);

// True when the document's root element is EventNotificationAlert (any namespace prefix),
// judged from the first element tag only: the push-mode dispatch tells Hikvision from Viewtron
// by content this way, without parsing the body twice.
bool is_hikvision_alert(std::string_view body) noexcept;

// Lenient ISAPI dateTime (§3.5): offsets "+01:00", "-6:00", "+0100", "Z", a missing sign
// ("…:3100:00"), fractions, minute-only times. nullopt when unreadable or without a zone.
std::optional<util::SysMicros> parse_hikvision_datetime(std::string_view text);

// Escapes every '&' that does not start an entity or character reference (raw '&' occurs in
// channel names); leaves "&amp;", "&#38;", "&#x26;" alone.
std::string escape_raw_ampersands(std::string_view xml);

} // namespace cam2mqtt::parse
