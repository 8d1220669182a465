#include "parse/hikvision_parser.h"

#include <cstring>

#include "parse/hikvision_codes.h"
#include "parse/viewtron_fields.h"
#include "parse/xml_document.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_name_char(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
}

// Reads exactly `n` digits at `pos`; nullopt otherwise.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t n) {
  if (pos + n > s.size()) {
    return std::nullopt;
  }
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) {
      return std::nullopt;
    }
    v = v * 10 + (s[pos + i] - '0');
  }
  pos += n;
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// The zone suffix: "Z", "+HH:MM", "+H:MM", "+HHMM", "+HH", or "HH:MM" without a sign.
std::optional<int> zone_minutes(std::string_view z) {
  if (z == "Z" || z == "z") {
    return 0;
  }
  int sign = 1;
  if (!z.empty() && (z[0] == '+' || z[0] == '-')) {
    sign = z[0] == '-' ? -1 : 1;
    z.remove_prefix(1);
  }
  std::size_t colon = z.find(':');
  std::string_view hh = colon == std::string_view::npos ? z.substr(0, std::min<std::size_t>(2, z.size())) : z.substr(0, colon);
  std::string_view mm = colon == std::string_view::npos ? z.substr(hh.size()) : z.substr(colon + 1);
  if (hh.empty() || hh.size() > 2 || mm.size() > 2 || (colon != std::string_view::npos && mm.size() != 2)) {
    return std::nullopt;
  }
  const auto h = util::parse_u64(hh);
  const auto m = mm.empty() ? std::optional<std::uint64_t>(0) : util::parse_u64(mm);
  if (!h || !m || *h > 14 || *m > 59) {
    return std::nullopt;
  }
  return sign * static_cast<int>(*h * 60 + *m);
}

const char* k_wrapper = "cam2mqttHikvisionAlerts";

// Removes XML declarations so several root alerts can be wrapped in one element.
std::string without_declarations(std::string_view xml) {
  std::string out;
  out.reserve(xml.size());
  std::size_t pos = 0;
  while (pos < xml.size()) {
    const auto decl = xml.find("<?", pos);
    if (decl == std::string_view::npos) {
      out.append(xml.substr(pos));
      break;
    }
    out.append(xml.substr(pos, decl - pos));
    const auto end = xml.find("?>", decl + 2);
    if (end == std::string_view::npos) {
      break;
    }
    pos = end + 2;
  }
  return out;
}

bool is_heartbeat(const model::Event& ev, std::string_view description) {
  if (util::iequals(ev.eventType, "videoloss") && ev.active == false) {
    return true;
  }
  return util::iequals(ev.eventType, "other") && util::iequals(util::trim(description), "heartbeat");
}

// detectionTarget / targetType: human -> person, vehicle -> car, the rest as the shared rules.
void set_hikvision_target_type(model::Target& t, const std::string& raw) {
  set_target_type(t, raw);
  if (util::iequals(raw, "human")) {
    t.type = "person";
  } else if (util::iequals(raw, "vehicle")) {
    t.type = "car";
  }
}

// TargetRect {X, Y, width, height}: 0-1 floats (0-1000 when any value > 1); all zero = none.
std::optional<model::Box> read_target_rect(XmlElement rect) {
  if (!rect) {
    return std::nullopt;
  }
  const auto x = util::parse_number(rect.child_text("X"));
  const auto y = util::parse_number(rect.child_text("Y"));
  const auto w = util::parse_number(rect.child_text("width"));
  const auto h = util::parse_number(rect.child_text("height"));
  if (!x || !y || !w || !h || (*x == 0 && *y == 0 && *w == 0 && *h == 0)) {
    return std::nullopt;
  }
  const double div = (*x > 1 || *y > 1 || *w > 1 || *h > 1) ? 1000.0 : 1.0;
  return model::Box{*x / div, *y / div, (*x + *w) / div, (*y + *h) / div, model::Scale::normalized1};
}

// RegionCoordinatesList: 0-1000 points -> 0-1; two points are a line, more an area.
std::optional<model::Zone> read_region(XmlElement list) {
  model::Zone zone;
  zone.scale = model::Scale::normalized1;
  for (const auto& c : list.children()) {
    const auto x = util::parse_number(c.child_text("positionX"));
    const auto y = util::parse_number(c.child_text("positionY"));
    if (x && y) {
      zone.points.push_back({*x / 1000.0, *y / 1000.0});
    }
  }
  if (zone.points.size() < 2) {
    return std::nullopt;
  }
  zone.kind = zone.points.size() == 2 ? model::Zone::Kind::line : model::Zone::Kind::area;
  return zone;
}

void read_regions(XmlElement alert, model::Event& ev) {
  for (const auto& entry : alert.child("DetectionRegionList").children()) {
    if (ev.regionId.empty()) {
      ev.regionId = entry.child_text("regionID");
    }
    if (!ev.zone) {
      ev.zone = read_region(entry.child("RegionCoordinatesList"));
    }
    model::Target t;
    const auto target = entry.child_text("detectionTarget");
    if (!target.empty()) {
      set_hikvision_target_type(t, target);
    }
    t.box = read_target_rect(entry.child("TargetRect"));
    if (t.box || !t.typeRaw.empty()) {
      ev.targets.push_back(std::move(t));
    }
  }
  const auto target_type = alert.child_text("targetType");
  if (ev.targets.empty() && !target_type.empty()) {
    model::Target t;
    set_hikvision_target_type(t, target_type);
    ev.targets.push_back(std::move(t));
  }
}

void read_anpr(XmlElement anpr, model::Event& ev) {
  if (!anpr) {
    return;
  }
  ev.plateNumber = anpr.child_text("licensePlate");
  ev.plateColor = anpr.child_text("plateColor");
  ev.plateGroup = anpr.child_text("vehicleListName");
  if (const auto c = util::parse_number(anpr.child_text("confidenceLevel")); c && *c >= 0 && *c <= 100) {
    ev.confidence = static_cast<int>(*c);
  }
  ev.directionRaw = anpr.child_text("direction");
  if (util::iequals(ev.directionRaw, "forward")) {
    ev.direction = "approach";
  } else if (util::iequals(ev.directionRaw, "reverse")) {
    ev.direction = "away";
  } else {
    ev.direction = ev.directionRaw;
  }
  const XmlElement info = anpr.child("vehicleInfo");
  model::Vehicle v;
  v.type = anpr.child_text("vehicleType");
  v.color = info.child_text("color");
  v.brand = info.child_text("vehicleLogoRecog");
  v.model = info.child_text("vehileModel");
  if (v.model.empty()) {
    v.model = info.child_text("vehicleModel");
  }
  if (!v.type.empty() || !v.color.empty() || !v.brand.empty() || !v.model.empty()) {
    ev.vehicle = v;
  }
}

// channelID when a non-empty integer, else dynChannelID, else "" (device level).
std::string channel_of(XmlElement alert) {
  for (const char* name : {"channelID", "dynChannelID"}) {
    const auto text = alert.child_text(name);
    if (const auto n = util::parse_u64(text); n && *n > 0) {
      return std::to_string(*n);
    }
  }
  return "";
}

struct Decoded {
  model::Event ev;
  bool heartbeat = false;
};

Decoded decode_alert(XmlElement alert, const ParseContext& ctx) {
  Decoded out;
  model::Event& ev = out.ev;
  ev.source = model::Source::hikvision;
  ev.format = "isapi";
  ev.configVersion = alert.attr("version");
  auto& dev = ev.device;
  dev.deviceType = "ISAPI";
  dev.manufacturer = "Hikvision";
  dev.ip = alert.child_text("ipAddress");
  if (dev.ip.empty()) {
    dev.ip = alert.child_text("ipv6Address");
  }
  if (dev.ip == "1.0.0.255" || dev.ip == "0.0.0.0") {
    dev.ip.clear(); // a placeholder some firmware sends: the TCP peer is the better address
  }
  dev.macRaw = alert.child_text("macAddress");
  dev.serial = alert.at({"Extensions", "serialNumber"}).text();
  dev.channelId = channel_of(alert);
  dev.name = alert.child_text("channelName");
  finish_identity(dev);

  ev.eventType = alert.child_text("eventType");
  const auto state = alert.child_text("eventState");
  if (util::iequals(state, "active")) {
    ev.active = true;
  } else if (util::iequals(state, "inactive")) {
    ev.active = false;
  }
  std::string code = ev.eventType;
  if (util::iequals(code, "duration")) {
    const auto related = alert.at({"DurationList", "Duration", "relationEvent"}).text();
    if (!related.empty()) {
      code = related;
      ev.eventType = related;
    }
  }
  const auto described = describe_hikvision_code(code, alert.child_text("targetType"));
  ev.category = described.info.category;
  ev.subtype = described.info.subtype;
  const auto description = alert.child_text("eventDescription");
  ev.eventDescription = description.empty() ? described.info.description : description;
  if (described.one_shot) {
    ev.active.reset();
  }
  out.heartbeat = is_heartbeat(ev, description);

  ev.timestamp = alert.child_text("dateTime");
  if (const auto t = parse_hikvision_datetime(ev.timestamp); t && util::plausible_device_time(*t, ctx.receivedAt)) {
    ev.deviceTime = t;
  }
  ev.retransmission = util::iequals(alert.child_text("isDataRetransmission"), "true");
  if (ev.category == model::Category::io) {
    ev.alarmId = alert.child_text("inputIOPortID");
    if (ev.alarmId.empty()) {
      ev.alarmId = alert.child_text("dynInputIOPortID");
    }
  }
  read_regions(alert, ev);
  read_anpr(alert.child("ANPR"), ev);
  return out;
}

model::ParseError error(std::string kind, std::string message) {
  return {std::move(kind), std::move(message)};
}

} // namespace

std::string escape_raw_ampersands(std::string_view xml) {
  std::string out;
  out.reserve(xml.size() + 16);
  for (std::size_t i = 0; i < xml.size(); ++i) {
    const char c = xml[i];
    out.push_back(c);
    if (c != '&') {
      continue;
    }
    std::size_t j = i + 1;
    if (j < xml.size() && xml[j] == '#') {
      ++j;
      const bool hex = j < xml.size() && (xml[j] == 'x' || xml[j] == 'X');
      j += hex ? 1 : 0;
      const std::size_t start = j;
      while (j < xml.size() && (is_digit(xml[j]) || (hex && std::strchr("abcdefABCDEF", xml[j]) != nullptr))) {
        ++j;
      }
      if (j > start && j < xml.size() && xml[j] == ';') {
        continue;
      }
    } else {
      const std::size_t start = j;
      while (j < xml.size() && j - start < 32 && is_name_char(xml[j])) {
        ++j;
      }
      if (j > start && j < xml.size() && xml[j] == ';') {
        continue;
      }
    }
    out.append("amp;");
  }
  return out;
}

std::optional<util::SysMicros> parse_hikvision_datetime(std::string_view text) {
  text = util::trim(text);
  std::size_t pos = 0;
  const auto y = digits(text, pos, 4);
  if (!y || pos >= text.size() || text[pos++] != '-') {
    return std::nullopt;
  }
  const auto mo = digits(text, pos, 2);
  if (!mo || pos >= text.size() || text[pos++] != '-') {
    return std::nullopt;
  }
  const auto d = digits(text, pos, 2);
  if (!d || pos >= text.size() || (text[pos] != 'T' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  const auto h = digits(text, pos, 2);
  if (!h || pos >= text.size() || text[pos++] != ':') {
    return std::nullopt;
  }
  const auto mi = digits(text, pos, 2);
  int sec = 0;
  std::int64_t micros = 0;
  if (!mi) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    const auto s = digits(text, pos, 2);
    if (!s) {
      return std::nullopt;
    }
    sec = *s;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      std::int64_t scale = 100000;
      while (pos < text.size() && is_digit(text[pos])) {
        micros += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
    }
  }
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || sec > 60) {
    return std::nullopt;
  }
  const auto zone = zone_minutes(text.substr(pos));
  if (pos >= text.size() || !zone) {
    return std::nullopt; // zone-less: the caller uses the receive time
  }
  const std::int64_t secs = days_from_civil(*y, *mo, *d) * 86400 + *h * 3600 + *mi * 60 + sec - *zone * 60;
  return util::SysMicros(std::chrono::microseconds(secs * 1000000 + micros));
}

bool is_hikvision_alert(std::string_view body) noexcept {
  std::size_t pos = 0;
  while (pos < body.size()) {
    pos = body.find('<', pos);
    if (pos == std::string_view::npos || pos + 1 >= body.size()) {
      return false;
    }
    const char next = body[pos + 1];
    if (next == '?' || next == '!') { // declaration, comment, doctype
      pos = body.find('>', pos);
      continue;
    }
    std::size_t end = pos + 1;
    while (end < body.size() && (is_name_char(body[end]) || body[end] == ':')) {
      ++end;
    }
    std::string_view name = body.substr(pos + 1, end - pos - 1);
    if (const auto colon = name.rfind(':'); colon != std::string_view::npos) {
      name.remove_prefix(colon + 1);
    }
    return util::iequals(name, "EventNotificationAlert");
  }
  return false;
}

model::ParseOutcome parse_hikvision_xml(std::string_view xml, const ParseContext& ctx, HikvisionXmlInfo* info) {
  if (util::trim(xml).empty()) {
    return util::unexpected(error("not_xml", "empty EventNotificationAlert part"));
  }
  if (std::memchr(xml.data(), '\0', xml.size()) != nullptr) {
    return util::unexpected(error("not_xml", "body contains a NUL byte"));
  }
  const std::string wrapped = std::string("<") + k_wrapper + ">" + escape_raw_ampersands(without_declarations(xml)) +
                              "</" + k_wrapper + ">";
  auto doc = XmlDocument::parse(wrapped);
  if (!doc) {
    return util::unexpected(doc.error());
  }
  if (doc->declares_entities()) {
    return util::unexpected(error("forbidden_dtd", "document type declaration with entity declarations"));
  }
  model::Message msg;
  msg.kind = model::Message::Kind::heartbeat;
  bool any_alert = false;
  for (const auto& alert : doc->root().children()) {
    if (!alert.is("EventNotificationAlert")) {
      continue;
    }
    auto decoded = decode_alert(alert, ctx);
    if (!any_alert) {
      msg.device = decoded.ev.device;
      if (info != nullptr) {
        if (util::iequals(alert.child_text("detectionPictureTransType"), "binary")) {
          info->binary_pictures = static_cast<int>(util::parse_u64(alert.child_text("detectionPicturesNumber")).value_or(0));
        }
        info->picture_url = alert.child_text("bkgUrl");
      }
    }
    any_alert = true;
    if (decoded.heartbeat) {
      continue;
    }
    msg.kind = model::Message::Kind::events;
    msg.events.push_back(std::move(decoded.ev));
  }
  if (!any_alert) {
    const auto first = doc->root().children();
    const std::string name = first.empty() ? std::string() : std::string(first.front().name());
    return util::unexpected(error("unknown_root", "no EventNotificationAlert element" +
                                                      (name.empty() ? std::string() : " (root <" + util::sanitize_utf8(name.substr(0, 48)) + ">)")));
  }
  if (msg.kind == model::Message::Kind::events) {
    msg.device = msg.events.front().device;
  }
  return msg;
}

} // namespace cam2mqtt::parse
