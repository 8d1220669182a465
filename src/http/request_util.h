#pragma once
// Pure helpers for the HTTP module: request-target normalization, status reasons, the
// Viewtron reply bodies. No libevent here, so they are trivially testable.
#include <string>
#include <string_view>

namespace cam2mqtt::http {

// The exact 126-byte body Viewtron devices expect for every POST (reference §1.4).
inline constexpr std::string_view k_success_xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><config version=\"1.0\" "
    "xmlns=\"http://www.ipc.com/ver10\"><status>success</status></config>";
// Same shape, sent with 503 while the daemon is stopping.
inline constexpr std::string_view k_unavailable_xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><config version=\"1.0\" "
    "xmlns=\"http://www.ipc.com/ver10\"><status>unavailable</status></config>";

struct RequestTarget {
  std::string path;  // always starts with '/'
  std::string query; // without the '?', "" when absent
};

// Origin-form ("/API?x=1") or absolute-form ("http://192.168.0.56:5002/API") request target ->
// path and query; scheme://authority and any #fragment are dropped. "" / "*" / "http://h" -> "/".
RequestTarget normalize_target(std::string_view raw);

// The label used in logs and rejection counters for an error status evhttp or we sent.
std::string_view rejection_reason(int status) noexcept;

} // namespace cam2mqtt::http
