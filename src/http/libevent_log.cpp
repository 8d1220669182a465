#include "http/libevent_log.h"

#include <event2/event.h>
#include <spdlog/spdlog.h>

namespace cam2mqtt::http {
namespace {

void libevent_log(int severity, const char* msg) noexcept {
  try {
    const char* text = msg != nullptr ? msg : "";
    switch (severity) {
    case EVENT_LOG_DEBUG:
      SPDLOG_DEBUG("libevent: {}", text);
      break;
    case EVENT_LOG_MSG:
      SPDLOG_INFO("libevent: {}", text);
      break;
    case EVENT_LOG_WARN:
      SPDLOG_WARN("libevent: {}", text);
      break;
    default:
      SPDLOG_ERROR("libevent: {}", text);
      break;
    }
  } catch (...) {
    // Nothing may cross the C callback; a lost log line is the lesser evil.
  }
}

} // namespace

void install_libevent_log_callback() noexcept { event_set_log_callback(&libevent_log); }

} // namespace cam2mqtt::http
