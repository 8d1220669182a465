#pragma once
// Command line of PRODUCT.md:
//   cam2mqtt [-c FILE]            run
//   cam2mqtt --check-config [-c FILE]
//   cam2mqtt parse [--images MODE] [--peer IP] [--source viewtron|hikvision|cvedia] [-c FILE] FILE...
//   cam2mqtt --version | --help
#include <optional>
#include <string>
#include <vector>

#include "model/category.h"
#include "model/image_mode.h"

namespace cam2mqtt::app {

inline constexpr const char* k_default_config = "/etc/cam2mqtt/cam2mqtt.yaml";

struct CommandLine {
  enum class Mode { run, check_config, parse, version, help } mode = Mode::run;
  std::string config_file = k_default_config;
  bool config_given = false;
  std::optional<model::ImageMode> images; // parse --images
  std::string peer_ip = "127.0.0.1";      // parse --peer
  model::Source source = model::Source::viewtron; // parse --source
  std::vector<std::string> files;         // parse FILE...
};

struct UsageError {
  std::string message;
};

// Throws UsageError on a bad command line.
CommandLine parse_command_line(const std::vector<std::string>& args);
std::string usage_text();

} // namespace cam2mqtt::app
