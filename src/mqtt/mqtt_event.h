#pragma once
// What PahoPublisher reports to the application: a small value, built on Paho's threads (or the
// publisher's worker thread) and handed to the `notify` callback, whose only job is to post it to
// the loop thread's mailbox (paho 1.5's `mqtt::event` idea, for paho 1.2).
#include <string>

namespace cam2mqtt::mqtt {

struct MqttEvent {
  enum class Kind {
    connected,       // (re)connected; retained "online" is already queued: republish retained state
    connection_lost, // `cause` says why (may be empty); Paho reconnects by itself
    message_arrived, // a message on a subscribe()d filter: `topic`, `payload`
    delivery_failed, // Paho gave up on a message: `topic`, `cause`
  };

  Kind kind = Kind::connected;
  std::string topic;
  std::string payload;
  std::string cause;
};

const char* to_string(MqttEvent::Kind kind) noexcept;

} // namespace cam2mqtt::mqtt
