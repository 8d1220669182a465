#include "delivery_test_support.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace cam2mqtt::testing {

namespace {
std::string camera_ip(int cam) {
  return "10.77." + std::to_string(cam / 250) + "." + std::to_string(cam % 250 + 1);
}
} // namespace

std::string numbered_post(int cam, int seq) {
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<config version=\"2.0.0\" xmlns=\"http://www.ipc.com/ver10\">\n"
      << "<messageType>alarmData</messageType>\n"
      << "<deviceInfo><deviceName><![CDATA[Cam " << cam << "]]></deviceName><ip><![CDATA[" << camera_ip(cam)
      << "]]></ip><mac><![CDATA[00:18:AE:00:00:" << (cam % 90 + 10) << "]]></mac><channelId>1</channelId></deviceInfo>\n"
      << "<currentTime>1774792701902505</currentTime>\n"
      << "<smartType>regionIntrusion</smartType>\n"
      << "<eventInfo><item><eventId>" << seq << "</eventId><targetId>" << seq
      << "</targetId><boundary>area</boundary>"
      << "<rect><x1>2000</x1><y1>3000</y1><x2>2600</x2><y2>4800</y2></rect></item></eventInfo>\n"
      << "</config>\n";
  return xml.str();
}

std::string camera_key(int cam) { return camera_ip(cam) + "-ch1"; }

std::string camera_event_topic(int cam) { return "cam2mqtt/" + camera_key(cam) + "/intrusion"; }

void allow_unbounded_session_queue(MosquittoBroker& broker) {
  std::ofstream conf(broker.dir() + "/mosquitto.conf", std::ios::app);
  conf << "max_queued_messages 0\n";
}

int broker_pid(const MosquittoBroker& broker) {
  const std::string conf = broker.dir() + "/mosquitto.conf";
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::string cmdline;
    std::getline(in, cmdline, '\n');
    if (cmdline.find(conf) != std::string::npos && cmdline.find("mosquitto") != std::string::npos) {
      return std::stoi(name);
    }
  }
  return -1;
}

MqttCollector::Options persistent_session(const std::string& client_id) {
  MqttCollector::Options o;
  o.client_id = client_id;
  o.clean_session = false;
  o.qos = 1;
  return o;
}

std::map<std::string, std::vector<int>> received_sequences(const MqttCollector& sub) {
  std::map<std::string, std::vector<int>> out;
  for (const auto& m : sub.messages()) {
    if (m.topic.size() < 10 || m.topic.compare(m.topic.size() - 10, 10, "/intrusion") != 0) {
      continue;
    }
    const auto j = nlohmann::json::parse(m.payload, nullptr, false);
    if (j.is_discarded() || !j.contains("eventId") || !j.contains("cameraKey")) {
      continue;
    }
    out[j["cameraKey"].get<std::string>()].push_back(std::stoi(j["eventId"].get<std::string>()));
  }
  return out;
}

std::string DeliveryCheck::summary() const {
  std::ostringstream s;
  s << "acknowledged=" << acknowledged << " received_distinct=" << received_distinct
    << " duplicates=" << duplicates << " problems=" << problems.size();
  for (const auto& p : problems) {
    s << "\n  " << p;
  }
  return s.str();
}

DeliveryCheck check_delivery(const std::map<std::string, std::vector<int>>& acknowledged,
                             const std::map<std::string, std::vector<int>>& received) {
  DeliveryCheck c;
  auto problem = [&](std::string text) {
    if (c.problems.size() < 20) {
      c.problems.push_back(std::move(text));
    } else if (c.problems.size() == 20) {
      c.problems.emplace_back("...");
    }
  };
  for (const auto& [key, acks] : acknowledged) {
    c.acknowledged += acks.size();
    std::set<int> seen;
    int last_first = -1;
    const auto it = received.find(key);
    if (it != received.end()) {
      for (const int seq : it->second) {
        if (!seen.insert(seq).second) {
          ++c.duplicates;
          continue;
        }
        if (seq < last_first) {
          problem(key + ": event " + std::to_string(seq) + " arrived after " + std::to_string(last_first));
        }
        last_first = seq;
      }
    }
    c.received_distinct += seen.size();
    for (const int seq : acks) {
      if (seen.count(seq) == 0) {
        problem(key + ": acknowledged event " + std::to_string(seq) + " never arrived");
      }
    }
  }
  return c;
}

bool wait_all_received(const MqttCollector& sub, const std::map<std::string, std::vector<int>>& acknowledged,
                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto check = check_delivery(acknowledged, received_sequences(sub));
    bool complete = true;
    for (const auto& p : check.problems) {
      complete = complete && p.find("never arrived") == std::string::npos;
    }
    if (complete || std::chrono::steady_clock::now() >= deadline) {
      return complete;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

} // namespace cam2mqtt::testing
