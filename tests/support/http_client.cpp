#include "support/http_client.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/strings.h"

namespace cam2mqtt::test {

std::string HttpReply::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string{} : it->second;
}

std::optional<RawClient> RawClient::connect(const std::string& host, std::uint16_t port) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (host.find(':') != std::string::npos) {
    auto* sa = reinterpret_cast<sockaddr_in6*>(&ss);
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(port);
    if (inet_pton(AF_INET6, host.c_str(), &sa->sin6_addr) != 1) {
      return std::nullopt;
    }
    len = sizeof(sockaddr_in6);
  } else {
    auto* sa = reinterpret_cast<sockaddr_in*>(&ss);
    sa->sin_family = AF_INET;
    sa->sin_port = htons(port);
    if (inet_pton(AF_INET, host.c_str(), &sa->sin_addr) != 1) {
      return std::nullopt;
    }
    len = sizeof(sockaddr_in);
  }
  const int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return std::nullopt;
  }
  timeval tv{5, 0}; // bounds blocking connect and send
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  return RawClient(fd);
}

RawClient::~RawClient() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

RawClient::RawClient(RawClient&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_buf(std::move(other.m_buf)) {}

RawClient& RawClient::operator=(RawClient&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = std::exchange(other.m_fd, -1);
    m_buf = std::move(other.m_buf);
  }
  return *this;
}

bool RawClient::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

int RawClient::fill(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return -2;
    }
    pollfd p{m_fd, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) {
      continue;
    }
    if (rc <= 0) {
      return rc == 0 ? -2 : -1;
    }
    char chunk[16384];
    const ssize_t n = ::recv(m_fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return n == 0 ? 0 : -1;
    }
    m_buf.append(chunk, static_cast<std::size_t>(n));
    return 1;
  }
}

std::optional<HttpReply> RawClient::read_response(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t end = 0;
  while ((end = m_buf.find("\r\n\r\n")) == std::string::npos) {
    if (fill(deadline) <= 0) {
      return std::nullopt;
    }
  }
  HttpReply r;
  r.head = m_buf.substr(0, end + 2);
  m_buf.erase(0, end + 4);
  // "HTTP/1.1 200 OK"
  if (r.head.size() < 12 || r.head.compare(0, 5, "HTTP/") != 0) {
    return std::nullopt;
  }
  r.status = static_cast<int>(util::parse_u64(std::string_view(r.head).substr(9, 3)).value_or(0));
  std::size_t pos = r.head.find("\r\n") + 2;
  while (pos < r.head.size()) {
    const std::size_t eol = r.head.find("\r\n", pos);
    const std::string line = r.head.substr(pos, eol - pos);
    if (const auto colon = line.find(':'); colon != std::string::npos) {
      r.headers[util::to_lower(line.substr(0, colon))] =
          std::string(util::trim(std::string_view(line).substr(colon + 1)));
    }
    pos = eol + 2;
  }
  if (r.status < 200) {
    return r; // interim response, no body
  }
  const auto length = util::parse_u64(r.header("content-length"));
  if (!length) {
    while (fill(deadline) > 0) {
    } // body until close
    r.body = std::move(m_buf);
    m_buf.clear();
    return r;
  }
  while (m_buf.size() < *length) {
    if (fill(deadline) <= 0) {
      return std::nullopt;
    }
  }
  r.body = m_buf.substr(0, *length);
  m_buf.erase(0, *length);
  return r;
}

bool RawClient::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const int rc = fill(deadline);
    if (rc == 0 || rc == -1) {
      return true;
    }
    if (rc == -2) {
      return false;
    }
    m_buf.clear();
  }
}

std::string make_post(std::string_view target, std::string_view body, std::string_view extra_headers) {
  std::string s = "POST ";
  s.append(target);
  s += " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml; charset=utf-8\r\n";
  s.append(extra_headers);
  s += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  s.append(body);
  return s;
}

} // namespace cam2mqtt::test
