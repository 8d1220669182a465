#pragma once
// A deliberately dumb HTTP client for component tests: raw bytes out, one response parsed in,
// every wait bounded by a timeout so a broken server fails a test instead of hanging it.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cam2mqtt::test {

using namespace std::chrono_literals;

struct HttpReply {
  int status = 0;
  std::string head;                           // status line + headers, as received
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;

  std::string header(const std::string& lower_name) const;
};

class RawClient {
public:
  // Connects to host:port (numeric host, IPv4 or IPv6); nullopt when the connect fails.
  static std::optional<RawClient> connect(const std::string& host, std::uint16_t port);
  ~RawClient();
  RawClient(RawClient&& other) noexcept;
  RawClient& operator=(RawClient&& other) noexcept;
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // Sends everything (blocking); false on error (e.g. the server reset the connection).
  bool send_all(std::string_view bytes);
  // Reads one response; nullopt on timeout, EOF or error before a full response.
  std::optional<HttpReply> read_response(std::chrono::milliseconds timeout = 5s);
  // True when the server closes the connection (EOF or reset) within the timeout; data that
  // arrives meanwhile is discarded.
  bool wait_closed(std::chrono::milliseconds timeout);
  int fd() const noexcept { return m_fd; }

private:
  explicit RawClient(int fd) noexcept : m_fd(fd) {}
  // Appends received bytes to m_buf; 1 = got data, 0 = EOF, -1 = error, -2 = timeout.
  int fill(std::chrono::steady_clock::time_point deadline);

  int m_fd = -1;
  std::string m_buf;
};

// "POST <target> HTTP/1.1" with Host and Content-Length (and any extra header lines).
std::string make_post(std::string_view target, std::string_view body,
                      std::string_view extra_headers = "");

} // namespace cam2mqtt::test
