// Classification of a Viewtron POST body (reference §2): by document structure, never by
// sniffing strings in the raw body. Decoding of each form lives in viewtron_<form>.cpp.
#include "parse/viewtron_parser.h"

#include <algorithm>
#include <cstring>

#include "parse/viewtron_decoders.h"
#include "parse/xml_document.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

model::ParseError error(std::string kind, std::string message) {
  return {std::move(kind), std::move(message)};
}

// A short, printable rendering of an element name for error messages.
// Device text inside an error message: capped, valid UTF-8, and one line. Control characters
// (a CR inside <messageType> arrives as LF after XML's end-of-line normalization) become '?':
// error messages go into log lines and JSON error objects (found by the fuzz smoke).
std::string quoted_name(std::string_view name) {
  constexpr std::size_t k_max = 48;
  std::string text = util::sanitize_utf8(name.substr(0, std::min(name.size(), k_max)));
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') {
      c = '?';
    }
  }
  return "<" + text + ">";
}

model::ParseOutcome heartbeat_without_body() {
  model::Message msg;
  msg.kind = model::Message::Kind::heartbeat;
  msg.device.deviceType = "IPC"; // only IPC httpPostV2 sends empty bodies (§3.1)
  return msg;
}

// <config messageType=...>: the NVR v2 envelope (§3.5).
model::ParseOutcome decode_v2(const Envelope& env, std::string_view message_type) {
  if (util::iequals(message_type, "keepalive")) {
    return decode_heartbeat(env);
  }
  if (util::iequals(message_type, "alarmStatus")) {
    return decode_alarm_status(env);
  }
  if (util::iequals(message_type, "alarmData")) {
    return decode_v2_alarm_data(env);
  }
  return util::unexpected(error("unknown_message", "unknown messageType " + quoted_name(message_type)));
}

// <config> without messageType: IPC v1 envelope (or a 2.x envelope with a v1 body, §8.3).
model::ParseOutcome decode_v1(const Envelope& env) {
  const XmlElement root = env.root;
  if (root.has("alarmStatusInfo")) {
    return decode_alarm_status(env);
  }
  if (root.has("traject")) {
    return decode_traject(env);
  }
  if (root.has("smartType")) {
    return decode_v1_smart(env);
  }
  if (root.has("deviceInfo")) {
    return decode_heartbeat(env);
  }
  return util::unexpected(error("unknown_message", "config without messageType, alarmStatusInfo, traject, smartType or deviceInfo"));
}

} // namespace

model::Message single_event_message(const Envelope& env, model::Event ev) {
  model::Message msg;
  msg.kind = model::Message::Kind::events;
  msg.device = env.device;
  msg.events.push_back(std::move(ev));
  return msg;
}

model::ParseOutcome parse_viewtron(std::string_view body, const ParseContext& ctx) {
  if (util::trim(body).empty()) {
    return heartbeat_without_body();
  }
  // libxml2 treats NUL as end of input; a NUL inside the body is never XML.
  if (std::memchr(body.data(), '\0', body.size()) != nullptr) {
    return util::unexpected(error("not_xml", "body contains a NUL byte"));
  }
  auto doc = XmlDocument::parse(body);
  if (!doc) {
    return util::unexpected(doc.error());
  }
  // No camera sends a DTD; one that declares entities is an attack (XXE, billion laughs).
  if (doc->declares_entities()) {
    return util::unexpected(error("forbidden_dtd", "document type declaration with entity declarations"));
  }

  Envelope env;
  env.root = doc->root();
  env.receivedAt = ctx.receivedAt;
  if (env.root.is("DeviceInfo")) {
    env.format = "v1";
    env.device.deviceType = "IPC";
    read_identity(env.root, env.device);
    finish_identity(env.device);
    return decode_heartbeat(env);
  }
  if (!env.root.is("config")) {
    return util::unexpected(error("unknown_root", "unknown root element " + quoted_name(env.root.name())));
  }

  env.configVersion = env.root.attr("version");
  read_identity(env.root.child("deviceInfo"), env.device);
  read_identity(env.root, env.device); // IPC smart/traject posts: top-level deviceName/mac/sn
  finish_identity(env.device);
  model::ParseOutcome outcome = [&] {
    if (const XmlElement message_type = env.root.child("messageType")) {
      env.format = "v2";
      env.device.deviceType = "NVR";
      return decode_v2(env, message_type.text());
    }
    env.format = "v1";
    env.device.deviceType = "IPC";
    return decode_v1(env);
  }();
  if (outcome) {
    if (const std::size_t bad = count_invalid_images(env.root); bad > 0) {
      outcome->warnings.push_back(
          error("invalid_image", std::to_string(bad) + " image field(s) not valid base64, dropped"));
    }
  }
  return outcome;
}

} // namespace cam2mqtt::parse
