#include <catch2/catch.hpp>

#include "mqtt/paho_options.h"

using namespace cam2mqtt::mqtt;

TEST_CASE("mqtt URL schemes are translated for Paho", "[mqtt]") {
  CHECK(paho_server_uri("mqtt://broker:1883") == "tcp://broker:1883");
  CHECK(paho_server_uri("mqtts://broker:8883") == "ssl://broker:8883");
  CHECK(paho_server_uri("tcp://127.0.0.1:1883") == "tcp://127.0.0.1:1883");
  CHECK(paho_server_uri("ssl://h:8883") == "ssl://h:8883");
  CHECK(paho_server_uri("ws://h:80/mqtt") == "ws://h:80/mqtt");
  CHECK(paho_server_uri("broker:1883") == "tcp://broker:1883");
  CHECK(uses_tls("ssl://h:8883"));
  CHECK(uses_tls("wss://h/mqtt"));
  CHECK_FALSE(uses_tls("tcp://h:1883"));
}

TEST_CASE("URLs are redacted for logs", "[mqtt]") {
  CHECK(redact_url("tcp://user:secret@h:1883") == "tcp://***@h:1883");
  CHECK(redact_url("tcp://h:1883") == "tcp://h:1883");
  CHECK(redact_url("ws://h:80/a@b") == "ws://h:80/a@b");
}

TEST_CASE("connect options: persistent session, will, credentials", "[mqtt]") {
  cam2mqtt::config::MqttConfig cfg;
  cfg.topic_prefix = "cams";
  cfg.keepalive = std::chrono::seconds(17);
  cfg.username = "u";
  cfg.password = "p";
  const auto opts = make_connect_options(cfg);
  CHECK_FALSE(opts.is_clean_session());
  CHECK(opts.get_keep_alive_interval() == std::chrono::seconds(17));
  CHECK_FALSE(opts.get_automatic_reconnect()); // PahoPublisher reconnects, with jitter
  CHECK(opts.get_user_name() == "u");
  REQUIRE(opts.get_will_message());
  CHECK(opts.get_will_message()->get_topic() == "cams/bridge/state");
  CHECK(opts.get_will_message()->to_string() == "offline");
  CHECK(opts.get_will_message()->is_retained());
  CHECK(opts.get_will_message()->get_qos() == 1);
  CHECK(opts.get_ssl_options().get_trust_store().empty());

  cfg.url = "mqtts://h:8883";
  cfg.tls.ca_file = "/etc/ssl/ca.pem";
  const auto tls = make_connect_options(cfg).get_ssl_options();
  CHECK(tls.get_trust_store() == "/etc/ssl/ca.pem");
  CHECK(tls.get_enable_server_cert_auth());
}

TEST_CASE("create options buffer while disconnected and drop the oldest", "[mqtt]") {
  const auto co = make_create_options(42);
  CHECK(co.get_send_while_disconnected());
  CHECK(co.get_max_buffered_messages() == 42);
  CHECK(co.get_delete_oldest_messages());
}

TEST_CASE("bridge state topic and default client id", "[mqtt]") {
  CHECK(bridge_state_topic("cam2mqtt") == "cam2mqtt/bridge/state");
  cam2mqtt::config::MqttConfig cfg;
  cfg.client_id = "x";
  CHECK(effective_client_id(cfg) == "x");
  cfg.client_id.clear();
  CHECK(effective_client_id(cfg).rfind("cam2mqtt", 0) == 0);
}
