// The systemd notify protocol as the unit (Type=notify, WatchdogSec=) relies on it, against the
// real daemon: a datagram socket stands in for systemd's NOTIFY_SOCKET.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
namespace fs = std::filesystem;

namespace {
class NotifySocket {
public:
  NotifySocket() {
    char tmpl[] = "/tmp/cam2mqtt-notify.XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    m_dir = tmpl;
    m_path = m_dir + "/notify";
    m_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(m_fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(m_path.size() < sizeof addr.sun_path);
    m_path.copy(addr.sun_path, m_path.size());
    REQUIRE(bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~NotifySocket() {
    close(m_fd);
    fs::remove_all(m_dir);
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return m_path; }

  // Every datagram that arrives within `window`.
  std::vector<std::string> collect(std::chrono::milliseconds window) {
    std::vector<std::string> out;
    const auto deadline = std::chrono::steady_clock::now() + window;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return out;
      }
      pollfd p{m_fd, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) == 1) {
        char buf[4096];
        const auto n = recv(m_fd, buf, sizeof buf, 0);
        if (n > 0) {
          out.emplace_back(buf, static_cast<std::size_t>(n));
        }
      }
    }
  }

private:
  std::string m_dir;
  std::string m_path;
  int m_fd = -1;
};

std::size_t count_with(const std::vector<std::string>& messages, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& m : messages) {
    n += m.find(needle) != std::string::npos ? 1 : 0;
  }
  return n;
}
} // namespace

TEST_CASE("sd_notify: READY=1 once listening, STATUS= for MQTT, WATCHDOG=1 from the loop, STOPPING=1") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  NotifySocket notify;
  DaemonProcess daemon(broker.url());
  // The child inherits these at fork; systemd would set them for Type=notify and WatchdogSec=1s.
  setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
  setenv("WATCHDOG_USEC", "1000000", 1);
  daemon.start();
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
  INFO(daemon.log());

  auto messages = notify.collect(2600ms);
  std::string all;
  for (const auto& m : messages) {
    all += m + " | ";
  }
  INFO("notifications: " << all);
  REQUIRE(count_with(messages, "READY=1") == 1);
  CHECK(messages.front().find("READY=1") != std::string::npos); // nothing before READY
  CHECK(count_with(messages, "STATUS=listening on port " + std::to_string(daemon.http_port())) == 1);
  CHECK(count_with(messages, "STATUS=mqtt connected") == 1);
  CHECK(count_with(messages, "WATCHDOG=1") >= 4); // every WatchdogSec/2 = 500 ms

  broker.stop();
  messages = notify.collect(1500ms);
  std::string after;
  for (const auto& m : messages) {
    after += m + " | ";
  }
  INFO("after broker stop: " << after);
  CHECK(count_with(messages, "STATUS=mqtt disconnected") == 1);

  CHECK(daemon.stop() == 0);
  messages = notify.collect(300ms);
  CHECK(count_with(messages, "STOPPING=1") == 1);
}
