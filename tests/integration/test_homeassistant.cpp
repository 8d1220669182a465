// Home Assistant discovery end to end: the real daemon, a real mosquitto, fixtures of every
// category; the discovery configs are read back retained from the broker and checked, their
// templates rendered against the messages actually published on their state topics.
#include <catch2/catch.hpp>

#include <mqtt/async_client.h>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "unit/ha/discovery_checks.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;
using nlohmann::json;

namespace {
constexpr auto k_settle_wait = 3s; // the daemon holds a new entity's first feed message for 2 s

// One fixture per category (NVR posts use the absolute-form request line, as NVRs do).
const std::vector<std::string> k_fixtures{
    "ipc_v1/vehice_overview_plate.xml", "nvr_v2/vehicle_lpr.xml",          "nvr_v2/video_face_detect_two_faces.xml",
    "nvr_v2/region_intrusion.xml",      "ipc_v1/pea_tripwire_line.xml",    "nvr_v2/target_counting_by_line.xml",
    "ipc_v1/passlinecount.xml",         "nvr_v2/video_metadata.xml",       "alarm_status/ipc_v1_two_alarms.xml",
    "unknown/falling.xml",              "ipc_v1/motion.xml",               "ipc_v1/sensor.xml",
    "ipc_v1/avd.xml"};

void post_all(std::uint16_t port, const std::vector<std::string>& rels) {
  auto client = RawClient::connect("127.0.0.1", port);
  REQUIRE(client);
  for (const auto& rel : rels) {
    const std::string target = rel.rfind("nvr_v2/", 0) == 0 ? "http://192.168.0.56:5002/API" : "/API";
    INFO(rel);
    REQUIRE(post(*client, fixture(rel), target) == 200);
  }
}

bool is_config(const std::string& topic) {
  return topic.rfind("homeassistant/", 0) == 0 && topic.size() > 7 && topic.substr(topic.size() - 7) == "/config";
}

// The retained configs on the broker, as a new subscriber sees them (waits until none arrive for 1 s).
std::map<std::string, std::string> retained_configs(std::uint16_t port, const std::string& filter = "homeassistant/#") {
  MqttCollector sub(port, filter);
  std::size_t last = 0;
  int stable = 0;
  for (int i = 0; i < 60 && stable < 6; ++i) {
    std::this_thread::sleep_for(250ms);
    const auto n = sub.count();
    stable = n == last ? stable + 1 : 0;
    last = n;
  }
  std::map<std::string, std::string> out;
  for (const auto& m : sub.messages()) {
    if (m.retained && is_config(m.topic) && !m.payload.empty()) {
      out[m.topic] = m.payload;
    }
  }
  return out;
}

struct Rig {
  explicit Rig(const std::string& extra = "")
      : daemon(broker.url(), extra), all(broker.port(), "#") {
    daemon.start();
  }
  MosquittoBroker broker;
  DaemonProcess daemon;
  MqttCollector all;
};

// Home Assistant's behaviour that matters here: it subscribes to an entity's state topic only
// some time after it has received the entity's config.
class LateSubscriber {
public:
  explicit LateSubscriber(std::uint16_t port)
      : m_client("tcp://127.0.0.1:" + std::to_string(port), "fake-ha", ::mqtt::create_options(MQTTVERSION_3_1_1)) {
    m_client.set_message_callback([this](::mqtt::const_message_ptr msg) {
      std::lock_guard lock(m_mutex);
      if (is_config(msg->get_topic())) {
        const auto cfg = json::parse(msg->to_string(), nullptr, false);
        if (cfg.is_object() && cfg.contains("state_topic")) {
          m_pending.push_back({std::chrono::steady_clock::now() + 500ms, cfg["state_topic"].get<std::string>()});
        }
      } else {
        m_states[msg->get_topic()].push_back(msg->to_string());
      }
    });
    m_client.connect(::mqtt::connect_options_builder().clean_session(true).finalize())->wait();
    m_client.subscribe("homeassistant/+/+/+/config", 1)->wait();
    m_worker = std::thread([this] {
      while (!m_stop) {
        std::this_thread::sleep_for(20ms);
        std::vector<std::string> due;
        {
          std::lock_guard lock(m_mutex);
          for (auto it = m_pending.begin(); it != m_pending.end();) {
            if (std::chrono::steady_clock::now() >= it->first) {
              due.push_back(it->second);
              it = m_pending.erase(it);
            } else {
              ++it;
            }
          }
        }
        for (const auto& t : due) {
          if (m_subscribed.insert(t).second) {
            m_client.subscribe(t, 1)->wait();
          }
        }
      }
    });
  }
  ~LateSubscriber() {
    m_stop = true;
    m_worker.join();
    m_client.disconnect()->wait();
  }
  std::string debug() {
    std::lock_guard lock(m_mutex);
    std::string out = "subscribed:";
    for (const auto& t : m_subscribed) out += " " + t;
    out += " states:";
    for (const auto& [t, v] : m_states) out += " " + t + "=" + std::to_string(v.size());
    return out;
  }
  std::size_t states_on(const std::string& topic) {
    std::lock_guard lock(m_mutex);
    return m_states[topic].size();
  }

private:
  ::mqtt::async_client m_client;
  std::mutex m_mutex;
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> m_pending;
  std::map<std::string, std::vector<std::string>> m_states;
  std::set<std::string> m_subscribed;
  std::atomic<bool> m_stop{false};
  std::thread m_worker;
};
} // namespace

TEST_CASE("every category's retained discovery configs are valid and resolve against the published payloads") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig;
  post_all(rig.daemon.http_port(), k_fixtures);
  std::this_thread::sleep_for(k_settle_wait);
  INFO(rig.daemon.log());
  const auto configs = retained_configs(rig.broker.port());
  REQUIRE(configs.size() > 20);

  std::set<std::string> uids;
  std::set<std::string> objects;
  std::size_t rendered = 0;
  std::size_t images = 0;
  for (const auto& [topic, payload] : configs) {
    const auto cfg = json::parse(payload);
    check_discovery_config(topic, cfg);
    CHECK(uids.insert(cfg["unique_id"].get<std::string>()).second);
    const auto object = topic.substr(0, topic.rfind('/'));
    objects.insert(object.substr(object.rfind('/') + 1));
    if (cfg.contains("image_topic")) {
      // The image entity's topic carries retained JPEG bytes once the camera sent such an image.
      const auto image_topic = cfg["image_topic"].get<std::string>();
      const auto which = image_topic.substr(image_topic.rfind('/') + 1);
      const auto category_topic = image_topic.substr(0, image_topic.rfind("/image/"));
      bool sent = false;
      for (const auto& ev : rig.all.messages_on(category_topic)) {
        const auto j = json::parse(ev.payload);
        sent = sent || (j.contains("images") && j["images"].contains(which) && j["images"][which]["topic"] == image_topic);
      }
      if (!sent) {
        continue;
      }
      MqttCollector img(rig.broker.port(), image_topic);
      const auto m = img.wait_for_topic(image_topic, 5s);
      INFO(image_topic);
      REQUIRE(m);
      CHECK(m->retained);
      CHECK(m->payload.rfind("\xFF\xD8", 0) == 0);
      ++images;
      continue;
    }
    const auto state_topic = cfg["state_topic"].get<std::string>();
    const auto states = rig.all.messages_on(state_topic);
    INFO(topic << " reads " << state_topic);
    REQUIRE(!states.empty());
    for (const auto& s : states) {
      if (cfg.contains("value_template") || cfg.contains("json_attributes_template")) {
        check_templates(cfg, json::parse(s.payload));
        ++rendered;
      } else {
        CHECK((s.payload == cfg["payload_on"] || s.payload == cfg["payload_off"]));
      }
    }
  }
  CHECK(rendered > 20);
  CHECK(images >= 4); // plate, overview, face, face snapshot at least
  for (const char* want : {"connectivity", "plate", "plate_group", "vehicle_type", "plate_read", "plate_image",
                           "overview_image", "region_intrusion", "line_crossing", "region_entry", "region_exit",
                           "loitering", "illegal_parking", "intrusion_event", "face", "face_event", "face_image",
                           "count_total", "count_car", "metadata_event", "other_event", "motion", "alarm_input",
                           "tamper", "ip_address"}) {
    INFO(want);
    CHECK(objects.count(want) == 1);
  }
  bool alarm = false;
  for (const auto& o : objects) {
    alarm = alarm || o.rfind("alarm_perimeter_alarm", 0) == 0;
  }
  CHECK(alarm);

  // Split mode: entities read the event topic itself; one message per event, no copy.
  CHECK(rig.all.messages_on("cam2mqtt/192.168.0.60-ch2/lpr").size() == 1);
  CHECK(rig.all.messages_on("cam2mqtt/192.168.0.60-ch2/lpr/ha").empty());
  // The counters count: two counting posts, one car and one from the IPC.
  const auto totals = rig.all.messages_on("cam2mqtt/192.168.0.60-ch2/counting/totals");
  REQUIRE(!totals.empty());
  CHECK(json::parse(totals.back().payload)["total"] == 1);
}

TEST_CASE("the first event of a new entity reaches a subscriber that subscribes after the config") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig;
  LateSubscriber ha(rig.broker.port());
  post_all(rig.daemon.http_port(), {"nvr_v2/vehicle_lpr.xml", "nvr_v2/region_intrusion.xml"});
  INFO(rig.daemon.log());
  const std::vector<std::string> events{"cam2mqtt/192.168.0.60-ch2/lpr", "cam2mqtt/192.168.0.60-ch1/intrusion"};
  const auto deadline = std::chrono::steady_clock::now() + 8s;
  while (std::chrono::steady_clock::now() < deadline &&
         (ha.states_on(events[0]) == 0 || ha.states_on(events[1]) == 0)) {
    std::this_thread::sleep_for(50ms);
  }
  std::this_thread::sleep_for(500ms);
  for (const auto& topic : events) {
    INFO(topic);
    INFO(ha.debug());
    CHECK(ha.states_on(topic) == 1);                     // HA got the held first event...
    CHECK(rig.all.messages_on(topic).size() == 1);       // ...and everyone got it exactly once
    CHECK(rig.all.messages_on(topic + "/ha").empty()); // with no copy
  }
}

TEST_CASE("after a restart, entities the broker already holds get their first event at once") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig;
  post_all(rig.daemon.http_port(), {"nvr_v2/vehicle_lpr.xml"});
  INFO(rig.daemon.log());
  std::this_thread::sleep_for(k_settle_wait);
  REQUIRE(rig.all.messages_on("cam2mqtt/192.168.0.60-ch2/lpr").size() == 1);
  rig.daemon.stop();
  rig.daemon.start();
  std::this_thread::sleep_for(1s); // the retained configs come back to the new process
  rig.all.clear();
  const auto posted = std::chrono::steady_clock::now();
  post_all(rig.daemon.http_port(), {"nvr_v2/vehicle_lpr.xml"});
  REQUIRE(rig.all.wait_for_topic("cam2mqtt/192.168.0.60-ch2/lpr", 5s));
  CHECK(std::chrono::steady_clock::now() - posted < 1500ms); // not held for the settle time
}

TEST_CASE("online on homeassistant/status and a broker restart make every config arrive again") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig;
  post_all(rig.daemon.http_port(), {"nvr_v2/vehicle_lpr.xml", "alarm_status/ipc_v1_two_alarms.xml",
                                    "nvr_v2/target_counting_by_line.xml"});
  INFO(rig.daemon.log());
  std::this_thread::sleep_for(k_settle_wait);
  const auto configs = retained_configs(rig.broker.port());
  REQUIRE(configs.size() > 10);

  auto live_configs = [&](const MqttCollector& sub) {
    std::set<std::string> seen;
    for (const auto& m : sub.messages()) {
      if (is_config(m.topic) && !m.retained && !m.payload.empty()) {
        seen.insert(m.topic);
      }
    }
    return seen;
  };
  auto wait_all = [&](const MqttCollector& sub) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline && live_configs(sub).size() < configs.size()) {
      std::this_thread::sleep_for(50ms);
    }
    const auto seen = live_configs(sub);
    for (const auto& [topic, payload] : configs) {
      INFO(topic);
      CHECK(seen.count(topic) == 1);
    }
  };

  {
    MqttCollector sub(rig.broker.port(), "homeassistant/+/+/+/config");
    std::this_thread::sleep_for(500ms); // the retained copies
    sub.clear();
    sub.publish("homeassistant/status", "online", 1, false);
    wait_all(sub);
  }
  {
    // A persistent session: the broker queues what the daemon sends while this subscriber is
    // still reconnecting, so the race between the two reconnects does not matter.
    MqttCollector::Options opts;
    opts.client_id = "ha-restart-watch";
    opts.clean_session = false;
    MqttCollector sub(rig.broker.port(), "homeassistant/+/+/+/config", opts);
    std::this_thread::sleep_for(500ms);
    sub.clear();
    rig.broker.stop();
    rig.broker.start(); // persistence keeps the retained copies; the daemon sends them anew
    REQUIRE(sub.wait_for(1, 10s));
    std::this_thread::sleep_for(1s);
    wait_all(sub);
  }
}

TEST_CASE("homeassistant.enabled false publishes nothing under the discovery prefix") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("homeassistant:\n  enabled: false\ncameras:\n  list:\n    - {ip: 192.168.1.50, id: listed}\n");
  post_all(rig.daemon.http_port(), k_fixtures);
  INFO(rig.daemon.log());
  std::this_thread::sleep_for(k_settle_wait);
  std::size_t events = 0;
  for (const auto& m : rig.all.messages()) {
    CHECK(m.topic.rfind("homeassistant/", 0) != 0);
    CHECK(m.topic.find("/ha") == std::string::npos);
    CHECK(m.topic.find("/totals") == std::string::npos);
    events += m.topic.rfind("cam2mqtt/", 0) == 0 ? 1 : 0;
  }
  CHECK(events > 10); // the events themselves still flow
}

TEST_CASE("a camera listed in the config is a device with its connectivity sensor from the start") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig("cameras:\n  list:\n    - {ip: 192.168.1.50, id: gate, name: Gate}\n");
  INFO(rig.daemon.log());
  const auto cfg = rig.all.wait_for_topic("homeassistant/binary_sensor/cam2mqtt_gate/connectivity/config", 10s);
  REQUIRE(cfg);
  const auto j = json::parse(cfg->payload);
  check_discovery_config(cfg->topic, j);
  CHECK(j["device"]["name"] == "Gate");
  CHECK(j["state_topic"] == "cam2mqtt/gate/availability");
}

TEST_CASE("a removal request clears a camera's configs and retained states, also those of an earlier run") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  {
    DaemonProcess first(broker.url());
    first.start();
    post_all(first.http_port(), {"alarm_status/ipc_v1_two_alarms.xml", "unknown/falling.xml", "nvr_v2/vehicle_lpr.xml"});
    std::this_thread::sleep_for(1500ms);
    INFO(first.log());
    CHECK(first.stop() == 0);
  }
  const auto before = retained_configs(broker.port());
  std::size_t ours = 0;
  for (const auto& [topic, payload] : before) {
    ours += topic.find("/cam2mqtt_192_168_1_192/") != std::string::npos ? 1 : 0;
  }
  REQUIRE(ours >= 3); // connectivity and the alarms

  DaemonProcess second(broker.url()); // knows nothing of the camera but what the broker holds
  second.start();
  MqttCollector req(broker.port(), "cam2mqtt/bridge/state");
  REQUIRE(req.wait_for_payload("cam2mqtt/bridge/state", "online", 10s));
  std::this_thread::sleep_for(1s);
  req.publish("cam2mqtt/bridge/request/ha_remove", "192.168.1.192", 1, false);
  std::this_thread::sleep_for(1500ms);
  INFO(second.log());
  const auto after = retained_configs(broker.port());
  for (const auto& [topic, payload] : after) {
    CHECK(topic.find("/cam2mqtt_192_168_1_192/") == std::string::npos);
  }
  CHECK(after.size() + ours == before.size()); // the other cameras stay
  MqttCollector states(broker.port(), "cam2mqtt/192.168.1.192/#");
  std::this_thread::sleep_for(1s);
  for (const auto& m : states.messages()) {
    INFO(m.topic);
    CHECK(!m.retained);
  }
}

TEST_CASE("counting continues from the retained totals after a daemon restart") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  const std::string topic = "cam2mqtt/192.168.0.60-ch2/counting/totals";
  for (int run = 1; run <= 2; ++run) {
    DaemonProcess daemon(broker.url());
    daemon.start();
    MqttCollector sub(broker.port(), topic);
    std::this_thread::sleep_for(1s); // the retained totals reach the daemon
    post_all(daemon.http_port(), {"nvr_v2/target_counting_by_line.xml"});
    INFO(daemon.log());
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    auto total = [&] {
      const auto ms = sub.messages_on(topic);
      return ms.empty() ? json() : json::parse(ms.back().payload)["total"];
    };
    while (std::chrono::steady_clock::now() < deadline && total() != json(run)) {
      std::this_thread::sleep_for(50ms);
    }
    CHECK(total() == json(run));
    CHECK(daemon.stop() == 0);
  }
}
