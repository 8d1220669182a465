// Issue 6 (1): hostile XML posted to a running daemon with a real broker, while a well-behaved
// camera keeps posting. Every hostile body gets 200 (cameras only need the reply), a logged,
// rate-limited warning naming the peer and the kind, and no crash, hang, memory blow-up, file
// or network access; every valid event still arrives.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/free_port.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "test_hostile_support.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;

namespace {

// Resident memory bound for the daemon after every hostile case (VmRSS). The biggest hostile
// bodies are ~4 MiB; the daemon holds a body, libxml2's copy and at most a UTF-8-repaired copy
// at once, plus Paho and libevent (~10 MiB at idle). 96 MiB leaves room for allocator slack;
// a leak or an expansion bomb blows far past it. ASan (shadow memory, quarantine) gets 640 MiB.
constexpr std::size_t k_rss_bound_kib = k_sanitized ? 640 * 1024 : 96 * 1024;

// A TCP listener on loopback that must never see a connection (XXE to a URL).
class Tripwire {
public:
  Tripwire() : m_port(free_loopback_port()) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(m_port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(m_fd, 16) != 0) {
      throw std::runtime_error("tripwire: cannot listen");
    }
  }
  ~Tripwire() { ::close(m_fd); }
  Tripwire(const Tripwire&) = delete;
  Tripwire& operator=(const Tripwire&) = delete;
  std::uint16_t port() const noexcept { return m_port; }
  // True when somebody connected since construction.
  bool tripped() const {
    const int c = ::accept(m_fd, nullptr, nullptr);
    if (c >= 0) {
      ::close(c);
      return true;
    }
    return false;
  }

private:
  std::uint16_t m_port;
  int m_fd = -1;
};

// A FIFO that nobody may open for reading (XXE to a local file): opening it for writing
// without blocking succeeds only while a reader has it open.
bool fifo_has_reader(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0) {
    ::close(fd);
    return true;
  }
  return false;
}

struct HostileCase {
  std::string name;
  std::string body;
  std::set<std::string> kinds; // acceptable error kinds; empty = may also parse
};

std::string deep_nesting(std::size_t levels) {
  std::string s = "<?xml version=\"1.0\"?>";
  s.reserve(levels * 9 * 2);
  for (std::size_t i = 0; i < levels; ++i) {
    s += "<config>";
  }
  for (std::size_t i = 0; i < levels; ++i) {
    s += "</config>";
  }
  return s;
}

std::vector<HostileCase> hostile_cases(std::uint16_t tripwire_port, const std::string& fifo) {
  const std::string url = "http://127.0.0.1:" + std::to_string(tripwire_port);
  const std::string smart_head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><config version=\"1.7\" "
                                 "xmlns=\"http://www.ipc.com/ver10\"><smartType>PEA</smartType>";
  std::vector<HostileCase> cases{
      {"xxe local file (fixture)", fixture("invalid/xxe_file_entity.xml"), {"forbidden_dtd"}},
      {"xxe local fifo",
       "<?xml version=\"1.0\"?><!DOCTYPE config [<!ENTITY x SYSTEM \"file://" + fifo +
           "\">]><config><smartType>PEA</smartType><deviceName>&x;</deviceName></config>",
       {"forbidden_dtd"}},
      {"xxe url entity",
       "<?xml version=\"1.0\"?><!DOCTYPE config [<!ENTITY x SYSTEM \"" + url +
           "/x\">]><config><smartType>PEA</smartType><deviceName>&x;</deviceName></config>",
       {"forbidden_dtd"}},
      {"xxe parameter entity url",
       "<?xml version=\"1.0\"?><!DOCTYPE config [<!ENTITY % p SYSTEM \"" + url +
           "/p.dtd\"> %p;]><config><smartType>PEA</smartType></config>",
       {"forbidden_dtd", "not_xml"}},
      {"external dtd url",
       "<?xml version=\"1.0\"?><!DOCTYPE config SYSTEM \"" + url +
           "/c.dtd\"><config><smartType>PEA</smartType><x>&ent;</x></config>",
       {"not_xml", "forbidden_dtd"}},
      {"xinclude",
       "<?xml version=\"1.0\"?><config xmlns:xi=\"http://www.w3.org/2001/XInclude\"><smartType>PEA</smartType>"
       "<xi:include href=\"" + url + "/inc.xml\"/><xi:include href=\"file://" + fifo + "\" parse=\"text\"/></config>",
       {}},
      {"billion laughs (fixture)", fixture("invalid/billion_laughs.xml"), {"forbidden_dtd"}},
      {"quadratic blowup", [] {
         std::string s = "<?xml version=\"1.0\"?><!DOCTYPE config [<!ENTITY a \"" + std::string(50000, 'a') +
                         "\">]><config><smartType>PEA</smartType><deviceName>";
         for (int i = 0; i < 50000; ++i) {
           s += "&a;";
         }
         return s + "</deviceName></config>";
       }(), {"forbidden_dtd"}},
      {"100k deep nesting", deep_nesting(100000), {"too_deep"}},
      {"4 MiB attribute", smart_head + "<deviceName x=\"" + std::string(4 << 20, 'A') + "\">n</deviceName></config>", {}},
      {"4 MiB text node", smart_head + "<deviceName>" + std::string(4 << 20, 'B') + "</deviceName></config>", {}},
      {"200k attributes", [&] {
         std::string s = smart_head + "<deviceName";
         for (int i = 0; i < 200000; ++i) {
           s += " a" + std::to_string(i) + "=\"1\"";
         }
         return s + ">n</deviceName></config>";
       }(), {"too_large"}},
      {"invalid utf-8", smart_head + "<deviceName>\xff\xfe\xc3\x28\xed\xa0\x80</deviceName></config>", {}},
      {"nul bytes", smart_head + std::string("<deviceName>a\0b</deviceName></config>", sizeof("<deviceName>a\0b</deviceName></config>") - 1), {"not_xml"}},
      {"declared utf-16, sent utf-8", "<?xml version=\"1.0\" encoding=\"UTF-16\"?><config><smartType>PEA</smartType></config>", {}},
      {"declared latin-1 with utf-8 bytes",
       "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><config><smartType>PEA</smartType><deviceName>K\xc3\xb6ln</deviceName></config>",
       {}},
      {"utf-16 bom then utf-8", "\xff\xfe<config><smartType>PEA</smartType></config>", {}},
      {"unknown encoding", "<?xml version=\"1.0\" encoding=\"X-NOPE-9\"?><config><smartType>PEA</smartType></config>", {}},
      {"truncated (fixture)", fixture("invalid/truncated_mid_element.xml"), {"truncated"}},
      {"truncated after declaration", "<?xml version=\"1.0\"?><config><smartType>PE", {"truncated", "not_xml"}},
      {"json body", "{\"not\": \"xml\"}", {"not_xml"}},
      {"binary garbage (fixture)", fixture("invalid/binary_garbage.xml"), {"not_xml"}},
      {"html", "<html><body><h1>hello</h1></body></html>", {"unknown_root"}},
      {"invalid base64 image", smart_head + "<sourceDataInfo><sourceBase64Data>****not base64****</sourceBase64Data>"
                                            "</sourceDataInfo></config>", {"invalid_image"}},
  };
  return cases;
}

std::size_t motion_events(const MqttCollector& sub) {
  std::size_t n = 0;
  for (const auto& m : sub.messages()) {
    n += m.topic.size() > 7 && m.topic.compare(m.topic.size() - 7, 7, "/motion") == 0 ? 1 : 0;
  }
  return n;
}

} // namespace

TEST_CASE("hostile XML: warned, counted, harmless; a good camera loses nothing meanwhile") {
  MosquittoBroker::skip_if_unavailable();
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url());
  daemon.start();
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  Tripwire tripwire;
  const std::string fifo = daemon.dir() + "/secret.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);

  const auto cases = hostile_cases(tripwire.port(), fifo);
  const std::size_t idle_rss = rss_kib(daemon.pid());
  std::size_t max_rss = idle_rss;
  {
    GoodCamera camera(daemon.http_port(), fixture("ipc_v1/motion.xml"), 20ms);
    auto attacker = RawClient::connect("127.0.0.1", daemon.http_port());
    REQUIRE(attacker);
    for (const auto& c : cases) {
      INFO("case: " << c.name);
      const auto start = std::chrono::steady_clock::now();
      // Reply first, parse after: the next request on the same connection waits for the parse,
      // so its reply bounds the time the hostile body took.
      REQUIRE(post(*attacker, c.body) == 200);
      REQUIRE(post(*attacker, "") == 200);
      CHECK(std::chrono::steady_clock::now() - start < (k_sanitized ? 20s : 5s));
      REQUIRE(daemon.running());
      max_rss = std::max(max_rss, rss_kib(daemon.pid()));
      CHECK_FALSE(fifo_has_reader(fifo));
    }
    // Rate limiting: 200 more of one kind give at most a couple of lines.
    for (int i = 0; i < 200; ++i) {
      REQUIRE(post(*attacker, "{\"again\": true}") == 200);
    }
    std::this_thread::sleep_for(200ms);
    camera.stop();
    INFO(camera.summary());
    CHECK(camera.failed() == 0);
    CHECK(camera.ok() > 0);
    INFO(daemon.log());
    REQUIRE(wait_for_condition([&] { return motion_events(sub) >= camera.ok(); }, 20s));
    CHECK(motion_events(sub) == camera.ok());
  }
  const std::string log = daemon.log();
  INFO(log);
  CHECK_FALSE(tripwire.tripped());
  CHECK_FALSE(fifo_has_reader(fifo));
  // Each kind was warned about with the peer; repeats were damped.
  std::set<std::string> kinds;
  for (const auto& c : cases) {
    kinds.insert(c.kinds.begin(), c.kinds.end());
  }
  for (const auto& kind : kinds) {
    INFO("kind " << kind);
    CHECK(count_lines(log, "peer=127.0.0.1 kind=" + kind) >= 1);
  }
  CHECK(count_lines(log, "kind=not_xml") <= 3);
  // ... and counted by kind on /metrics (cam2mqtt_parse_errors_total{kind}).
  {
    auto metrics_client = RawClient::connect("127.0.0.1", daemon.http_port());
    REQUIRE(metrics_client);
    REQUIRE(metrics_client->send_all("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto metrics = metrics_client->read_response(5s);
    REQUIRE(metrics);
    INFO(metrics->body);
    for (const auto& kind : kinds) {
      const std::string prefix = "cam2mqtt_parse_errors_total{kind=\"" + kind + "\"} ";
      const auto at = metrics->body.find(prefix);
      REQUIRE(at != std::string::npos);
      CHECK(std::stoull(metrics->body.substr(at + prefix.size())) >= 1);
    }
    const std::string not_xml = "cam2mqtt_parse_errors_total{kind=\"not_xml\"} ";
    const auto at = metrics->body.find(not_xml);
    REQUIRE(at != std::string::npos);
    CHECK(std::stoull(metrics->body.substr(at + not_xml.size())) >= 200); // every one counted
  }
  CHECK(log.find("root:x:0:0") == std::string::npos); // /etc/passwd never shows up
  // Memory: bounded during the attack, and nothing kept afterwards.
  const std::size_t end_rss = rss_kib(daemon.pid());
  WARN("daemon VmRSS idle=" << idle_rss / 1024 << " MiB, max during attack=" << max_rss / 1024
                            << " MiB, after=" << end_rss / 1024 << " MiB, peak (VmHWM)="
                            << peak_rss_kib(daemon.pid()) / 1024 << " MiB, bound=" << k_rss_bound_kib / 1024 << " MiB");
  CHECK(max_rss < k_rss_bound_kib);
  CHECK(end_rss < k_rss_bound_kib);
  // Still alive and serving, and stops cleanly.
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  CHECK(post(*client, fixture("ipc_v1/motion.xml")) == 200);
  CHECK(daemon.stop() == 0);
}
