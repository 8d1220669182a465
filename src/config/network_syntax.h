#pragma once
// Syntax checks for the network-facing values: http.listen, mqtt.url, http.allow CIDRs and
// camera IP addresses. Each check returns "" when the text is fine, else the message for the
// diagnostic (without file or key).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cam2mqtt::config {

// "0.0.0.0:5050", "[::]:5050", "localhost:0": host (IPv4, bracketed IPv6 or DNS name) and port
// 0-65535 (0 = any free port). Fills host (without brackets) and port when valid.
std::string parse_listen(std::string_view text, std::string& host, std::uint16_t& port);

// scheme://host[:port][/path] with scheme tcp, mqtt, ssl, mqtts, ws or wss; a path only for
// ws/wss; no credentials in the URL; port 1-65535 when given.
std::string check_mqtt_url(std::string_view text);

// The URL's scheme ("tcp", "wss", ...), "" when there is none.
std::string_view url_scheme(std::string_view url) noexcept;

// True for schemes that speak TLS (ssl, mqtts, wss).
bool scheme_uses_tls(std::string_view scheme) noexcept;

// "192.168.1.0/24", "fd00::/8", or a bare address (a single host).
std::string check_cidr(std::string_view text);

// The canonical text of an IPv4 or IPv6 address literal ("FE80::01" -> "fe80::1");
// nullopt when the text is not one.
std::optional<std::string> canonical_ip(std::string_view text);

// A DNS name: labels of letters, digits, '-' and '_', separated by dots.
bool is_hostname(std::string_view text) noexcept;

} // namespace cam2mqtt::config
