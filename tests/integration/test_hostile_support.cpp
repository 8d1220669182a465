#include "test_hostile_support.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "support/http_client.h"

namespace cam2mqtt::testing {

namespace {
std::size_t status_kib(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      std::istringstream fields(line.substr(key.size() + 1));
      std::size_t kib = 0;
      fields >> kib;
      return kib;
    }
  }
  return 0;
}
} // namespace

std::size_t rss_kib(pid_t pid) { return status_kib(pid, "VmRSS"); }
std::size_t peak_rss_kib(pid_t pid) { return status_kib(pid, "VmHWM"); }

std::size_t count_lines(const std::string& log, const std::string& needle) {
  std::size_t n = 0;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    n += line.find(needle) != std::string::npos ? 1 : 0;
  }
  return n;
}

GoodCamera::GoodCamera(std::uint16_t port, std::string body, std::chrono::milliseconds interval,
                       std::string extra_headers)
    : m_port(port), m_request(test::make_post("/API", body, extra_headers)), m_interval(interval),
      m_thread([this] { run(); }) {}

GoodCamera::~GoodCamera() { stop(); }

void GoodCamera::stop() {
  m_stop = true;
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

void GoodCamera::run() {
  using clock = std::chrono::steady_clock;
  std::optional<test::RawClient> client;
  auto next = clock::now();
  while (!m_stop) {
    if (!client) {
      client = test::RawClient::connect("127.0.0.1", m_port);
      if (!client) {
        ++m_failed;
        std::this_thread::sleep_for(m_interval);
        continue;
      }
    }
    const auto start = clock::now();
    const bool sent = client->send_all(m_request);
    const auto reply = sent ? client->read_response(std::chrono::seconds(5)) : std::nullopt;
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - start);
    if (reply && reply->status == 200) {
      ++m_ok;
      m_latencies.push_back(took.count());
    } else {
      ++m_failed;
      client.reset();
    }
    next += m_interval;
    std::this_thread::sleep_until(std::max(next, clock::now()));
  }
}

double GoodCamera::percentile_ms(double p) const {
  if (m_latencies.empty()) {
    return 0;
  }
  std::vector<std::int64_t> sorted = m_latencies;
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size())) - 1;
  const double clamped = std::clamp(rank, 0.0, static_cast<double>(sorted.size() - 1));
  return static_cast<double>(sorted[static_cast<std::size_t>(clamped)]) / 1000.0;
}

std::string GoodCamera::summary() const {
  std::ostringstream s;
  s << "good camera: ok=" << ok() << " failed=" << failed() << " p50=" << percentile_ms(50)
    << "ms p95=" << percentile_ms(95) << "ms p99=" << percentile_ms(99)
    << "ms max=" << percentile_ms(100) << "ms";
  return s.str();
}

} // namespace cam2mqtt::testing
