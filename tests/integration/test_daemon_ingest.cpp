// The daemon end to end: fixtures POSTed over real HTTP, received by a real MQTT subscriber.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <thread>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;
using nlohmann::json;

namespace {
const std::set<std::string> k_categories{"lpr",    "face", "intrusion", "counting", "metadata", "motion",
                                         "io",     "tamper", "traject", "alarm",    "other"};

bool is_event_topic(const std::string& topic) {
  // P/C/<category>: exactly three levels, the last a category.
  const auto first = topic.find('/');
  const auto last = topic.rfind('/');
  return first != last && topic.find('/', first + 1) == last && k_categories.count(topic.substr(last + 1)) != 0;
}

std::vector<MqttCollector::Message> events(const MqttCollector& sub) {
  std::vector<MqttCollector::Message> out;
  for (auto& m : sub.messages()) {
    if (is_event_topic(m.topic)) {
      out.push_back(m);
    }
  }
  return out;
}

bool wait_events(const MqttCollector& sub, std::size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (events(sub).size() >= n) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

struct Rig {
  Rig(const std::string& extra = "") : daemon(broker.url(), extra), sub(broker.port(), "cam2mqtt/#") {
    daemon.start();
  }
  MosquittoBroker broker;
  DaemonProcess daemon;
  MqttCollector sub;
};
} // namespace

TEST_CASE("every category arrives over one keep-alive connection as its golden JSON, images as JPEG") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("events:\n  traject: true\n");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"ipc_v1/vehice_overview_plate.xml", "lpr"},
      {"nvr_v2/vehicle_lpr.xml", "lpr"},
      {"nvr_v2/video_face_detect_two_faces.xml", "face"},
      {"nvr_v2/region_intrusion.xml", "intrusion"},
      {"ipc_v1/pea_tripwire_line.xml", "intrusion"},
      {"nvr_v2/target_counting_by_line.xml", "counting"},
      {"nvr_v2/video_metadata.xml", "metadata"},
      {"ipc_v1/motion.xml", "motion"},
      {"ipc_v1/sensor.xml", "io"},
      {"ipc_v1/avd.xml", "tamper"},
      {"traject/two_targets.xml", "traject"},
      {"alarm_status/ipc_v1_two_alarms.xml", "alarm"},
      {"unknown/falling.xml", "other"},
  };
  auto client = RawClient::connect("127.0.0.1", rig.daemon.http_port());
  REQUIRE(client);
  std::size_t expected_events = 0;
  for (const auto& [rel, category] : cases) {
    // NVRs send the absolute-form request line; cameras the origin form.
    const std::string target = rel.rfind("nvr_v2/", 0) == 0 ? "http://192.168.0.56:5002/API" : "/API";
    INFO(rel);
    REQUIRE(post(*client, fixture(rel), target) == 200);
    expected_events += golden(rel).size();
  }
  INFO(rig.daemon.log());
  REQUIRE(wait_events(rig.sub, expected_events, 10s));
  const auto received = events(rig.sub);
  CHECK(received.size() == expected_events);

  for (const auto& [rel, category] : cases) {
    for (const auto& want : golden(rel)) {
      INFO(rel << " expects " << want.dump());
      const auto match = std::find_if(received.begin(), received.end(), [&](const auto& m) {
        return comparable(json::parse(m.payload)) == comparable(want);
      });
      REQUIRE(match != received.end());
      CHECK(match->topic.substr(match->topic.rfind('/') + 1) == category);
      const auto got = json::parse(match->payload);
      if (!got.contains("images")) {
        continue;
      }
      for (const auto& [which, meta] : got["images"].items()) {
        const auto topic = meta["topic"].get<std::string>();
        CHECK(topic == match->topic + "/image/" + which);
        const auto image = rig.sub.wait_for_topic(topic, 5s);
        REQUIRE(image);
        CHECK(image->payload.size() == meta["bytes"].get<std::size_t>());
        CHECK(image->payload.rfind("\xFF\xD8", 0) == 0); // JPEG start marker
      }
    }
  }

  // Image topics are retained: a subscriber arriving later still gets the last images.
  MqttCollector late(rig.broker.port(), "cam2mqtt/+/lpr/image/+");
  REQUIRE(late.wait_for(2, 5s));
  for (const auto& m : late.messages()) {
    CHECK(m.retained);
  }
}

TEST_CASE("a keep-alive connection stays usable for many posts") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig;
  auto client = RawClient::connect("127.0.0.1", rig.daemon.http_port());
  REQUIRE(client);
  const auto body = fixture("nvr_v2/region_intrusion.xml");
  constexpr int k_posts = 300;
  for (int i = 0; i < k_posts; ++i) {
    REQUIRE(post(*client, body) == 200);
  }
  INFO(rig.daemon.log());
  REQUIRE(wait_events(rig.sub, k_posts, 20s));
  std::set<std::string> ids;
  for (const auto& m : events(rig.sub)) {
    ids.insert(json::parse(m.payload)["id"].get<std::string>());
  }
  CHECK(ids.size() == k_posts); // every message has its own id
}

TEST_CASE("a 6 MiB body gets 413 and the next request on a new connection still works") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig;
  {
    auto client = RawClient::connect("127.0.0.1", rig.daemon.http_port());
    REQUIRE(client);
    const std::string huge(6 * 1024 * 1024, 'A');
    client->send_all(cam2mqtt::test::make_post("/API", huge)); // the server may reset mid-send
    const auto reply = client->read_response(5s);
    REQUIRE(reply);
    CHECK(reply->status == 413);
  }
  auto client = RawClient::connect("127.0.0.1", rig.daemon.http_port());
  REQUIRE(client);
  CHECK(post(*client, fixture("ipc_v1/motion.xml")) == 200);
  INFO(rig.daemon.log());
  CHECK(wait_events(rig.sub, 1, 10s));
  CHECK(rig.daemon.log().find("413") != std::string::npos);
}

TEST_CASE("a broken post is answered 200 and loses nothing else on the same connection") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig;
  auto client = RawClient::connect("127.0.0.1", rig.daemon.http_port());
  REQUIRE(client);
  for (const auto* bad : {"invalid/truncated_mid_element.xml", "invalid/binary_garbage.xml",
                          "invalid/billion_laughs.xml", "invalid/xxe_file_entity.xml"}) {
    CHECK(post(*client, fixture(bad)) == 200);
  }
  CHECK(post(*client, "{\"not\": \"xml\"}") == 200);
  CHECK(post(*client, fixture("nvr_v2/region_intrusion.xml")) == 200);
  INFO(rig.daemon.log());
  REQUIRE(wait_events(rig.sub, 1, 10s));
  std::this_thread::sleep_for(300ms);
  CHECK(events(rig.sub).size() == 1);
  CHECK(rig.daemon.log().find("cannot parse post") != std::string::npos);
  CHECK(rig.daemon.running());
}
