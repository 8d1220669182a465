#include "app/systemd_notify.h"

#ifdef CAM2MQTT_WITH_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace cam2mqtt::app::systemd {

#ifdef CAM2MQTT_WITH_SYSTEMD
void notify_ready(const std::string& status) {
  sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
}
void notify_status(const std::string& status) {
  sd_notifyf(0, "STATUS=%s", status.c_str());
}
void notify_stopping() {
  sd_notify(0, "STOPPING=1");
}
void notify_watchdog() {
  sd_notify(0, "WATCHDOG=1");
}
std::chrono::microseconds watchdog_interval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) {
    return std::chrono::microseconds(usec);
  }
  return std::chrono::microseconds(0);
}
#else
void notify_ready(const std::string&) {}
void notify_status(const std::string&) {}
void notify_stopping() {}
void notify_watchdog() {}
std::chrono::microseconds watchdog_interval() {
  return std::chrono::microseconds(0);
}
#endif

} // namespace cam2mqtt::app::systemd
