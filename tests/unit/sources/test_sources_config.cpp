#include <catch2/catch.hpp>

#include "config/config.h"

using namespace cam2mqtt::config;
using namespace std::chrono_literals;

namespace {
std::vector<std::string> errors_of(const std::string& yaml) {
  try {
    load_config_from_string(yaml, "t.yaml");
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}
} // namespace

TEST_CASE("sources: hikvision and cvedia entries with defaults") {
  const auto cfg = load_config_from_string(R"(sources:
  hikvision:
    - id: gate
      url: "http://192.168.1.64"
      username: admin
      password: secret
      channels: [1, 2]
      snapshot: true
      stall_timeout: 45s
    - url: "https://nvr.local:8443"
      auth: basic
      verify_tls: false
  cvedia:
    - id: yard
      url: "http://rt-host:3546"
      instance: "0d5d6b2a-3c1b-4c4e-9a53-5b0f7c1e0a11"
      events: [event-intrusion, event-line-crossing, crop]
      mode: poll
      poll_interval: 500ms
      crop_wait: 2s
)", "t.yaml");
  REQUIRE(cfg.sources.hikvision.size() == 2);
  const auto& gate = cfg.sources.hikvision[0];
  CHECK(gate.id == "gate");
  CHECK(gate.password == "secret");
  CHECK(gate.auth == "digest");
  CHECK(gate.channels == std::vector<int>{1, 2});
  CHECK(gate.snapshot);
  CHECK(gate.stall_timeout == 45s);
  CHECK(gate.verify_tls);
  CHECK(cfg.sources.hikvision[1].auth == "basic");
  CHECK_FALSE(cfg.sources.hikvision[1].verify_tls);
  CHECK(cfg.sources.hikvision[1].stall_timeout == 60s);
  REQUIRE(cfg.sources.cvedia.size() == 1);
  const auto& yard = cfg.sources.cvedia[0];
  CHECK(yard.mode == "poll");
  CHECK(yard.poll_interval == 500ms);
  CHECK(yard.crop_wait == 2000ms);
  CHECK(yard.events.size() == 3);
  CHECK(cfg.warnings.size() == 1); // inline password
}

TEST_CASE("sources: errors name file, line, column and key") {
  CHECK(errors_of("sources:\n  hikvision:\n    - id: a\n") ==
        std::vector<std::string>{"t.yaml:3:7: sources.hikvision[0].url: required key is missing"});
  CHECK(errors_of("sources:\n  hikvision:\n    - url: ftp://x\n") ==
        std::vector<std::string>{"t.yaml:3:12: sources.hikvision[0].url: expected an http:// or https:// URL, got \"ftp://x\""});
  CHECK(errors_of("sources:\n  hikvision:\n    - url: http://x\n      channels: [0]\n") ==
        std::vector<std::string>{"t.yaml:4:18: sources.hikvision[0].channels[0]: expected a channel number 1..512, got \"0\""});
  CHECK(errors_of("sources:\n  cvedia:\n    - url: http://x\n      instance: a\n      mode: push\n") ==
        std::vector<std::string>{"t.yaml:5:13: sources.cvedia[0].mode: expected one of sse, poll; got \"push\""});
  CHECK(errors_of("sources:\n  cvedia:\n    - url: http://x\n      instance: a\n      poll_interval: 5ms\n") ==
        std::vector<std::string>{"t.yaml:5:22: sources.cvedia[0].poll_interval: must be at least 100ms, got \"5ms\""});
  CHECK(errors_of("sources:\n  hikvision:\n    - {id: a, url: http://x}\n  cvedia:\n    - {id: a, url: http://y, instance: i}\n") ==
        std::vector<std::string>{"t.yaml:5:12: sources.cvedia[0].id: duplicate source id \"a\" (first at line 3)"});
  CHECK(errors_of("sources:\n  hikvision:\n    - {url: http://x, stall: 5s}\n").size() == 1);
  CHECK(errors_of("sources:\n  hikvision:\n    - {url: \"http://u:p@x\"}\n").size() == 1);
}
