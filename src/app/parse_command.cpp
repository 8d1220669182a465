#include "app/parse_command.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/camera_resolver.h"
#include "app/ingest_pipeline.h"
#include "app/message_id.h"
#include "encode/device_json.h"
#include "encode/event_json.h"
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

int run_parse_command(const CommandLine& cl, const config::Config& cfg, std::ostream& out) {
  const auto mode = cl.images.value_or(cfg.images);
  CameraResolver resolver(cfg.cameras);
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
    auto outcome = parse::parse_viewtron(body, parse::ParseContext{now});
    if (!outcome) {
      out << encode::encode_parse_error(outcome.error(), file) << '\n';
      rc = 1;
      continue;
    }
    if (outcome->kind == model::Message::Kind::heartbeat) {
      out << encode::encode_heartbeat(outcome->device) << '\n';
      continue;
    }
    for (const auto& ev : outcome->events) {
      const auto cam = resolver.resolve(ev.device, cl.peer_ip);
      const auto env = make_envelope(cam, cl.peer_ip, cfg.mqtt.topic_prefix, ids.next(now), now);
      out << encode::encode_event(ev, env, mode).json << '\n';
    }
  }
  return rc;
}

} // namespace cam2mqtt::app
