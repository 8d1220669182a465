#include "http/access_control.h"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

#include "util/base64.h"
#include "util/strings.h"

namespace cam2mqtt::http {
namespace {

// An address literal into a Cidr with a full-length prefix; v4-mapped IPv6 becomes IPv4.
std::optional<Cidr> parse_address(std::string_view text) {
  const std::string copy(text);
  Cidr out;
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    std::memcpy(out.addr.data(), &v4, 4);
    out.v4 = true;
    out.prefix = 32;
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) != 1) {
    return std::nullopt;
  }
  static constexpr std::array<std::uint8_t, 12> k_mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(v6.s6_addr, k_mapped.data(), k_mapped.size()) == 0) {
    std::memcpy(out.addr.data(), v6.s6_addr + 12, 4);
    out.v4 = true;
    out.prefix = 32;
    return out;
  }
  std::memcpy(out.addr.data(), v6.s6_addr, 16);
  out.v4 = false;
  out.prefix = 128;
  return out;
}

} // namespace

std::optional<Cidr> Cidr::parse(std::string_view text) {
  text = util::trim(text);
  const auto slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  auto out = parse_address(address);
  if (!out) {
    return std::nullopt;
  }
  if (slash == std::string_view::npos) {
    return out;
  }
  const auto length = util::parse_u64(text.substr(slash + 1));
  const bool written_v6 = address.find(':') != std::string_view::npos;
  const unsigned max = written_v6 ? 128 : 32;
  if (!length || *length > max) {
    return std::nullopt;
  }
  unsigned prefix = static_cast<unsigned>(*length);
  if (written_v6 && out->v4) { // ::ffff:a.b.c.d/N covers IPv4 a.b.c.d/(N-96)
    prefix = prefix >= 96 ? prefix - 96 : 0;
  }
  out->prefix = prefix;
  return out;
}

bool Cidr::contains(const Cidr& address) const noexcept {
  if (v4 != address.v4) {
    return false;
  }
  unsigned bits = prefix;
  for (std::size_t i = 0; bits > 0; ++i) {
    const unsigned take = bits >= 8 ? 8 : bits;
    const auto mask = static_cast<std::uint8_t>(0xff00u >> take);
    if (((addr[i] ^ address.addr[i]) & mask) != 0) {
      return false;
    }
    bits -= take;
  }
  return true;
}

AllowList::AllowList(const std::vector<std::string>& entries) {
  for (const auto& e : entries) {
    auto cidr = Cidr::parse(e);
    if (!cidr) {
      throw std::invalid_argument("http.allow: not an address or CIDR: " + e);
    }
    m_entries.push_back(*cidr);
  }
}

bool AllowList::allows(std::string_view peer) const noexcept {
  if (m_entries.empty()) {
    return true;
  }
  try {
    const auto address = parse_address(peer);
    if (!address) {
      return false;
    }
    for (const auto& e : m_entries) {
      if (e.contains(*address)) {
        return true;
      }
    }
  } catch (...) {
  }
  return false;
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned diff = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    diff |= static_cast<unsigned>(x ^ y);
  }
  // Keep the compiler from turning the loop into an early exit.
  volatile unsigned sink = diff;
  return sink == 0;
}

BasicAuth::BasicAuth(std::string username, std::string password)
    : m_username(std::move(username)), m_password(std::move(password)) {}

bool BasicAuth::accepts(const char* authorization) const {
  if (!enabled()) {
    return true;
  }
  if (authorization == nullptr) {
    return false;
  }
  std::string_view value = util::trim(authorization);
  constexpr std::string_view k_scheme = "basic ";
  if (value.size() <= k_scheme.size() || !util::starts_with_icase(value, k_scheme)) {
    return false;
  }
  const auto decoded = util::base64_decode(util::trim(value.substr(k_scheme.size())));
  if (!decoded) {
    return false;
  }
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) {
    return false;
  }
  const std::string_view user = std::string_view(*decoded).substr(0, colon);
  const std::string_view pass = std::string_view(*decoded).substr(colon + 1);
  const bool user_ok = constant_time_equals(user, m_username);
  const bool pass_ok = constant_time_equals(pass, m_password);
  return user_ok && pass_ok;
}

} // namespace cam2mqtt::http
