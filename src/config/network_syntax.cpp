#include "config/network_syntax.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>

#include "util/strings.h"

namespace cam2mqtt::config {
namespace {

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

bool is_ipv4(std::string_view text) {
  in_addr addr{};
  return inet_pton(AF_INET, std::string(text).c_str(), &addr) == 1;
}

bool is_ipv6(std::string_view text) {
  in6_addr addr{};
  return inet_pton(AF_INET6, std::string(text).c_str(), &addr) == 1;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) {
    return std::nullopt;
  }
  const auto value = util::parse_u64(text);
  if (!value || *value > 65535 || util::trim(text).size() != text.size()) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(*value);
}

struct HostPort {
  std::string_view host; // without brackets
  std::string_view port; // "" when absent
  bool bracketed = false;
  bool ok = false;
};

// "[v6]:port", "[v6]", "host:port", "host"; a second ':' outside brackets is an error.
HostPort split_host_port(std::string_view text) {
  HostPort out;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      return out;
    }
    out.host = text.substr(1, close - 1);
    out.bracketed = true;
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return out;
      }
      out.port = rest.substr(1);
      if (out.port.empty()) {
        return out;
      }
    }
    out.ok = true;
    return out;
  }
  const auto colon = text.find(':');
  out.host = text.substr(0, colon);
  if (colon != std::string_view::npos) {
    out.port = text.substr(colon + 1);
    if (out.port.empty() || out.port.find(':') != std::string_view::npos) {
      return out;
    }
  }
  out.ok = true;
  return out;
}

std::string check_host(const HostPort& hp) {
  if (hp.host.empty()) {
    return "missing host";
  }
  if (hp.bracketed) {
    return is_ipv6(hp.host) ? "" : "invalid IPv6 address " + quoted(hp.host);
  }
  if (is_ipv4(hp.host) || is_hostname(hp.host)) {
    return "";
  }
  return "invalid host " + quoted(hp.host);
}

} // namespace

std::string parse_listen(std::string_view text, std::string& host, std::uint16_t& port) {
  const std::string shape = "expected host:port like 0.0.0.0:5050 or [::]:5050, got " + quoted(text);
  const HostPort hp = split_host_port(text);
  if (!hp.ok || hp.port.empty()) {
    return shape;
  }
  if (std::string error = check_host(hp); !error.empty()) {
    return error + " in " + quoted(text);
  }
  const auto parsed = parse_port(hp.port);
  if (!parsed) {
    return "port must be 0-65535, got " + quoted(hp.port);
  }
  host = std::string(hp.host);
  port = *parsed;
  return "";
}

std::string_view url_scheme(std::string_view url) noexcept {
  const auto sep = url.find("://");
  return sep == std::string_view::npos ? std::string_view() : url.substr(0, sep);
}

bool scheme_uses_tls(std::string_view scheme) noexcept {
  return scheme == "ssl" || scheme == "mqtts" || scheme == "wss";
}

std::string check_mqtt_url(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    return "expected a URL like tcp://host:1883, got " + quoted(text);
  }
  const std::string_view scheme = text.substr(0, sep);
  static constexpr std::array<std::string_view, 6> k_schemes{"tcp", "mqtt", "ssl", "mqtts", "ws", "wss"};
  bool known = false;
  for (std::string_view s : k_schemes) {
    known = known || s == scheme;
  }
  if (!known) {
    return "unsupported scheme " + quoted(scheme) + " (use tcp, mqtt, ssl, mqtts, ws or wss)";
  }
  std::string_view rest = text.substr(sep + 3);
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos && rest.size() > slash + 1 && scheme != "ws" && scheme != "wss") {
    return "a path is only allowed with ws:// and wss:// URLs";
  }
  if (authority.find('@') != std::string_view::npos) {
    return "credentials do not belong in the URL; use mqtt.username and mqtt.password_file";
  }
  const HostPort hp = split_host_port(authority);
  if (!hp.ok) {
    return "expected a URL like tcp://host:1883, got " + quoted(text);
  }
  if (std::string error = check_host(hp); !error.empty()) {
    return error + " in " + quoted(text);
  }
  if (!hp.port.empty()) {
    const auto port = parse_port(hp.port);
    if (!port || *port == 0) {
      return "port must be 1-65535, got " + quoted(hp.port);
    }
  }
  return "";
}

std::string check_cidr(std::string_view text) {
  const std::string shape = "expected an address or CIDR like 192.168.1.0/24 or fd00::/8, got " + quoted(text);
  const auto slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  const bool v4 = is_ipv4(address);
  if (!v4 && !is_ipv6(address)) {
    return shape;
  }
  if (slash == std::string_view::npos) {
    return "";
  }
  const std::string_view prefix = text.substr(slash + 1);
  const auto length = prefix.size() <= 3 ? util::parse_u64(prefix) : std::nullopt;
  if (!length || util::trim(prefix).size() != prefix.size()) {
    return shape;
  }
  const std::uint64_t max = v4 ? 32 : 128;
  if (*length > max) {
    return "prefix length must be 0-" + std::to_string(max) + (v4 ? " for IPv4" : " for IPv6") + ", got " +
           std::to_string(*length);
  }
  return "";
}

std::optional<std::string> canonical_ip(std::string_view text) {
  const std::string copy(text);
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    return std::string(inet_ntop(AF_INET, &v4, buffer.data(), buffer.size()));
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
    return std::string(inet_ntop(AF_INET6, &v6, buffer.data(), buffer.size()));
  }
  return std::nullopt;
}

bool is_hostname(std::string_view text) noexcept {
  if (text.empty() || text.size() > 253) {
    return false;
  }
  std::size_t label = 0;
  bool all_digits_or_dots = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (label == 0) {
        return false;
      }
      label = 0;
      continue;
    }
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '_') {
      return false;
    }
    if (c == '-' && (label == 0 || i + 1 == text.size() || text[i + 1] == '.')) {
      return false;
    }
    all_digits_or_dots = all_digits_or_dots && c >= '0' && c <= '9';
    if (++label > 63) {
      return false;
    }
  }
  // "1.2.3" or "999.1.1.1" look like broken IPv4 addresses, not names.
  return label != 0 && !all_digits_or_dots;
}

} // namespace cam2mqtt::config
