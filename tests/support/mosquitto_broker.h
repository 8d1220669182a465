#pragma once
// A real mosquitto for integration tests (mosquitto's start_broker / pgbouncer's PortLock
// style): a free loopback port, a generated mosquitto.conf in a temp dir (persistence on, so a
// restart keeps sessions and retained messages), fork/exec, wait until the port accepts.
// RAII: the destructor stops the broker and removes the directory (kept when the environment
// variable CAM2MQTT_KEEP_TEST_DIRS is set).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace cam2mqtt::testing {

class MosquittoBroker {
public:
  struct Options {
    bool start = true; // start in the constructor; false = only reserve port and directory
    std::chrono::milliseconds start_timeout{5000};
  };

  // Path of the mosquitto binary (PATH, then /usr/sbin, /usr/local/sbin); "" when absent.
  static std::string find_binary();
  // Prints a note and exits the test process with 77 (CTest SKIP_RETURN_CODE) when mosquitto is
  // absent.
  static void skip_if_unavailable();

  MosquittoBroker();
  explicit MosquittoBroker(Options options);
  ~MosquittoBroker();
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  // Starts (again) on the same port; throws std::runtime_error, with the broker log, when it
  // does not accept connections within the start timeout.
  void start();
  // SIGTERM and wait (mosquitto saves its persistence file); SIGKILL after 5 s.
  void stop();
  // SIGKILL: an abrupt death, nothing saved.
  void kill();
  bool running() const noexcept { return m_pid > 0; }

  std::uint16_t port() const noexcept { return m_port; }
  std::string url() const; // "tcp://127.0.0.1:PORT"
  const std::string& dir() const noexcept { return m_dir; }
  // The broker's log file (all runs so far), for failure messages.
  std::string log() const;

private:
  void write_config() const;
  void wait_for_exit(std::chrono::milliseconds timeout);

  Options m_options;
  std::string m_binary;
  std::string m_dir;
  std::uint16_t m_port = 0;
  pid_t m_pid = -1;
};

} // namespace cam2mqtt::testing
