#pragma once
// Routes libevent's own diagnostics to spdlog (bitcoin's RegisterLibeventLogging idea).

namespace cam2mqtt::http {

// Installs an event_set_log_callback mapping libevent severities to spdlog levels:
// debug -> debug, msg -> info, warn -> warn, err -> error. Call once, before the loop runs.
void install_libevent_log_callback() noexcept;

} // namespace cam2mqtt::http
