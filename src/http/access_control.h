#pragma once
// Who may talk to the HTTP listener: the http.allow CIDR list (403 for everybody else) and
// optional HTTP Basic credentials (401 with a WWW-Authenticate challenge). Pure: no libevent,
// so both are unit-testable; HttpServer applies them to every request.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cam2mqtt::http {

// One allow entry: an address family, 16 address bytes (IPv4 in the first 4) and a prefix.
struct Cidr {
  bool v4 = true;
  std::array<std::uint8_t, 16> addr{};
  unsigned prefix = 32;

  // "192.168.1.0/24", "fd00::/8", "10.0.0.7" (one host). IPv4-mapped IPv6 entries
  // ("::ffff:10.0.0.0/104") become the IPv4 entry they mean. nullopt when malformed.
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const Cidr& address) const noexcept;
};

class AllowList {
public:
  // Entries as validated by the config (config::check_cidr); throws std::invalid_argument on
  // one that does not parse. Empty = everybody is allowed.
  explicit AllowList(const std::vector<std::string>& entries);

  bool empty() const noexcept { return m_entries.empty(); }
  // `peer` as evhttp reports it; an IPv4-mapped IPv6 peer ("::ffff:192.168.1.9") is matched
  // as IPv4. An unparsable peer is refused unless the list is empty.
  bool allows(std::string_view peer) const noexcept;

private:
  std::vector<Cidr> m_entries;
};

// Compares in time that depends only on the lengths' maximum, never on where the inputs
// first differ.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

class BasicAuth {
public:
  // Empty username = authentication off.
  BasicAuth(std::string username, std::string password);

  bool enabled() const noexcept { return !m_username.empty(); }
  // True when `authorization` (the header value, nullptr when absent) carries exactly the
  // configured credentials. Both fields are always compared in full (constant time).
  bool accepts(const char* authorization) const;

  static constexpr std::string_view k_challenge = "Basic realm=\"cam2mqtt\", charset=\"UTF-8\"";

private:
  std::string m_username;
  std::string m_password;
};

} // namespace cam2mqtt::http
