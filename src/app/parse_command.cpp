#include "app/parse_command.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/camera_resolver.h"
#include "app/ingest_pipeline.h"
#include "app/message_id.h"
#include "encode/device_json.h"
#include "encode/event_json.h"
#include "parse/cvedia_decoder.h"
#include "parse/hikvision_stream.h"
#include "parse/viewtron_parser.h"

namespace cam2mqtt::app {

namespace {
bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}
} // namespace

namespace {
void event_lines(const model::Message& msg, const CameraResolver& resolver, const config::Config& cfg,
                 model::ImageMode mode, const std::string& peer_ip, util::SysMicros now,
                 const std::function<std::string()>& next_id, std::vector<std::string>& lines) {
  if (msg.kind == model::Message::Kind::heartbeat) {
    lines.push_back(encode::encode_heartbeat(msg.device));
    return;
  }
  for (const auto& ev : msg.events) {
    auto cam = resolver.resolve(ev.device, peer_ip);
    if (ev.source == model::Source::cvedia && !ev.device.deviceNo.empty()) {
      cam = ResolvedCamera{topic_level(ev.device.deviceNo), ev.device.name, ""}; // the instance id
    }
    const auto env = make_envelope(cam, peer_ip, cfg.mqtt.topic_prefix, next_id(), now);
    lines.push_back(encode::encode_event(ev, env, mode).json);
  }
}
} // namespace

bool decode_payload_lines(model::Source source, const std::string& body, const std::string& file,
                          const config::Config& cfg, model::ImageMode mode, const std::string& peer_ip,
                          util::SysMicros now, const std::function<std::string()>& next_id,
                          std::vector<std::string>& lines) {
  CameraResolver resolver(cfg.cameras);
  std::vector<model::ParseOutcome> outcomes;
  const parse::ParseContext ctx{now};
  switch (source) {
  case model::Source::hikvision:
    outcomes = parse::parse_hikvision_payload(body, "", ctx);
    break;
  case model::Source::cvedia:
    outcomes = parse::parse_cvedia_payload(body, ctx);
    break;
  default:
    outcomes.push_back(parse::parse_viewtron(body, ctx));
    break;
  }
  bool ok = true;
  for (const auto& outcome : outcomes) {
    if (!outcome) {
      lines.push_back(encode::encode_parse_error(outcome.error(), file));
      ok = false;
      continue;
    }
    event_lines(*outcome, resolver, cfg, mode, peer_ip, now, next_id, lines);
  }
  return ok;
}

int run_parse_command(const CommandLine& cl, const config::Config& cfg, std::ostream& out) {
  const auto mode = cl.images.value_or(cfg.images);
  MessageIdGenerator ids;
  int rc = 0;
  for (const auto& file : cl.files) {
    std::string body;
    if (!read_file(file, body)) {
      out << encode::encode_parse_error({"unreadable", "cannot read file"}, file) << '\n';
      rc = 1;
      continue;
    }
    const auto now = util::now_micros();
    std::vector<std::string> lines;
    if (!decode_payload_lines(cl.source, body, file, cfg, mode, cl.peer_ip, now, [&] { return ids.next(now); }, lines)) {
      rc = 1;
    }
    for (const auto& line : lines) {
      out << line << '\n';
    }
  }
  return rc;
}

} // namespace cam2mqtt::app
