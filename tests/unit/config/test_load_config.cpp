#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"

namespace fs = std::filesystem;
using namespace cam2mqtt::config;
using namespace std::chrono_literals;

namespace {

const std::string k_valid = CAM2MQTT_FIXTURES_DIR "/config/valid";
const std::string k_shipped = CAM2MQTT_SOURCE_DIR "/config";

// The diagnostics of a load that must fail ("" lines when it loads).
std::vector<std::string> errors_of(const std::string& yaml) {
  try {
    load_config_from_string(yaml, "t.yaml");
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}

// A config equal to `loaded` in everything a user can set, compared against Config{}.
Config without_derived(Config loaded) {
  loaded.file.clear();
  loaded.mqtt.client_id.clear();
  return loaded;
}

// A scratch directory removed at the end of the test.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("cam2mqtt-config-test-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(path / name, std::ios::binary) << content;
    return (path / name).string();
  }
};

} // namespace

TEST_CASE("an empty file gives every default") {
  const Config cfg = load_config(k_valid + "/empty.yaml");
  CHECK(without_derived(cfg) == Config{});
  CHECK(cfg.file == k_valid + "/empty.yaml");
  CHECK(cfg.mqtt.client_id.rfind("cam2mqtt-", 0) == 0);
  CHECK(cfg.warnings.empty());
  CHECK(without_derived(load_config_from_string("", "x.yaml")) == Config{});
  CHECK(without_derived(load_config_from_string("# only a comment\n", "x.yaml")) == Config{});
}

TEST_CASE("the shipped config loads cleanly and holds exactly the defaults") {
  const Config shipped = load_config(k_shipped + "/cam2mqtt.yaml");
  CHECK(shipped.warnings.empty());
  // Every key written in the file equals the code's default, so docs and code cannot drift.
  CHECK(without_derived(shipped) == Config{});
  CHECK(shipped.mqtt.url == "tcp://127.0.0.1:1883");
  CHECK(shipped.mqtt.buffer.dir == "/var/lib/cam2mqtt/buffer");
  CHECK(shipped.mqtt.password.empty());
}

TEST_CASE("the shipped minimal config loads cleanly") {
  const Config minimal = load_config(k_shipped + "/cam2mqtt.minimal.yaml");
  CHECK(minimal.warnings.empty());
  REQUIRE(minimal.cameras.list.size() == 1);
  CHECK(minimal.cameras.list[0].id == "driveway");
}

TEST_CASE("every key of the full fixture is read") {
  const Config cfg = load_config(k_valid + "/full.yaml");
  CHECK(cfg.warnings.empty());
  CHECK(cfg.http.listen_host == "127.0.0.1");
  CHECK(cfg.http.listen_port == 8080);
  CHECK(cfg.http.keepalive_timeout == 120s);
  CHECK(cfg.http.header_timeout == 70s);
  CHECK(cfg.http.max_body_size == 8u * 1024 * 1024);
  CHECK(cfg.http.max_connections == 64);
  CHECK(cfg.http.allow == std::vector<std::string>{"192.168.1.0/24", "fd00::/8", "10.1.2.3"});
  CHECK(cfg.mqtt.url == "mqtts://broker.example.net:8883");
  CHECK(cfg.mqtt.client_id == "gatehouse");
  CHECK(cfg.mqtt.username == "cam2mqtt");
  CHECK(cfg.mqtt.password == "s3cret");
  CHECK(cfg.mqtt.password_file == k_valid + "/secrets/mqtt-password");
  CHECK(cfg.mqtt.tls.ca_file == k_valid + "/secrets/ca.pem");
  CHECK(cfg.mqtt.tls.cert_file.empty());
  CHECK_FALSE(cfg.mqtt.tls.verify);
  CHECK(cfg.mqtt.qos == 2);
  CHECK(cfg.mqtt.topic_prefix == "site/cams");
  CHECK(cfg.mqtt.keepalive == 60s);
  CHECK(cfg.mqtt.buffer.max_messages == 5000);
  CHECK(cfg.mqtt.buffer.max_bytes == 64u * 1024 * 1024);
  CHECK(cfg.mqtt.buffer.dir == k_valid + "/buffer");
  CHECK(cfg.images == cam2mqtt::model::ImageMode::base64);
  CHECK(cfg.cameras.offline_after == 300s);
  REQUIRE(cfg.cameras.list.size() == 4);
  CHECK(cfg.cameras.list[0] == CameraEntry{"192.168.1.108", "", "Driveway", "driveway"});
  CHECK(cfg.cameras.list[1] == CameraEntry{"192.168.1.50", "2", "Gate", "gate"});
  CHECK(cfg.cameras.list[2] == CameraEntry{"192.168.1.50", "3", "", ""});
  CHECK(cfg.cameras.list[3].ip == "fd00::108"); // canonical form
  CHECK(cfg.events.traject);
  CHECK(cfg.events.raw_xml);
  CHECK_FALSE(cfg.homeassistant.enabled);
  CHECK(cfg.homeassistant.discovery_prefix == "ha");
  CHECK(cfg.homeassistant.off_delay == 10s);
  CHECK(cfg.log.level == "debug");
}

TEST_CASE("IPv6 listen addresses lose their brackets") {
  const Config cfg = load_config(k_valid + "/ipv6_listen.yaml");
  CHECK(cfg.http.listen_host == "::");
  CHECK(cfg.http.listen_port == 5050);
  CHECK(load_config_from_string("http: {listen: \"127.0.0.1:0\"}", "t.yaml").http.listen_port == 0);
}

TEST_CASE("password_file resolves against the config file's directory") {
  const Config cfg = load_config(k_valid + "/password_file_relative.yaml");
  CHECK(cfg.mqtt.password == "s3cret");
  CHECK(cfg.mqtt.password_file == k_valid + "/secrets/mqtt-password");
  CHECK(cfg.warnings.empty());
}

TEST_CASE("password_file loses exactly one trailing newline") {
  TempDir dir;
  const std::string config = dir.write("c.yaml", "mqtt: {password_file: pw}\n");
  dir.write("pw", "a b\r\n");
  CHECK(load_config(config).mqtt.password == "a b");
  dir.write("pw", "two\n\n");
  CHECK(load_config(config).mqtt.password == "two\n");
  dir.write("pw", "none");
  CHECK(load_config(config).mqtt.password == "none");
  dir.write("pw", "\n");
  CHECK(errors_of("mqtt: {password_file: " + (dir.path / "pw").string() + "}") ==
        std::vector<std::string>{"t.yaml:1:23: mqtt.password_file: \"" + (dir.path / "pw").string() + "\" is empty"});
}

TEST_CASE("an inline password works but warns") {
  const std::string file = k_valid + "/inline_password.yaml";
  const Config cfg = load_config(file);
  CHECK(cfg.mqtt.password == "hunter2");
  CHECK(cfg.mqtt.password_file.empty());
  CHECK(cfg.warnings == std::vector<std::string>{
                           file + ":4:13: mqtt.password: inline password; prefer password_file so the secret "
                                  "stays out of the config"});
}

TEST_CASE("tls settings with a plain url warn") {
  const Config cfg = load_config_from_string("mqtt:\n  tls: {verify: false}\n", "t.yaml");
  CHECK(cfg.warnings == std::vector<std::string>{
                           "t.yaml:2:8: mqtt.tls: has no effect with a tcp:// url (use ssl://, mqtts:// or wss://)"});
}

TEST_CASE("all problems are reported in one pass") {
  const std::string yaml = "http:\n"
                           "  listen: nowhere\n"
                           "  max_body_size: huge\n"
                           "mqtt:\n"
                           "  qos: 7\n"
                           "  colour: blue\n"
                           "log: {level: loud}\n"
                           "extra: 1\n";
  try {
    load_config_from_string(yaml, "many.yaml");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    const std::vector<std::string> expected{
        "many.yaml:2:11: http.listen: expected host:port like 0.0.0.0:5050 or [::]:5050, got \"nowhere\"",
        "many.yaml:3:18: http.max_body_size: expected a size like 5MiB, got \"huge\"",
        "many.yaml:5:8: mqtt.qos: must be between 0 and 2, got 7",
        "many.yaml:6:3: mqtt.colour: unknown key",
        "many.yaml:7:14: log.level: expected one of trace, debug, info, warn, error, critical, off; got \"loud\"",
        "many.yaml:8:1: extra: unknown key",
    };
    CHECK(e.diagnostics() == expected);
    CHECK(std::string(e.what()) == expected[0] + "\n" + expected[1] + "\n" + expected[2] + "\n" + expected[3] +
                                       "\n" + expected[4] + "\n" + expected[5]);
  }
}

TEST_CASE("a missing file names the file and the reason") {
  const std::string path = k_valid + "/does-not-exist.yaml";
  try {
    load_config(path);
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.diagnostics() == std::vector<std::string>{path + ": cannot read: No such file or directory"});
  }
}

TEST_CASE("values and sections") {
  CHECK(load_config_from_string("cameras: {offline_after: 2000ms}", "t.yaml").cameras.offline_after == 2s);
  CHECK(load_config_from_string("http: {max_body_size: 1MB}", "t.yaml").http.max_body_size == 1000000u);
  CHECK(load_config_from_string("http:\nmqtt:\n", "t.yaml").http == HttpConfig{});
  CHECK(load_config_from_string("events: {traject: yes}", "t.yaml").events.traject);
  CHECK(load_config_from_string("mqtt: {keepalive: 0}", "t.yaml").mqtt.keepalive == 0s);
  CHECK(errors_of("mqtt: {keepalive: 1d}") ==
        std::vector<std::string>{"t.yaml:1:19: mqtt.keepalive: must be at most 65535s (MQTT limit), got 86400s"});
  CHECK(load_config_from_string("mqtt: {password: \"\"}", "t.yaml").warnings.empty());
  CHECK(errors_of("http: 5") == std::vector<std::string>{"t.yaml:1:7: http: expected a map, got \"5\""});
  CHECK(errors_of("cameras: {list: {ip: 10.0.0.1}}") ==
        std::vector<std::string>{"t.yaml:1:17: cameras.list: expected a list, got a map"});
  CHECK(errors_of("mqtt: {tls: {key_file: " CAM2MQTT_FIXTURES_DIR "/config/valid/secrets/ca.pem}}") ==
        std::vector<std::string>{"t.yaml:1:13: mqtt.tls.cert_file: is required when key_file is set"});
  CHECK(errors_of("sources: {}").empty()); // issue 7: outbound sources (tests/unit/sources)
}
