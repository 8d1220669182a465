#include "support/daemon_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/free_port.h"

namespace cam2mqtt::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "cam2mqtt-daemon.XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  return tmpl;
}

// fork/exec with stdout/stderr redirected to files; the child dies with the test.
pid_t spawn(const std::vector<std::string>& args, const std::string& out_path, const std::string& err_path) {
  const pid_t pid = fork();
  if (pid != 0) {
    return pid;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  dup2(out, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  const int devnull = open("/dev/null", O_RDONLY);
  dup2(devnull, STDIN_FILENO);
  std::vector<char*> argv;
  for (const auto& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

// Waits up to `timeout`; returns the exit code (128+sig when killed) or nullopt-as--2.
int wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(10ms);
  }
  return -2;
}
} // namespace

std::string daemon_binary() {
  return std::string(CAM2MQTT_BINARY_DIR) + "/cam2mqtt";
}

CommandResult run_daemon_command(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  const auto dir = make_temp_dir();
  std::vector<std::string> argv{daemon_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = spawn(argv, dir + "/out", dir + "/err");
  CommandResult r;
  r.exit_code = wait_exit(pid, timeout);
  if (r.exit_code == -2) {
    ::kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  r.out = read_file(dir + "/out");
  r.err = read_file(dir + "/err");
  fs::remove_all(dir);
  return r;
}

DaemonProcess::DaemonProcess(const std::string& broker_url, const std::string& extra_yaml,
                             const std::string& extra_mqtt_yaml, const std::string& extra_http_yaml)
    : m_dir(make_temp_dir()), m_http_port(free_loopback_port()) {
  std::ofstream cfg(config_path());
  cfg << "http:\n  listen: \"127.0.0.1:" << m_http_port << "\"\n"
      << extra_http_yaml
      << "mqtt:\n  url: \"" << broker_url << "\"\n  client_id: cam2mqtt-test-" << m_http_port << "\n"
      << "  buffer:\n    dir: " << m_dir << "/buffer\n"
      << extra_mqtt_yaml << extra_yaml;
}

DaemonProcess::~DaemonProcess() {
  if (running()) {
    kill();
  }
  if (std::getenv("CAM2MQTT_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
}

void DaemonProcess::start() {
  m_pid = spawn({daemon_binary(), "-c", config_path()}, m_dir + "/stdout.log", m_dir + "/daemon.log");
  if (!wait_until_port_accepts(m_http_port, 10s)) {
    kill();
    throw std::runtime_error("cam2mqtt did not listen on port " + std::to_string(m_http_port) + "\n" + log());
  }
}

int DaemonProcess::stop(int sig) {
  if (!running()) {
    return -1;
  }
  ::kill(m_pid, sig);
  int rc = wait_exit(m_pid, 15s);
  if (rc == -2) {
    kill();
    return -1;
  }
  m_pid = -1;
  return rc;
}

void DaemonProcess::kill() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
  }
}

std::string DaemonProcess::log() const {
  return read_file(m_dir + "/daemon.log");
}

} // namespace cam2mqtt::testing
