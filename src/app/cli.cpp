#include "app/cli.h"

namespace cam2mqtt::app {

std::string usage_text() {
  return "usage:\n"
         "  cam2mqtt [-c FILE]                   run (default FILE: /etc/cam2mqtt/cam2mqtt.yaml)\n"
         "  cam2mqtt --check-config [-c FILE]    validate the config; exit 0, or 78\n"
         "  cam2mqtt parse [--images split|base64|none] [--peer IP] [--source viewtron|hikvision|cvedia]\n"
         "                 [-c FILE] FILE...\n"
         "                                       decode saved payloads: one JSON line per event\n"
         "  cam2mqtt --version\n";
}

CommandLine parse_command_line(const std::vector<std::string>& args) {
  CommandLine cl;
  std::size_t i = 0;
  if (!args.empty() && args[0] == "parse") {
    cl.mode = CommandLine::Mode::parse;
    i = 1;
  }
  auto value = [&](const std::string& flag) -> std::string {
    if (i + 1 >= args.size()) {
      throw UsageError{flag + " needs a value"};
    }
    return args[++i];
  };
  for (; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-c" || a == "--config") {
      cl.config_file = value(a);
      cl.config_given = true;
    } else if (a == "--check-config" || a == "-t") {
      if (cl.mode == CommandLine::Mode::parse) {
        throw UsageError{"--check-config cannot be combined with parse"};
      }
      cl.mode = CommandLine::Mode::check_config;
    } else if (a == "--version" || a == "-V") {
      cl.mode = CommandLine::Mode::version;
    } else if (a == "--help" || a == "-h") {
      cl.mode = CommandLine::Mode::help;
    } else if (cl.mode == CommandLine::Mode::parse && a == "--images") {
      const auto v = value(a);
      cl.images = model::image_mode_from_string(v);
      if (!cl.images) {
        throw UsageError{"--images: expected split, base64 or none, got \"" + v + "\""};
      }
    } else if (cl.mode == CommandLine::Mode::parse && a == "--source") {
      const auto v = value(a);
      if (v == "viewtron") {
        cl.source = model::Source::viewtron;
      } else if (v == "hikvision") {
        cl.source = model::Source::hikvision;
      } else if (v == "cvedia") {
        cl.source = model::Source::cvedia;
      } else {
        throw UsageError{"--source: expected viewtron, hikvision or cvedia, got \"" + v + "\""};
      }
    } else if (cl.mode == CommandLine::Mode::parse && a == "--peer") {
      cl.peer_ip = value(a);
    } else if (cl.mode == CommandLine::Mode::parse && (a.empty() || a[0] != '-' || a == "-")) {
      cl.files.push_back(a);
    } else {
      throw UsageError{"unknown argument \"" + a + "\""};
    }
  }
  if (cl.mode == CommandLine::Mode::parse && cl.files.empty()) {
    throw UsageError{"parse needs at least one FILE"};
  }
  return cl;
}

} // namespace cam2mqtt::app
