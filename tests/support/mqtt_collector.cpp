#include "support/mqtt_collector.h"

#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <utility>

#include <mqtt/async_client.h>

namespace cam2mqtt::testing {
namespace {

std::string unique_client_id() {
  static std::atomic<int> counter{0};
  return "collector-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

} // namespace

MqttCollector::MqttCollector(std::uint16_t port, std::string topic_filter)
    : MqttCollector(port, std::move(topic_filter), Options{}) {}

MqttCollector::MqttCollector(std::uint16_t port, std::string topic_filter, Options options)
    : m_filter(std::move(topic_filter)), m_options(std::move(options)) {
  if (m_options.client_id.empty()) {
    m_options.client_id = unique_client_id();
  }
  m_client = std::make_unique<::mqtt::async_client>(
      "tcp://127.0.0.1:" + std::to_string(port), m_options.client_id,
      ::mqtt::create_options(MQTTVERSION_3_1_1), nullptr);
  m_client->set_message_callback([this](::mqtt::const_message_ptr msg) {
    record(Message{msg->get_topic(), msg->to_string(), msg->is_retained(), msg->get_qos()});
  });
  if (m_options.clean_session) {
    // A clean session forgets the subscription when the connection drops: subscribe again on
    // every automatic reconnect (the first connect subscribes below).
    m_client->set_connected_handler([this](const std::string&) {
      if (++m_connects > 1) {
        try {
          m_client->subscribe(m_filter, m_options.qos);
        } catch (const ::mqtt::exception&) {
        }
      }
    });
  }
  auto builder = ::mqtt::connect_options_builder();
  builder.mqtt_version(MQTTVERSION_3_1_1)
      .clean_session(m_options.clean_session)
      .connect_timeout(std::chrono::duration_cast<std::chrono::seconds>(m_options.connect_timeout));
  if (m_options.auto_reconnect) {
    builder.automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(2));
  }
  const auto opts = builder.finalize();
  try {
    if (!m_client->connect(opts)->wait_for(m_options.connect_timeout)) {
      throw std::runtime_error("collector: connect timed out");
    }
    if (!m_client->subscribe(m_filter, m_options.qos)->wait_for(m_options.connect_timeout)) {
      throw std::runtime_error("collector: subscribe timed out");
    }
  } catch (const ::mqtt::exception& e) {
    throw std::runtime_error(std::string("collector: ") + e.what());
  }
}

MqttCollector::~MqttCollector() {
  try {
    disconnect();
  } catch (...) {
  }
}

void MqttCollector::record(Message msg) {
  {
    std::lock_guard lock(m_mutex);
    m_messages.push_back(std::move(msg));
  }
  m_cv.notify_all();
}

std::vector<MqttCollector::Message> MqttCollector::messages() const {
  std::lock_guard lock(m_mutex);
  return m_messages;
}

std::vector<MqttCollector::Message> MqttCollector::messages_on(const std::string& topic) const {
  std::lock_guard lock(m_mutex);
  std::vector<Message> out;
  for (const auto& m : m_messages) {
    if (m.topic == topic) {
      out.push_back(m);
    }
  }
  return out;
}

std::size_t MqttCollector::count() const {
  std::lock_guard lock(m_mutex);
  return m_messages.size();
}

void MqttCollector::clear() {
  std::lock_guard lock(m_mutex);
  m_messages.clear();
}

bool MqttCollector::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(m_mutex);
  return m_cv.wait_for(lock, timeout, [&] { return m_messages.size() >= n; });
}

std::optional<MqttCollector::Message> MqttCollector::wait_for_topic(
    const std::string& topic, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(m_mutex);
  std::optional<Message> found;
  m_cv.wait_for(lock, timeout, [&] {
    for (const auto& m : m_messages) {
      if (m.topic == topic) {
        found = m;
        return true;
      }
    }
    return false;
  });
  return found;
}

bool MqttCollector::wait_for_payload(const std::string& topic, const std::string& payload,
                                     std::chrono::milliseconds timeout) const {
  std::unique_lock lock(m_mutex);
  return m_cv.wait_for(lock, timeout, [&] {
    for (const auto& m : m_messages) {
      if (m.topic == topic && m.payload == payload) {
        return true;
      }
    }
    return false;
  });
}

void MqttCollector::publish(const std::string& topic, const std::string& payload, int qos,
                            bool retain) {
  auto tok = m_client->publish(topic, payload.data(), payload.size(), qos, retain);
  if (!tok->wait_for(m_options.connect_timeout)) {
    throw std::runtime_error("collector: publish timed out");
  }
}

bool MqttCollector::connected() const { return m_client->is_connected(); }

void MqttCollector::disconnect() {
  if (m_client->is_connected()) {
    m_client->disconnect()->wait_for(m_options.connect_timeout);
  }
}

} // namespace cam2mqtt::testing
