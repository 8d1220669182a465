// Issue 6 (2): abusive clients on loopback, each cut off by a limit, while a well-behaved
// camera keeps posting on its own keep-alive connection: it loses nothing and its replies
// stay fast. Every attack is bounded in time and in count.
//
// Latency: the camera posts every 20 ms for the whole test and records each reply time. The
// assertion is on the 95th percentile (< 100 ms, the issue's bound; ASan builds get 250 ms):
// a 2-core CI box shared with the attacker threads, the broker and the daemon shows single
// outliers from scheduling alone, which a max or p99 bound would turn into flakes, while an
// attack that really starves the loop moves the whole distribution. p99 and max are printed.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <thread>
#include <vector>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "test_hostile_support.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int k_max_connections = 40;
constexpr auto k_deadline = 2s; // http.header_timeout in this test
constexpr double k_p95_bound_ms = k_sanitized ? 250.0 : 100.0;
// How long after the deadline a cut-off may take on a loaded machine (timer + close).
constexpr auto k_slack = k_sanitized ? 8s : 4s;

// A raw loopback socket with a small receive buffer (so a client that never reads fills
// both socket buffers quickly); -1 on failure.
int connect_small_rcvbuf(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends as much of `bytes` as the socket takes within `timeout`; false once the peer closed.
bool send_some(int fd, std::string_view bytes, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLOUT, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
    return true; // still open, just full
  }
  if ((p.revents & (POLLERR | POLLHUP)) != 0) {
    return false;
  }
  const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  return n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK;
}

std::size_t motion_events(const MqttCollector& sub) {
  std::size_t n = 0;
  for (const auto& m : sub.messages()) {
    n += m.topic.size() > 7 && m.topic.compare(m.topic.size() - 7, 7, "/motion") == 0 ? 1 : 0;
  }
  return n;
}

struct Rig {
  Rig()
      : daemon(broker.url(), "", "",
               "  header_timeout: 2s\n  keepalive_timeout: 30s\n  max_connections: " +
                   std::to_string(k_max_connections) + "\n"),
        sub(broker.port(), "cam2mqtt/#") {
    daemon.start();
  }
  MosquittoBroker broker;
  DaemonProcess daemon;
  MqttCollector sub;
};

} // namespace

TEST_CASE("abusive clients are cut off by limits; a good camera loses nothing and stays fast") {
  MosquittoBroker::skip_if_unavailable();
  Rig rig;
  const std::uint16_t port = rig.daemon.http_port();
  const std::size_t idle_rss = rss_kib(rig.daemon.pid());
  std::size_t max_rss = idle_rss;
  GoodCamera camera(port, fixture("ipc_v1/motion.xml"), 20ms);
  std::this_thread::sleep_for(200ms); // the camera's connection is open before the attacks

  SECTION("all attacks, one after another") {
    // 1. Slowloris: 20 connections, one header byte every 300 ms, never finishing. Each
    //    inactivity gap is far below the timeout; the total deadline closes them.
    {
      INFO("slowloris");
      std::vector<RawClient> slow;
      for (int i = 0; i < 20; ++i) {
        auto c = RawClient::connect("127.0.0.1", port);
        REQUIRE(c);
        slow.push_back(std::move(*c));
      }
      const std::string head = "POST /API HTTP/1.1\r\nHost: x\r\nX-Slow: ";
      const auto start = Clock::now();
      std::vector<bool> closed(slow.size(), false);
      std::size_t open = slow.size();
      for (std::size_t i = 0; open > 0 && Clock::now() - start < k_deadline + k_slack; ++i) {
        for (std::size_t c = 0; c < slow.size(); ++c) {
          if (closed[c]) {
            continue;
          }
          const char byte = i < head.size() ? head[i] : 'a';
          if (!slow[c].send_all(std::string_view(&byte, 1)) || slow[c].wait_closed(1ms)) {
            closed[c] = true;
            --open;
          }
        }
        std::this_thread::sleep_for(300ms);
      }
      const auto took = Clock::now() - start;
      CHECK(open == 0);
      CHECK(took >= k_deadline - 200ms);
      CHECK(took < k_deadline + k_slack);
      max_rss = std::max(max_rss, rss_kib(rig.daemon.pid()));
    }
    // 2. Connection flood: ten times max_connections, held open.
    {
      INFO("connection flood");
      std::vector<RawClient> flood;
      for (int i = 0; i < 10 * k_max_connections; ++i) {
        if (auto c = RawClient::connect("127.0.0.1", port)) {
          flood.push_back(std::move(*c));
        }
      }
      // The camera holds one slot; everything beyond the limit is closed right after accept.
      // Poll until that count is reached (a loaded machine may take a moment to accept all).
      const std::size_t expected = flood.size() - static_cast<std::size_t>(k_max_connections);
      std::size_t refused = 0;
      std::vector<bool> closed(flood.size(), false);
      const auto until = Clock::now() + k_slack;
      do {
        for (std::size_t i = 0; i < flood.size(); ++i) {
          if (!closed[i] && flood[i].wait_closed(5ms)) {
            closed[i] = true;
            ++refused;
          }
        }
      } while (refused < expected && Clock::now() < until);
      CHECK(refused >= flood.size() - static_cast<std::size_t>(k_max_connections));
      CHECK(refused <= flood.size() - static_cast<std::size_t>(k_max_connections) + 1);
      max_rss = std::max(max_rss, rss_kib(rig.daemon.pid()));
    }
    // The flood's connections are gone (closed by the test): new ones work again.
    REQUIRE(wait_for_condition(
        [&] {
          auto c = RawClient::connect("127.0.0.1", port);
          return c && post(*c, fixture("ipc_v1/motion.xml")) == 200;
        },
        5s));
    // 3a. Endless chunked body at full speed: max_body_size (413) stops it.
    {
      INFO("endless chunked body, fast");
      auto c = RawClient::connect("127.0.0.1", port);
      REQUIRE(c);
      REQUIRE(c->send_all("POST /API HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
      const std::string chunk = "10000\r\n" + std::string(0x10000, 'A') + "\r\n";
      const auto start = Clock::now();
      bool cut = false;
      while (!cut && Clock::now() - start < k_deadline + k_slack) {
        cut = !c->send_all(chunk);
        if (!cut && c->wait_closed(0ms)) {
          cut = true;
        }
      }
      CHECK(cut);
      max_rss = std::max(max_rss, rss_kib(rig.daemon.pid()));
    }
    // 3b. Endless chunked body trickling in: the request deadline stops it.
    {
      INFO("endless chunked body, slow");
      auto c = RawClient::connect("127.0.0.1", port);
      REQUIRE(c);
      REQUIRE(c->send_all("POST /API HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
      const auto start = Clock::now();
      bool cut = false;
      while (!cut && Clock::now() - start < k_deadline + k_slack) {
        cut = !c->send_all("1\r\nA\r\n") || c->wait_closed(200ms);
      }
      CHECK(cut);
      CHECK(Clock::now() - start >= k_deadline - 200ms);
    }
    // 4. A client that pipelines thousands of posts and never reads the replies.
    {
      INFO("pipelining client that never reads");
      const int fd = connect_small_rcvbuf(port);
      REQUIRE(fd >= 0);
      std::string burst;
      const std::string one = cam2mqtt::test::make_post("/API", "{\"not\":\"xml\"}");
      for (int i = 0; i < 1000; ++i) {
        burst += one;
      }
      const auto start = Clock::now();
      bool open = true;
      std::size_t bursts = 0;
      while (open && Clock::now() - start < k_deadline + k_slack) {
        open = send_some(fd, burst, 50ms);
        ++bursts;
        max_rss = std::max(max_rss, rss_kib(rig.daemon.pid()));
      }
      ::close(fd);
      CHECK_FALSE(open);
      INFO("bursts of 1000 posts offered: " << bursts);
    }
    std::this_thread::sleep_for(300ms);
  }

  camera.stop();
  const std::string log = rig.daemon.log();
  INFO(log);
  INFO(camera.summary());
  WARN(camera.summary() << "; daemon VmRSS idle=" << idle_rss / 1024 << " MiB max=" << max_rss / 1024
                        << " MiB");
  CHECK(rig.daemon.running());
  CHECK(camera.failed() == 0);
  CHECK(camera.ok() > 50);
  CHECK(camera.percentile_ms(95) < k_p95_bound_ms);
  REQUIRE(wait_for_condition([&] { return motion_events(rig.sub) >= camera.ok() + 1; }, 20s));
  CHECK(motion_events(rig.sub) == camera.ok() + 1); // + the one posted after the flood
  CHECK(max_rss < (k_sanitized ? 640u : 96u) * 1024);
  CHECK(log.find("reason=request_deadline") != std::string::npos);
  CHECK(log.find("reason=max_connections") != std::string::npos);
  CHECK(log.find("status=413") != std::string::npos);
  CHECK(rig.daemon.stop() == 0);
}
