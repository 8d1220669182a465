#pragma once
// The one default logger: the systemd journal when started by systemd (JOURNAL_STREAM), else a
// stderr colour sink. Level from the config, overridden by SPDLOG_LEVEL.
#include <string>

namespace cam2mqtt::app {

void setup_logging(const std::string& level);
void set_log_level(const std::string& level);

} // namespace cam2mqtt::app
