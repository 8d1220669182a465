#pragma once
// sd_notify(3) wrappers; no-ops when built without libsystemd or not started by systemd.
#include <chrono>
#include <string>

namespace cam2mqtt::app::systemd {

void notify_ready(const std::string& status);
void notify_status(const std::string& status);
void notify_stopping();
void notify_watchdog();
// The watchdog interval systemd expects, or zero when the watchdog is off.
std::chrono::microseconds watchdog_interval();

} // namespace cam2mqtt::app::systemd
