#include <catch2/catch.hpp>

#include "config/network_syntax.h"
#include "config/topic_syntax.h"

using namespace cam2mqtt::config;

TEST_CASE("listen accepts IPv4, bracketed IPv6, names and port 0") {
  std::string host;
  std::uint16_t port = 1;
  CHECK(parse_listen("0.0.0.0:5050", host, port).empty());
  CHECK((host == "0.0.0.0" && port == 5050));
  CHECK(parse_listen("[::]:5050", host, port).empty());
  CHECK((host == "::" && port == 5050));
  CHECK(parse_listen("[fe80::1]:0", host, port).empty());
  CHECK((host == "fe80::1" && port == 0));
  CHECK(parse_listen("localhost:8080", host, port).empty());
  CHECK(host == "localhost");
}

TEST_CASE("listen refuses what it cannot bind") {
  std::string host = "unchanged";
  std::uint16_t port = 7;
  CHECK(parse_listen("5050", host, port) == "expected host:port like 0.0.0.0:5050 or [::]:5050, got \"5050\"");
  CHECK(parse_listen(":::5050", host, port) == "expected host:port like 0.0.0.0:5050 or [::]:5050, got \":::5050\"");
  CHECK(parse_listen("0.0.0.0:", host, port) == "expected host:port like 0.0.0.0:5050 or [::]:5050, got \"0.0.0.0:\"");
  CHECK(parse_listen(":5050", host, port) == "missing host in \":5050\"");
  CHECK(parse_listen("0.0.0.0:70000", host, port) == "port must be 0-65535, got \"70000\"");
  CHECK(parse_listen("[zz::]:1", host, port) == "invalid IPv6 address \"zz::\" in \"[zz::]:1\"");
  CHECK(parse_listen("300.1.1.1:1", host, port) == "invalid host \"300.1.1.1\" in \"300.1.1.1:1\"");
  CHECK((host == "unchanged" && port == 7));
}

TEST_CASE("mqtt urls") {
  for (const char* ok : {"tcp://127.0.0.1:1883", "mqtt://broker", "ssl://broker.lan:8883", "mqtts://b",
                         "ws://b:9001/mqtt", "wss://[::1]:443/mqtt", "tcp://[fd00::5]"}) {
    CAPTURE(ok);
    CHECK(check_mqtt_url(ok).empty());
  }
  CHECK(check_mqtt_url("http://broker") == "unsupported scheme \"http\" (use tcp, mqtt, ssl, mqtts, ws or wss)");
  CHECK(check_mqtt_url("broker:1883") == "expected a URL like tcp://host:1883, got \"broker:1883\"");
  CHECK(check_mqtt_url("tcp://u:p@broker") ==
        "credentials do not belong in the URL; use mqtt.username and mqtt.password_file");
  CHECK(check_mqtt_url("tcp://broker/x") == "a path is only allowed with ws:// and wss:// URLs");
  CHECK(check_mqtt_url("tcp://broker:0") == "port must be 1-65535, got \"0\"");
  CHECK(check_mqtt_url("tcp://:1883") == "missing host in \"tcp://:1883\"");
  CHECK(url_scheme("wss://x") == "wss");
  CHECK(scheme_uses_tls("mqtts"));
  CHECK_FALSE(scheme_uses_tls("tcp"));
}

TEST_CASE("cidr and ip literals") {
  CHECK(check_cidr("192.168.1.0/24").empty());
  CHECK(check_cidr("10.0.0.1").empty());
  CHECK(check_cidr("fd00::/8").empty());
  CHECK(check_cidr("::/0").empty());
  CHECK(check_cidr("10.0.0.0/33") == "prefix length must be 0-32 for IPv4, got 33");
  CHECK(check_cidr("fd00::/129") == "prefix length must be 0-128 for IPv6, got 129");
  CHECK(check_cidr("10.0.0/8") == "expected an address or CIDR like 192.168.1.0/24 or fd00::/8, got \"10.0.0/8\"");
  CHECK_FALSE(check_cidr("10.0.0.0/").empty());
  CHECK_FALSE(check_cidr("10.0.0.0/x").empty());
  CHECK(canonical_ip("FE80::01") == std::string("fe80::1"));
  CHECK(canonical_ip("192.168.1.108") == std::string("192.168.1.108"));
  CHECK_FALSE(canonical_ip("camera.lan").has_value());
}

TEST_CASE("topic rules") {
  CHECK(check_topic_prefix("cam2mqtt").empty());
  CHECK(check_topic_prefix("site/a/cams").empty());
  CHECK(check_topic_prefix("cams/#") == "must not contain the MQTT wildcard '#'");
  CHECK(check_topic_prefix("a/+/b") == "must not contain the MQTT wildcard '+'");
  CHECK(check_topic_prefix("/cams") == "must not start or end with '/'");
  CHECK(check_topic_prefix("a//b") == "must not contain an empty topic level (\"//\")");
  CHECK(check_topic_prefix("") == "must not be empty");
  CHECK(check_topic_level("driveway").empty());
  CHECK(check_topic_level("a/b") == "must not contain '/' (it is a single topic level)");
  CHECK(check_topic_level("") == "must not be empty");
}
