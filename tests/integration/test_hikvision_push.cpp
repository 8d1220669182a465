// Hikvision push mode end to end (issue 7 item 3): EventNotificationAlert POSTs to the same HTTP
// listener as Viewtron, told apart by content (not by path), plain XML and multipart/form-data
// with an XML and a JPEG part, over a real socket -> the real daemon -> a real mosquitto.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "integration/daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using nlohmann::json;

namespace {
std::string hikvision_fixture(const std::string& name) {
  std::ifstream in(std::string(CAM2MQTT_SOURCE_DIR) + "/fixtures/hikvision/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string jpeg() {
  std::string j("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
  for (int b = 0; b < 256; ++b) {
    j.push_back(static_cast<char>(b));
  }
  return j + "\xff\xd9";
}

int post_raw(cam2mqtt::test::RawClient& client, const std::string& target, const std::string& body,
             const std::string& content_type) {
  // Not make_post(): that one always sends an XML Content-Type.
  const std::string request = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + content_type +
                              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (!client.send_all(request)) {
    return 0;
  }
  const auto reply = client.read_response();
  return reply ? reply->status : 0;
}

struct PushRig {
  MosquittoBroker broker;
  DaemonProcess daemon{broker.url()};
  MqttCollector sub{broker.port(), "cam2mqtt/#"};
  PushRig() { daemon.start(); }
};
} // namespace

TEST_CASE("push mode: a plain EventNotificationAlert POST arrives normalized, whatever the path") {
  MosquittoBroker::skip_if_unavailable();
  PushRig rig;
  INFO(rig.daemon.log());
  auto client = cam2mqtt::test::RawClient::connect("127.0.0.1", rig.daemon.http_port());
  REQUIRE(client);
  REQUIRE(post_raw(*client, "/any/path", hikvision_fixture("linedetection.xml"), "application/xml") == 200);
  const auto msg = rig.sub.wait_for_topic("cam2mqtt/10.0.5.21-ch1/intrusion", 10s);
  REQUIRE(msg);
  const auto j = json::parse(msg->payload);
  CHECK(j["source"] == "hikvision");
  CHECK(j["eventType"] == "linedetection");
  CHECK(j["subtype"] == "lineCrossing");
  // The same keep-alive connection still takes a Viewtron post afterwards.
  REQUIRE(post(*client, fixture("ipc_v1/motion.xml")) == 200);
  CHECK(rig.sub.wait_for_topic("cam2mqtt/127.0.0.1/motion", 10s));
}

TEST_CASE("push mode: multipart/form-data with an XML and a JPEG part publishes the JPEG as image/source") {
  MosquittoBroker::skip_if_unavailable();
  PushRig rig;
  INFO(rig.daemon.log());
  auto client = cam2mqtt::test::RawClient::connect("127.0.0.1", rig.daemon.http_port());
  REQUIRE(client);
  const std::string boundary = "MIME_boundary_4d2a";
  const auto picture = jpeg();
  const std::string body = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"linedetection\"\r\n"
                           "Content-Type: application/xml; charset=\"UTF-8\"\r\n\r\n" +
                           hikvision_fixture("linedetection.xml") + "\r\n--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"linedetectionImage\"; "
                           "filename=\"linedetection.jpg\"\r\nContent-Type: image/jpeg\r\n"
                           "Content-Length: " +
                           std::to_string(picture.size()) + "\r\n\r\n" + picture + "\r\n--" + boundary + "--\r\n";
  REQUIRE(post_raw(*client, "/", body, "multipart/form-data; boundary=" + boundary) == 200);
  const auto image = rig.sub.wait_for_topic("cam2mqtt/10.0.5.21-ch1/intrusion/image/source", 10s);
  REQUIRE(image);
  CHECK(image->payload == picture);
  MqttCollector late(rig.broker.port(), "cam2mqtt/10.0.5.21-ch1/intrusion/image/source");
  const auto kept = late.wait_for_topic("cam2mqtt/10.0.5.21-ch1/intrusion/image/source", 5s);
  REQUIRE(kept);
  CHECK(kept->retained); // the picture stays for a late subscriber
  const auto msg = rig.sub.wait_for_topic("cam2mqtt/10.0.5.21-ch1/intrusion", 10s);
  REQUIRE(msg);
  const auto j = json::parse(msg->payload);
  CHECK(j["hasImages"] == true);
  CHECK(j["images"]["source"]["bytes"] == picture.size());
}
