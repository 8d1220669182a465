#pragma once
// A subscriber for integration tests: connects to a broker on 127.0.0.1:PORT, subscribes to a
// topic filter and records every message thread-safely. With a client id and
// clean_session=false it keeps a persistent session, so messages published while it is
// disconnected (e.g. across a broker restart) are queued by the broker and still recorded.
// Uses paho.mqtt.cpp; connects with automatic reconnect.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mqtt {
class async_client;
}

namespace cam2mqtt::testing {

class MqttCollector {
public:
  struct Message {
    std::string topic;
    std::string payload; // bytes
    bool retained = false;
    int qos = 0;
  };

  struct Options {
    std::string client_id;      // "" = a unique generated id
    bool clean_session = true;  // false = persistent session (needs a fixed client_id)
    int qos = 1;                // subscription QoS
    bool auto_reconnect = true; // false: stay away once disconnected (e.g. a session thief)
    // Generous: a loaded CI machine once took more than 5 s to answer a local CONNECT
    // (test_homeassistant, load average 7); a healthy broker answers in milliseconds.
    std::chrono::milliseconds connect_timeout{20000};
  };

  // Connects and subscribes, waiting for the SUBACK; throws std::runtime_error on failure.
  MqttCollector(std::uint16_t port, std::string topic_filter);
  MqttCollector(std::uint16_t port, std::string topic_filter, Options options);
  ~MqttCollector();
  MqttCollector(const MqttCollector&) = delete;
  MqttCollector& operator=(const MqttCollector&) = delete;

  std::vector<Message> messages() const;
  std::vector<Message> messages_on(const std::string& topic) const;
  std::size_t count() const;
  void clear();

  // True once at least `count` messages were recorded (in total) within the timeout.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;
  // The first recorded message on `topic` (already recorded or arriving within the timeout).
  std::optional<Message> wait_for_topic(const std::string& topic,
                                        std::chrono::milliseconds timeout) const;
  // True once a message with exactly this payload was recorded on `topic`.
  bool wait_for_payload(const std::string& topic, const std::string& payload,
                        std::chrono::milliseconds timeout) const;

  // Publishes from the collector's client and waits (bounded) for completion.
  void publish(const std::string& topic, const std::string& payload, int qos, bool retain);
  bool connected() const;
  // Clean disconnect (the persistent session, if any, stays on the broker).
  void disconnect();

private:
  void record(Message msg);

  std::string m_filter;
  Options m_options;
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_cv;
  std::vector<Message> m_messages;
  std::atomic<int> m_connects{0};
  std::unique_ptr<::mqtt::async_client> m_client; // last: its callbacks use the members above
};

} // namespace cam2mqtt::testing
