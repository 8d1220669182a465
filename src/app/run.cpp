#include "app/run.h"

#include <iostream>
#include <spdlog/spdlog.h>

#include "app/application.h"
#include "app/cli.h"
#include "app/logging.h"
#include "app/parse_command.h"
#include "config/config.h"

namespace cam2mqtt::app {

namespace {
constexpr int k_exit_config = 78; // EX_CONFIG
constexpr int k_exit_usage = 2;

config::Config load(const CommandLine& cl) {
  // `parse` works without a config file; it uses one only when given.
  if (cl.mode == CommandLine::Mode::parse && !cl.config_given) {
    return config::Config{};
  }
  return config::load_config(cl.config_file);
}
} // namespace

int run(const std::vector<std::string>& args) {
  CommandLine cl;
  try {
    cl = parse_command_line(args);
  } catch (const UsageError& e) {
    std::cerr << "cam2mqtt: " << e.message << "\n" << usage_text();
    return k_exit_usage;
  }
  if (cl.mode == CommandLine::Mode::help) {
    std::cout << usage_text();
    return 0;
  }
  if (cl.mode == CommandLine::Mode::version) {
    std::cout << "cam2mqtt " << CAM2MQTT_VERSION << "\n";
    return 0;
  }

  config::Config cfg;
  try {
    cfg = load(cl);
  } catch (const config::ConfigError& e) {
    for (const auto& d : e.diagnostics()) {
      std::cerr << d << "\n";
    }
    return k_exit_config;
  }
  if (cl.mode == CommandLine::Mode::check_config) {
    for (const auto& w : cfg.warnings) {
      std::cerr << "warning: " << w << "\n";
    }
    std::cout << cl.config_file << ": ok\n";
    return 0;
  }
  if (cl.mode == CommandLine::Mode::parse) {
    return run_parse_command(cl, cfg, std::cout);
  }

  setup_logging(cfg.log.level);
  for (const auto& w : cfg.warnings) {
    SPDLOG_WARN("config: {}", w);
  }
  try {
    Application app(cfg);
    const int rc = app.run();
    spdlog::shutdown();
    return rc;
  } catch (const std::exception& e) {
    SPDLOG_CRITICAL("app: cannot start: {}", e.what());
    spdlog::shutdown();
    return 1;
  }
}

} // namespace cam2mqtt::app
