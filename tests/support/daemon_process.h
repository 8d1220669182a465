#pragma once
// The real cam2mqtt binary as a child process for integration tests: a generated YAML config in
// a temp dir, fork/exec, wait until its HTTP port accepts; stderr goes to a log file that tests
// print on failure. RAII: the destructor SIGKILLs a daemon still running.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cam2mqtt::testing {

// The binary the build produced (CAM2MQTT_BINARY_DIR/cam2mqtt).
std::string daemon_binary();

struct CommandResult {
  int exit_code = -1;
  std::string out; // stdout
  std::string err; // stderr
};
// Runs the daemon binary with `args` to completion (bounded by `timeout`).
CommandResult run_daemon_command(const std::vector<std::string>& args,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

class DaemonProcess {
public:
  // `extra_yaml` is appended to a config that sets http.listen to a free loopback port and
  // mqtt.url to `broker_url`; the top-level keys http and mqtt are written by this class, so
  // extra_yaml may use every other section. `extra_mqtt_yaml` and `extra_http_yaml` are
  // appended inside those sections (indent their keys by two spaces).
  DaemonProcess(const std::string& broker_url, const std::string& extra_yaml = "",
                const std::string& extra_mqtt_yaml = "", const std::string& extra_http_yaml = "");
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  void start();                 // throws std::runtime_error (with the log) when it does not listen
  int stop(int sig = 15);       // signal and wait (bounded); returns the exit code, -1 if killed
  void kill();                  // SIGKILL
  bool running() const noexcept { return m_pid > 0; }
  pid_t pid() const noexcept { return m_pid; }

  std::uint16_t http_port() const noexcept { return m_http_port; }
  const std::string& dir() const noexcept { return m_dir; }
  std::string config_path() const { return m_dir + "/cam2mqtt.yaml"; }
  std::string log() const;

private:
  std::string m_dir;
  std::uint16_t m_http_port = 0;
  pid_t m_pid = -1;
};

} // namespace cam2mqtt::testing
