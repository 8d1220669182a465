#include "ha/discovery_state.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "encode/topics.h"
#include "ha/ids.h"

namespace cam2mqtt::ha {

namespace {
using model::Category;

void add_entity(const Settings& s, const std::string& key, const DeviceSpec& d,
                std::map<std::string, EntitySpec>& entities, EntitySpec e, std::vector<Message>& out) {
  out.push_back(discovery_message(s, key, d, e));
  entities[e.key] = std::move(e);
}
} // namespace

DiscoveryState::Camera& DiscoveryState::ensure(const model::DeviceRecord& rec, std::vector<Message>& out,
                                               bool& fresh) {
  const auto& key = rec.cameraKey;
  auto [it, inserted] = m_cameras.try_emplace(key);
  auto& cam = it->second;
  fresh = inserted;
  // Every event passes here: compare the few inputs before building two device specs (about
  // 5 % of the loop thread's instructions per event when they were built every time).
  if (!inserted && cam.inputs.name == rec.name && cam.inputs.peerIp == rec.peerIp &&
      cam.inputs.identity == rec.identity) {
    return cam;
  }
  cam.inputs = DeviceInputs{rec.name, rec.peerIp, rec.identity};
  auto device = camera_device(rec);
  auto nvr = nvr_device(rec);
  if (inserted) {
    cam.device = std::move(device);
    if (nvr) {
      cam.nvr = std::move(nvr);
      cam.nvr_key = nvr_node_key(rec);
      cam.nvr_entity = nvr_entity(m_settings, rec);
    }
    auto conn = connectivity_entity(m_settings, key);
    cam.entities[conn.key] = conn;
    announce_all(key, cam, out);
    return cam;
  }
  if (!(device == cam.device) || nvr != cam.nvr) {
    cam.device = std::move(device);
    if (nvr) {
      cam.nvr = std::move(nvr);
      cam.nvr_key = nvr_node_key(rec);
      cam.nvr_entity = nvr_entity(m_settings, rec);
    }
    announce_all(key, cam, out);
  }
  return cam;
}

void DiscoveryState::announce_all(const std::string& key, const Camera& cam, std::vector<Message>& out) const {
  // The NVR first, so HA knows the via_device when the channel arrives.
  if (cam.nvr && cam.nvr_entity) {
    out.push_back(discovery_message(m_settings, cam.nvr_key, *cam.nvr, *cam.nvr_entity));
  }
  for (const auto& [ekey, e] : cam.entities) {
    out.push_back(discovery_message(m_settings, key, cam.device, e));
  }
}

std::vector<Message> DiscoveryState::on_camera_seen(const model::DeviceRecord& rec) {
  std::vector<Message> out;
  bool fresh = false;
  ensure(rec, out, fresh);
  return out;
}

std::string DiscoveryState::feed_payload(const std::string& json) const {
  // The feed carries no base64 images: HA entities never read them and they make it huge.
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return json;
  }
  j.erase("sourceImage");
  j.erase("targetImage");
  return j.dump();
}

Message DiscoveryState::totals_message(const std::string& key, const Camera& cam) const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, n] : cam.counts) {
    j[k] = n;
  }
  return Message{counting_totals_topic(m_settings, key), j.dump(), true};
}

DiscoveryState::EventOutput DiscoveryState::on_event(const model::DeviceRecord& rec, const model::Event& ev,
                                                     const std::string& json) {
  EventOutput out;
  const auto& key = rec.cameraKey;
  bool fresh = false;
  auto& cam = ensure(rec, out.discovery, fresh);
  out.new_entities = fresh;
  const auto c = ev.category;
  if (cam.categories.insert(c).second) {
    for (auto& e : category_entities(m_settings, key, c)) {
      add_entity(m_settings, key, cam.device, cam.entities, std::move(e), out.discovery);
      out.new_entities = true;
    }
  }
  if (c == Category::alarm) {
    auto e = alarm_entity(m_settings, key, ev);
    if (cam.entities.count(e.key) == 0) {
      add_entity(m_settings, key, cam.device, cam.entities, e, out.discovery);
      out.new_entities = true;
    }
    cam.alarm_states[e.state_topic] = json;
    out.states.push_back(Message{e.state_topic, json, true});
  } else if (c == Category::counting) {
    if (auto seed = m_seeds.find(key); seed != m_seeds.end()) {
      if (cam.counts.empty()) {
        cam.counts = seed->second;
        for (const auto& [k, n] : cam.counts) {
          if (cam.entities.count("count_" + k) == 0) {
            add_entity(m_settings, key, cam.device, cam.entities, counting_entity(m_settings, key, k), out.discovery);
            out.new_entities = true;
          }
        }
      }
      m_seeds.erase(seed);
    }
    const auto ck = counting_key(ev.targets.empty() ? std::string() : ev.targets.front().type);
    for (const auto& k : {std::string("total"), ck}) {
      if (cam.entities.count("count_" + k) == 0) {
        add_entity(m_settings, key, cam.device, cam.entities, counting_entity(m_settings, key, k), out.discovery);
        out.new_entities = true;
      }
      ++cam.counts[k];
    }
    out.states.push_back(totals_message(key, cam));
  } else if (reads_events(c) && m_settings.images == model::ImageMode::base64) {
    out.states.push_back(Message{feed_topic(m_settings, key, c), feed_payload(json), false});
  }
  // HA has subscribed to the state topics of configs the broker already holds unchanged (an
  // earlier run announced them): nothing needs to wait for it.
  if (out.new_entities && std::all_of(out.discovery.begin(), out.discovery.end(), [this](const Message& m) {
        const auto it = m_broker_configs.find(m.topic);
        return it != m_broker_configs.end() && it->second == m.payload;
      })) {
    out.new_entities = false;
  }
  return out;
}

std::vector<Message> DiscoveryState::republish_all() const {
  std::vector<Message> out;
  for (const auto& [key, cam] : m_cameras) {
    announce_all(key, cam, out);
  }
  for (const auto& [key, cam] : m_cameras) {
    if (!cam.counts.empty()) {
      out.push_back(totals_message(key, cam));
    }
    for (const auto& [topic, payload] : cam.alarm_states) {
      out.push_back(Message{topic, payload, true});
    }
  }
  return out;
}

void DiscoveryState::on_broker_config(const std::string& topic, const std::string& payload) {
  // <prefix>/<component>/<node>/<object>/config, prefix possibly with '/' in it.
  const std::string head = m_settings.discovery_prefix + "/";
  if (topic.rfind(head, 0) != 0) {
    return;
  }
  const auto rest = topic.substr(head.size());
  const auto a = rest.find('/');
  const auto b = a == std::string::npos ? a : rest.find('/', a + 1);
  if (b == std::string::npos) {
    return;
  }
  const auto node = rest.substr(a + 1, b - a - 1);
  if (node.rfind("cam2mqtt_", 0) != 0) {
    return;
  }
  auto& topics = m_broker_topics[node];
  if (payload.empty()) {
    topics.erase(topic);
    m_broker_configs.erase(topic);
    return;
  }
  topics.insert(topic);
  m_broker_configs[topic] = payload;
  const auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) {
    return;
  }
  // Retained state topics named by the config (alarm states, totals, images) go with it.
  for (const char* field : {"image_topic", "state_topic"}) {
    if (j.contains(field) && j[field].is_string()) {
      const auto t = j[field].get<std::string>();
      const bool retained_kind = field[0] == 'i' || t.ends_with("/state") || t.ends_with("/totals");
      if (retained_kind) {
        topics.insert(t);
      }
    }
  }
}

std::vector<Message> DiscoveryState::remove_camera(const std::string& camera_key) {
  std::set<std::string> topics;
  const auto node = node_id(camera_key);
  if (auto it = m_broker_topics.find(node); it != m_broker_topics.end()) {
    topics.insert(it->second.begin(), it->second.end());
    for (const auto& t : it->second) {
      m_broker_configs.erase(t);
    }
    m_broker_topics.erase(it);
  }
  if (auto it = m_cameras.find(camera_key); it != m_cameras.end()) {
    for (const auto& [ekey, e] : it->second.entities) {
      topics.insert(discovery_topic(m_settings, camera_key, e));
    }
    for (const auto& [topic, payload] : it->second.alarm_states) {
      topics.insert(topic);
    }
    m_cameras.erase(it);
  }
  m_seeds.erase(camera_key);
  const auto& p = m_settings.topic_prefix;
  topics.insert(encode::camera_topic(p, camera_key, "availability"));
  topics.insert(encode::camera_topic(p, camera_key, "device"));
  topics.insert(counting_totals_topic(m_settings, camera_key));
  for (auto c : {Category::lpr, Category::face, Category::intrusion, Category::counting, Category::metadata,
                 Category::motion, Category::io, Category::tamper, Category::traject, Category::alarm,
                 Category::other}) {
    for (const char* which : {"source", "target"}) {
      topics.insert(encode::image_topic(p, camera_key, c, which));
    }
  }
  std::vector<Message> out;
  for (const auto& t : topics) {
    out.push_back(removal_message(t));
  }
  return out;
}

void DiscoveryState::seed_counts(const std::string& camera_key, const std::string& payload) {
  if (auto it = m_cameras.find(camera_key); it != m_cameras.end() && !it->second.counts.empty()) {
    return; // counted in this run already (this is our own message coming back)
  }
  const auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) {
    return;
  }
  std::map<std::string, std::uint64_t> counts;
  for (const auto& [k, v] : j.items()) {
    if (v.is_number_unsigned() && counting_key(k) == k) {
      counts[k] = v.get<std::uint64_t>();
    } else if (k == "total" && v.is_number_unsigned()) {
      counts[k] = v.get<std::uint64_t>();
    }
  }
  if (!counts.empty()) {
    m_seeds[camera_key] = std::move(counts);
  }
}

std::uint64_t DiscoveryState::count(const std::string& camera_key, const std::string& count_key) const {
  const auto it = m_cameras.find(camera_key);
  if (it == m_cameras.end()) {
    return 0;
  }
  const auto c = it->second.counts.find(count_key);
  return c == it->second.counts.end() ? 0 : c->second;
}

} // namespace cam2mqtt::ha
