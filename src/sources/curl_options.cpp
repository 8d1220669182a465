#include "sources/curl_options.h"

namespace cam2mqtt::sources {

void set_tls_options(CURL* e, bool verify_tls, const std::string& ca_file) {
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, verify_tls ? 2L : 0L);
  if (!ca_file.empty()) {
    curl_easy_setopt(e, CURLOPT_CAINFO, ca_file.c_str());
  }
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
}

void set_stall_watchdog(CURL* e, std::chrono::seconds stall_timeout) {
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(stall_timeout.count()));
}

timeval to_timeval(std::chrono::microseconds us) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(us.count() / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(us.count() % 1000000);
  return tv;
}

} // namespace cam2mqtt::sources
