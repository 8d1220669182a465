// Issue 6 (3): access control on the camera port. http.allow refuses other peers with 403
// and a log line; http.auth demands HTTP Basic credentials (401 + WWW-Authenticate), and the
// credentials never show up in the log.
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <thread>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "test_hostile_support.h"
#include "util/base64.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;

namespace {

std::size_t motion_events(const MqttCollector& sub) {
  std::size_t n = 0;
  for (const auto& m : sub.messages()) {
    n += m.topic.size() > 7 && m.topic.compare(m.topic.size() - 7, 7, "/motion") == 0 ? 1 : 0;
  }
  return n;
}

std::optional<cam2mqtt::test::HttpReply> send(RawClient& c, const std::string& body, const std::string& headers = "") {
  if (!c.send_all(cam2mqtt::test::make_post("/API", body, headers))) {
    return std::nullopt;
  }
  return c.read_response(5s);
}

} // namespace

TEST_CASE("http.allow: a peer outside the list gets 403, a log line, and publishes nothing") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  DaemonProcess outside(broker.url(), "", "", "  allow: [192.168.1.0/24, \"fd00::/8\"]\n");
  outside.start();
  {
    auto c = RawClient::connect("127.0.0.1", outside.http_port());
    REQUIRE(c);
    const auto reply = send(*c, fixture("ipc_v1/motion.xml"));
    REQUIRE(reply);
    CHECK(reply->status == 403);
    CHECK(reply->header("connection") == "close");
    CHECK(c->wait_closed(2s));
    auto get = RawClient::connect("127.0.0.1", outside.http_port());
    REQUIRE(get);
    REQUIRE(get->send_all("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto health = get->read_response(5s);
    REQUIRE(health);
    CHECK(health->status == 403);
  }
  INFO(outside.log());
  CHECK(wait_for_condition(
      [&] { return outside.log().find("status=403 reason=forbidden peer=127.0.0.1") != std::string::npos; }, 5s));
  std::this_thread::sleep_for(300ms);
  CHECK(motion_events(sub) == 0);

  DaemonProcess inside(broker.url(), "", "", "  allow: [10.0.0.0/8, 127.0.0.0/8, \"::1\"]\n");
  inside.start();
  auto c = RawClient::connect("127.0.0.1", inside.http_port());
  REQUIRE(c);
  const auto reply = send(*c, fixture("ipc_v1/motion.xml"));
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(wait_for_condition([&] { return motion_events(sub) == 1; }, 10s));
}

TEST_CASE("http.auth: missing or wrong credentials get 401 with a challenge; right ones post") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  const std::string password = "Cam-Secret-7781";
  DaemonProcess daemon(broker.url(), "", "",
                       "  auth:\n    username: camera\n    password_file: http-password\n");
  std::ofstream(daemon.dir() + "/http-password") << password << "\n";
  daemon.start();
  const std::string body = fixture("ipc_v1/motion.xml");
  const std::string good_token = cam2mqtt::util::base64_encode("camera:" + password);
  const std::string bad_token = cam2mqtt::util::base64_encode("camera:Cam-Secret-7782");

  auto c = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(c);
  const auto missing = send(*c, body);
  REQUIRE(missing);
  CHECK(missing->status == 401);
  CHECK(missing->header("www-authenticate").rfind("Basic realm=\"cam2mqtt\"", 0) == 0);
  // The connection stays usable: a camera retries with credentials.
  const auto wrong = send(*c, body, "Authorization: Basic " + bad_token + "\r\n");
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  const auto right = send(*c, body, "Authorization: Basic " + good_token + "\r\n");
  REQUIRE(right);
  CHECK(right->status == 200);

  INFO(daemon.log());
  CHECK(wait_for_condition([&] { return motion_events(sub) == 1; }, 10s));
  std::this_thread::sleep_for(200ms);
  CHECK(motion_events(sub) == 1);
  const std::string log = daemon.log();
  CHECK(log.find("status=401 reason=unauthorized peer=127.0.0.1") != std::string::npos);
  CHECK(log.find(password) == std::string::npos);
  CHECK(log.find(good_token) == std::string::npos);
  CHECK(log.find(bad_token) == std::string::npos);
  CHECK(log.find("Cam-Secret") == std::string::npos);
}
