#include "http/request_util.h"

namespace cam2mqtt::http {

RequestTarget normalize_target(std::string_view raw) {
  if (const auto hash = raw.find('#'); hash != std::string_view::npos) {
    raw = raw.substr(0, hash);
  }
  // absolute-form: scheme "://" authority [path]; a scheme is letters, digits, + - .
  if (const auto sep = raw.find("://"); sep != std::string_view::npos && sep > 0 &&
                                         raw.substr(0, sep).find_first_of("/?") ==
                                             std::string_view::npos) {
    const auto rest = raw.substr(sep + 3);
    const auto end = rest.find_first_of("/?");
    raw = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  }
  RequestTarget t;
  std::string_view path = raw;
  if (const auto q = raw.find('?'); q != std::string_view::npos) {
    path = raw.substr(0, q);
    t.query = std::string(raw.substr(q + 1));
  }
  if (path == "*") {
    path = {};
  }
  // Built by concatenation, not "/".append(), which trips gcc 12's -Wrestrict false positive.
  t.path = (path.empty() || path.front() != '/') ? std::string("/") + std::string(path)
                                                  : std::string(path);
  return t;
}

std::string_view rejection_reason(int status) noexcept {
  switch (status) {
  case 400:
    return "bad_request";
  case 401:
    return "unauthorized";
  case 403:
    return "forbidden";
  case 408:
    return "timeout";
  case 413:
    return "body_too_large";
  case 417:
    return "expectation_failed";
  case 431:
    return "headers_too_large";
  case 500:
    return "internal_error";
  case 501:
    return "method_not_implemented";
  case 503:
    return "stopping";
  default:
    return "other";
  }
}

} // namespace cam2mqtt::http
