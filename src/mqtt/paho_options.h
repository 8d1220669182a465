#pragma once
// Translates MqttConfig into Paho's option objects. Kept apart from PahoPublisher so the
// translation (URL schemes, TLS, last will) can be read and unit-tested on its own. Only
// src/mqtt/*.cpp include this header: it pulls in <mqtt/...>.
#include <cstddef>
#include <string>
#include <string_view>

#include <mqtt/connect_options.h>
#include <mqtt/create_options.h>

#include "config/config.h"

namespace cam2mqtt::mqtt {

// "mqtt://h:p" -> "tcp://h:p", "mqtts://h:p" -> "ssl://h:p"; tcp://, ssl://, ws://, wss:// are
// kept; a bare "host:port" gets "tcp://".
std::string paho_server_uri(std::string_view url);
// True for ssl:// and wss:// (after paho_server_uri()).
bool uses_tls(std::string_view paho_uri) noexcept;
// The URL without "user:password@", for log lines.
std::string redact_url(std::string_view url);
// Why a connect failed, for the log line: the MQTT 3.1.1 CONNACK codes (4: bad user name or
// password, 5: not authorized) and Paho's failure for everything before CONNACK (TCP, TLS
// handshake, certificate verification).
std::string_view connect_failure_reason(int rc) noexcept;
// cfg.client_id, or "cam2mqtt-<hostname>" when it is empty.
std::string effective_client_id(const config::MqttConfig& cfg);
// "<prefix>/bridge/state"
std::string bridge_state_topic(std::string_view topic_prefix);

// Paho C keeps an in-memory trace of protocol events and formats one line for it (vsnprintf
// under a global mutex) at several points of every publish, whether or not anyone reads it.
// This raises its process-wide trace level to errors, once, unless MQTT_C_CLIENT_TRACE asks
// for Paho's own tracing. Callgrind: 5.5 vsnprintf calls per published message gone.
void quiet_paho_trace();

// MQTT 3.1.1, buffering while disconnected (also before the first connect), at most
// `max_buffered` messages inside Paho, dropping the oldest beyond that.
::mqtt::create_options make_create_options(std::size_t max_buffered);

// clean_session=false, keepalive, no automatic reconnect (PahoPublisher's worker reconnects
// with jittered backoff), the retained "offline" will,
// credentials when set, TLS for ssl:// URIs.
::mqtt::connect_options make_connect_options(const config::MqttConfig& cfg);

} // namespace cam2mqtt::mqtt
