// A wedged session (src/mqtt/README.md, "Known issue"): the broker closes the connection on a
// message of the client's stored session every time it is resent after CONNECT. PahoPublisher
// must notice, drop the client with its stored session, reconnect with a clean session and send
// what was unacknowledged again from its own queue: everything arrives, the spool forgets it.
// The broker is tests/fakes/fake_wedging_broker.py (mosquitto cannot be made to reject a
// resend deterministically).
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "mqtt/paho_publisher.h"
#include "support/eventually.h"
#include "support/fake_server.h"

using namespace std::chrono_literals;
using cam2mqtt::mqtt::OutgoingMessage;
using cam2mqtt::mqtt::PahoPublisher;
using cam2mqtt::test::FakeServer;

using cam2mqtt::test::eventually;

namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    out += l + "\n";
  }
  return out;
}

} // namespace

TEST_CASE("a stored session the broker rejects after every reconnect is reset: everything arrives",
          "[integration][mqtt][wedge]") {
  FakeServer broker("fake_wedging_broker.py", {});
  const auto dir = std::filesystem::temp_directory_path() / ("cam2mqtt-wedge-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  cam2mqtt::config::MqttConfig cfg;
  cfg.url = "mqtt://127.0.0.1:" + std::to_string(broker.port);
  cfg.client_id = "it-wedge";
  cfg.topic_prefix = "it-wedge";
  cfg.keepalive = std::chrono::seconds(5);
  cfg.buffer.dir = dir.string();
  PahoPublisher::Options options;
  options.first_retry_min = 100ms;
  options.first_retry_max = 400ms;
  {
    PahoPublisher publisher(cfg, nullptr, options);
    publisher.start();
    REQUIRE(eventually([&] { return publisher.connected(); }, 10s));
    const std::vector<std::string> payloads{"a0", "a1", "a2", "poison", "b0", "b1", "b2"};
    for (const auto& p : payloads) {
      publisher.publish(OutgoingMessage{"it-wedge/ev", p, 1, false});
    }
    const bool drained = eventually([&] { return publisher.pending() == 0; }, 30s);
    INFO(join(broker.request_lines()));
    REQUIRE(drained);
    // The broker closed the connection on the poison message at least once.
    CHECK(broker.count_lines("REQ PUBLISH topic=it-wedge/ev qos=1 dup=0 payload=poison accepted=0") == 1);
    CHECK(publisher.stats().session_resets >= 1);
    CHECK(broker.count_lines("REQ CONNECT clean=1 id=it-wedge") >= 1);
    for (const auto& p : payloads) {
      INFO(p);
      CHECK(broker.count_lines("REQ PUBLISH topic=it-wedge/ev qos=1 dup=0 payload=" + p + " accepted=1") >= 1);
    }
    publisher.stop(2s);
  }
  // Everything was acknowledged: the spool's watermark passed it, a restart replays nothing.
  {
    PahoPublisher again(cfg, nullptr, options);
    CHECK(again.pending() == 0);
  }
  std::filesystem::remove_all(dir);
}
