#include "mqtt/paho_options.h"

#include <MQTTAsync.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <mutex>

#include <mqtt/ssl_options.h>
#include <mqtt/will_options.h>
#include <spdlog/spdlog.h>

namespace cam2mqtt::mqtt {
namespace {

constexpr std::chrono::seconds k_connect_timeout{10};

bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}

::mqtt::ssl_options make_ssl_options(const config::TlsConfig& tls) {
  ::mqtt::ssl_options_builder ssl;
  if (!tls.ca_file.empty()) {
    ssl.trust_store(tls.ca_file);
  }
  if (!tls.cert_file.empty()) {
    ssl.key_store(tls.cert_file);
  }
  if (!tls.key_file.empty()) {
    ssl.private_key(tls.key_file);
  }
  ssl.enable_server_cert_auth(tls.verify);
  ssl.verify(tls.verify); // host name check
  if (!tls.verify) {
    SPDLOG_WARN("mqtt: tls certificate verification is off (mqtt.tls.verify=false); the broker "
                "is not authenticated");
  }
  return ssl.finalize();
}

} // namespace

std::string paho_server_uri(std::string_view url) {
  struct Scheme {
    std::string_view from;
    std::string_view to;
  };
  static constexpr std::array<Scheme, 6> k_schemes{{{"mqtt://", "tcp://"},
                                                    {"mqtts://", "ssl://"},
                                                    {"tcp://", "tcp://"},
                                                    {"ssl://", "ssl://"},
                                                    {"ws://", "ws://"},
                                                    {"wss://", "wss://"}}};
  for (const auto& scheme : k_schemes) {
    if (starts_with(url, scheme.from)) {
      return std::string(scheme.to) + std::string(url.substr(scheme.from.size()));
    }
  }
  return "tcp://" + std::string(url);
}

bool uses_tls(std::string_view paho_uri) noexcept {
  return starts_with(paho_uri, "ssl://") || starts_with(paho_uri, "wss://");
}

std::string_view connect_failure_reason(int rc) noexcept {
  switch (rc) {
  case 1:
    return "broker refused: unacceptable protocol version";
  case 2:
    return "broker refused: client id rejected";
  case 3:
    return "broker refused: server unavailable";
  case 4:
    return "broker refused: bad user name or password";
  case 5:
    return "broker refused: not authorized (check mqtt.username / password_file)";
  default:
    return "no MQTT session (broker unreachable, or TLS handshake / certificate verification failed)";
  }
}

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto host_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto at = url.find('@', host_start);
  const auto slash = url.find('/', host_start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  return std::string(url.substr(0, host_start)) + "***@" + std::string(url.substr(at + 1));
}

std::string effective_client_id(const config::MqttConfig& cfg) {
  if (!cfg.client_id.empty()) {
    return cfg.client_id;
  }
  std::array<char, HOST_NAME_MAX + 1> host{};
  if (gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0') {
    return "cam2mqtt";
  }
  return std::string("cam2mqtt-") + host.data();
}

std::string bridge_state_topic(std::string_view topic_prefix) {
  return std::string(topic_prefix) + "/bridge/state";
}

void quiet_paho_trace() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (std::getenv("MQTT_C_CLIENT_TRACE") == nullptr) {
      MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_ERROR);
    }
  });
}

::mqtt::create_options make_create_options(std::size_t max_buffered) {
  const int limit = max_buffered > static_cast<std::size_t>(INT_MAX) ? INT_MAX
                                                                     : static_cast<int>(max_buffered);
  return ::mqtt::create_options_builder()
      .mqtt_version(MQTTVERSION_3_1_1)
      .send_while_disconnected(true, /*anyTime=*/true)
      .max_buffered_messages(limit)
      .delete_oldest_messages(true)
      .restore_messages(true)
      .persist_qos0(false)
      .finalize();
}

::mqtt::connect_options make_connect_options(const config::MqttConfig& cfg) {
  ::mqtt::connect_options_builder builder;
  builder.mqtt_version(MQTTVERSION_3_1_1)
      .clean_session(false)
      .keep_alive_interval(cfg.keepalive)
      .connect_timeout(k_connect_timeout)
      .automatic_reconnect(false) // PahoPublisher reconnects itself, with jitter
      .will(::mqtt::will_options(bridge_state_topic(cfg.topic_prefix), std::string("offline"), 1,
                                 true));
  if (!cfg.username.empty()) {
    builder.user_name(cfg.username);
  }
  if (!cfg.password.empty()) {
    builder.password(cfg.password);
  }
  if (uses_tls(paho_server_uri(cfg.url))) {
    builder.ssl(make_ssl_options(cfg.tls));
  }
  return builder.finalize();
}

} // namespace cam2mqtt::mqtt
