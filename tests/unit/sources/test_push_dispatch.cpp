// Hikvision push mode through the real IngestPipeline: told apart from Viewtron by content, the
// start/end tracker applied, images attached, heartbeats only touching availability.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/ingest_pipeline.h"
#include "parse/hikvision_stream.h"
#include "support/recording_publisher.h"

using namespace cam2mqtt;
using nlohmann::json;

namespace {
std::string alert(const std::string& type, const std::string& state, const std::string& extra = "") {
  return "<EventNotificationAlert version=\"2.0\" xmlns=\"http://www.isapi.org/ver20/XMLSchema\">"
         "<ipAddress>10.0.0.64</ipAddress><macAddress>44:19:b6:64:64:64</macAddress><channelID>1</channelID>"
         "<eventType>" + type + "</eventType><eventState>" + state + "</eventState>" + extra +
         "</EventNotificationAlert>";
}

http::IncomingPost post(std::string body, std::string content_type = "application/xml") {
  http::IncomingPost p;
  p.peer_ip = "10.0.0.64";
  p.method = "POST";
  p.path = "/any/path";
  p.content_type = std::move(content_type);
  p.body = std::move(body);
  return p;
}

std::vector<json> events(const test::RecordingPublisher& pub) {
  std::vector<json> out;
  for (const auto& m : pub.messages) {
    if (m.topic.find("/image/") == std::string::npos && m.topic.find("/availability") == std::string::npos &&
        m.topic.find("/device") == std::string::npos) {
      out.push_back(json::parse(m.payload));
    }
  }
  return out;
}
} // namespace

TEST_CASE("push mode: XML alerts by content, repeats refreshed, inactive ends, multipart images") {
  config::Config cfg;
  test::RecordingPublisher pub;
  app::DeviceRegistry registry(app::RegistrySettings{"cam2mqtt", 1}, pub);
  app::IngestPipeline pipeline(cfg, pub, registry);

  pipeline.on_post(post(alert("fielddetection", "active")));
  pipeline.on_post(post(alert("fielddetection", "active"), "text/xml")); // a 1 Hz repeat
  pipeline.on_post(post(alert("videoloss", "inactive")));                // heartbeat
  pipeline.on_post(post(alert("fielddetection", "inactive")));
  auto got = events(pub);
  REQUIRE(got.size() == 2);
  CHECK(got[0]["source"] == "hikvision");
  CHECK(got[0]["cameraKey"] == "10.0.0.64-ch1");
  CHECK(got[0]["active"] == true);
  CHECK(got[1]["active"] == false);
  CHECK(got[1].contains("durationMs"));
  CHECK(pipeline.stats().heartbeats == 1);

  const std::string body = "--MIME_boundary\r\nContent-Disposition: form-data; name=\"linedetection\"\r\n"
                           "Content-Type: application/xml\r\n\r\n" + alert("linedetection", "active") +
                           "\r\n--MIME_boundary\r\nContent-Disposition: form-data; name=\"detectionPicture.jpg\"; "
                           "filename=\"detectionPicture.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xFF\xD8jpeg\xFF\xD9\r\n"
                           "--MIME_boundary--\r\n";
  pipeline.on_post(post(body, "multipart/form-data; boundary=MIME_boundary"));
  got = events(pub);
  REQUIRE(got.size() == 3);
  CHECK(got[2]["subtype"] == "lineCrossing");
  CHECK(got[2]["images"]["source"]["bytes"] == 8);
  bool image_published = false;
  for (const auto& m : pub.messages) {
    image_published = image_published || m.topic == "cam2mqtt/10.0.0.64-ch1/intrusion/image/source";
  }
  CHECK(image_published);
}

TEST_CASE("push mode: an active without inactive ends by the stale timer") {
  config::Config cfg;
  test::RecordingPublisher pub;
  app::DeviceRegistry registry(app::RegistrySettings{"cam2mqtt", 1}, pub);
  app::IngestPipeline pipeline(cfg, pub, registry);
  pipeline.on_post(post(alert("VMD", "active")));
  pipeline.sweep_sources(util::now_micros() + std::chrono::seconds(6));
  const auto got = events(pub);
  REQUIRE(got.size() == 2);
  CHECK(got[1]["active"] == false);
  CHECK(got[1]["endReason"] == "timeout");
  CHECK(got[1]["cameraKey"] == "10.0.0.64-ch1");
}

TEST_CASE("publish_source: the entry's event_timeout decides when an active without repeats ends") {
  config::Config cfg;
  test::RecordingPublisher pub;
  app::DeviceRegistry registry(app::RegistrySettings{"cam2mqtt", 1}, pub);
  app::IngestPipeline pipeline(cfg, pub, registry);
  const auto now = util::now_micros();
  auto outcomes = parse::parse_hikvision_payload(alert("VMD", "active"), "application/xml", parse::ParseContext{now});
  REQUIRE(outcomes.size() == 1);
  REQUIRE(outcomes[0]);
  auto second = *outcomes[0];
  pipeline.publish_source(*outcomes[0], app::ResolvedCamera{"gate", "", "10.0.0.64"}, "10.0.0.64", now,
                          std::chrono::seconds(30));
  pipeline.publish_source(second, app::ResolvedCamera{"yard", "", "10.0.0.65"}, "10.0.0.65", now,
                          std::chrono::milliseconds(1000));
  pipeline.sweep_sources(now + std::chrono::seconds(6)); // past the 5 s default
  auto got = events(pub);
  REQUIRE(got.size() == 3);
  CHECK(got[2]["cameraKey"] == "yard");
  CHECK(got[2]["endReason"] == "timeout");
  pipeline.sweep_sources(now + std::chrono::seconds(31));
  got = events(pub);
  REQUIRE(got.size() == 4);
  CHECK(got[3]["cameraKey"] == "gate");
}
