// Issue 6 (4): the daemon's link to the broker over TLS, against mosquitto with a TLS
// listener and certificates generated per test run (tests/support/make-test-certs.sh, openssl
// CLI). Events arrive over TLS with CA verification, a client certificate and a password from
// password_file; a server certificate from another CA is refused (unless verify: false is set
// explicitly, which is logged as a warning); a wrong password is refused with a clear log line.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "test_hostile_support.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;

namespace {

constexpr const char* k_user = "cam2mqtt";
constexpr const char* k_password = "s3cret-Pa55word";

// Certificates for one test, removed at the end.
struct Certs {
  Certs() {
    char tmpl[] = "/tmp/cam2mqtt-certs-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    dir = tmpl;
    const std::string cmd = std::string(CAM2MQTT_SOURCE_DIR) + "/tests/support/make-test-certs.sh " + dir +
                            " >" + dir + "/openssl.log 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      throw std::runtime_error("make-test-certs.sh failed, see " + dir + "/openssl.log");
    }
    MosquittoBroker::write_password_file(dir + "/passwd", k_user, k_password);
  }
  ~Certs() {
    if (std::getenv("CAM2MQTT_KEEP_TEST_DIRS") == nullptr) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  }
  std::string operator()(const std::string& name) const { return dir + "/" + name; }
  std::string dir;
};

MosquittoBroker::Options tls_broker(const Certs& certs, bool rogue) {
  MosquittoBroker::Options o;
  o.tls.ca_file = certs("ca.pem");
  o.tls.cert_file = certs(rogue ? "rogue-server.pem" : "server.pem");
  o.tls.key_file = certs(rogue ? "rogue-server.key" : "server.key");
  o.tls.require_certificate = true;
  o.tls.password_file = certs("passwd");
  return o;
}

// The daemon's mqtt section extras: user, password_file (written into the daemon's dir) and tls.
std::string mqtt_yaml(const Certs& certs, const std::string& password_file, const std::string& tls_extra = "") {
  return std::string("  username: ") + k_user + "\n  password_file: " + password_file +
         "\n  tls:\n    ca_file: " + certs("ca.pem") + "\n    cert_file: " + certs("client.pem") +
         "\n    key_file: " + certs("client.key") + "\n" + tls_extra;
}

std::string write_secret(const Certs& certs, const std::string& name, const std::string& secret) {
  const std::string path = certs(name);
  std::ofstream(path) << secret << "\n";
  return path;
}

bool motion_arrives(const MqttCollector& sub, std::chrono::milliseconds timeout) {
  return wait_for_condition(
      [&] {
        for (const auto& m : sub.messages()) {
          if (m.topic.size() > 7 && m.topic.compare(m.topic.size() - 7, 7, "/motion") == 0) {
            return true;
          }
        }
        return false;
      },
      timeout);
}

void post_motion(const DaemonProcess& daemon) {
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  REQUIRE(post(*client, fixture("ipc_v1/motion.xml")) == 200);
}

} // namespace

TEST_CASE("events reach the broker over TLS with CA verification, client certificate and password_file") {
  MosquittoBroker::skip_if_unavailable();
  Certs certs;
  MosquittoBroker broker(tls_broker(certs, false));
  MqttCollector sub(broker.port(), "cam2mqtt/#"); // the plain listener, for the test only
  DaemonProcess daemon(broker.tls_url(), "", mqtt_yaml(certs, write_secret(certs, "mqtt-password", k_password)));
  daemon.start();
  post_motion(daemon);
  INFO(daemon.log() << broker.log());
  CHECK(motion_arrives(sub, 15s));
  CHECK(sub.wait_for_payload("cam2mqtt/bridge/state", "online", 5s));
  const std::string log = daemon.log();
  CHECK(log.find("mqtt: connected") != std::string::npos);
  CHECK(log.find(k_password) == std::string::npos);
  CHECK(broker.log().find("as cam2mqtt-test") != std::string::npos);
  CHECK(daemon.stop() == 0);
}

TEST_CASE("a broker certificate from another CA is refused; verify: false must be explicit and warns") {
  MosquittoBroker::skip_if_unavailable();
  Certs certs;
  MosquittoBroker broker(tls_broker(certs, true));
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  const std::string password_file = write_secret(certs, "mqtt-password", k_password);
  {
    DaemonProcess daemon(broker.tls_url(), "", mqtt_yaml(certs, password_file));
    daemon.start();
    post_motion(daemon); // answered and buffered, never delivered to the impostor
    INFO(daemon.log() << broker.log());
    CHECK_FALSE(motion_arrives(sub, 4s));
    const std::string log = daemon.log();
    CHECK(log.find("mqtt: connect failed") != std::string::npos);
    CHECK(log.find("mqtt: connected") == std::string::npos);
    CHECK(broker.log().find("as cam2mqtt-test") == std::string::npos); // never got a session
    CHECK(log.find("certificate verification failed") != std::string::npos);
  }
  {
    DaemonProcess daemon(broker.tls_url(), "", mqtt_yaml(certs, password_file, "    verify: false\n"));
    daemon.start();
    post_motion(daemon);
    INFO(daemon.log() << broker.log());
    CHECK(motion_arrives(sub, 15s));
    CHECK(daemon.log().find("tls certificate verification is off") != std::string::npos);
  }
}

TEST_CASE("a wrong broker password is refused with a clear log line and never logged") {
  MosquittoBroker::skip_if_unavailable();
  Certs certs;
  MosquittoBroker broker(tls_broker(certs, false));
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  const std::string wrong = "wrong-Pa55word";
  DaemonProcess daemon(broker.tls_url(), "", mqtt_yaml(certs, write_secret(certs, "mqtt-password", wrong)));
  daemon.start();
  post_motion(daemon);
  INFO(daemon.log() << broker.log());
  CHECK_FALSE(motion_arrives(sub, 4s));
  const std::string log = daemon.log();
  CHECK(log.find("mqtt: connect failed") != std::string::npos);
  CHECK(log.find("reason=\"broker refused: not authorized") != std::string::npos);
  CHECK(log.find(wrong) == std::string::npos);
  CHECK(log.find(k_password) == std::string::npos);
  CHECK(daemon.running());
}
