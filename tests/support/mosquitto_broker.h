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
  // A second listener speaking TLS (off when cert_file is empty). The plain listener stays
  // anonymous, for test subscribers; the TLS one takes only users of `password_file` (when
  // set) and, with require_certificate, only clients with a certificate signed by ca_file.
  struct TlsListener {
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    bool require_certificate = false;
    std::string password_file; // mosquitto_passwd format; "" = anonymous allowed
  };

  struct Options {
    bool start = true; // start in the constructor; false = only reserve port and directory
    std::chrono::milliseconds start_timeout{5000};
    TlsListener tls{}; // {} keeps Options{false} free of -Wmissing-field-initializers
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
  // The TLS listener (0 / "" without one): "ssl://localhost:PORT" (the test certificates
  // name localhost and 127.0.0.1).
  std::uint16_t tls_port() const noexcept { return m_tls_port; }
  std::string tls_url() const;
  // Writes `user`/`password` into `file` with mosquitto_passwd -b (creating it); throws on failure.
  static void write_password_file(const std::string& file, const std::string& user,
                                  const std::string& password);
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
  std::uint16_t m_tls_port = 0;
  pid_t m_pid = -1;
};

} // namespace cam2mqtt::testing
