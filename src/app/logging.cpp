#include "app/logging.h"

#include <cstdlib>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#ifdef CAM2MQTT_WITH_SYSTEMD
#include <spdlog/sinks/systemd_sink.h>
#endif

namespace cam2mqtt::app {

void setup_logging(const std::string& level) {
  std::shared_ptr<spdlog::logger> logger;
#ifdef CAM2MQTT_WITH_SYSTEMD
  if (std::getenv("JOURNAL_STREAM") != nullptr || std::getenv("INVOCATION_ID") != nullptr) {
    auto sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("cam2mqtt");
    logger = std::make_shared<spdlog::logger>("cam2mqtt", std::move(sink));
    logger->set_pattern("%v"); // journald adds time, level and source location
  }
#endif
  if (!logger) {
    logger = spdlog::stderr_color_mt("cam2mqtt");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  }
  spdlog::set_default_logger(logger);
  set_log_level(level);
  spdlog::cfg::load_env_levels();
}

void set_log_level(const std::string& level) {
  spdlog::set_level(spdlog::level::from_str(level));
  // warn and above reach the journal without delay; info lines are flushed by the sink too.
  spdlog::flush_on(spdlog::level::info);
}

} // namespace cam2mqtt::app
