#pragma once
// The libcurl options the outbound-source requests share: TLS verification (on unless the entry
// says verify_tls: false; ca_file for self-signed servers), the connect timeout and no signals;
// and the stall watchdog of a long stream: aborted after stall_timeout under 1 byte/s (libcurl
// averages the speed over a few seconds, so a stall shows a little after stall_timeout).
#include <chrono>
#include <string>

#include <event2/util.h>

#include "sources/curl_handles.h"

namespace cam2mqtt::sources {

void set_tls_options(CURL* easy, bool verify_tls, const std::string& ca_file);
void set_stall_watchdog(CURL* easy, std::chrono::seconds stall_timeout);

// For evtimer_add.
timeval to_timeval(std::chrono::microseconds us);

} // namespace cam2mqtt::sources
