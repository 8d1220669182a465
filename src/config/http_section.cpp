// http: the listener for camera posts.
#include "config/network_syntax.h"
#include "config/secrets.h"
#include "config/sections.h"

namespace cam2mqtt::config {

namespace {
void read_auth(MapReader& r, const LoadContext& ctx, HttpAuthConfig& auth) {
  r.string("username", auth.username, [](const std::string& text) {
    return text.find(':') != std::string::npos ? "must not contain ':' (HTTP Basic)" : "";
  });
  const std::size_t errors_before = r.diag().errors().size();
  read_password(r, ctx.base_dir, auth.password, auth.password_file);
  if (r.diag().errors().size() != errors_before) {
    return; // the password key itself is wrong; that diagnostic says it all
  }
  if (!auth.password.empty() && auth.username.empty()) {
    r.error("username", "is required when a password is set");
  } else if (auth.password.empty() && !auth.username.empty()) {
    r.error("password_file", "is required when username is set (or password)");
  }
}
} // namespace

void read_http(MapReader& r, const LoadContext& ctx, Config& cfg) {
  HttpConfig& http = cfg.http;
  std::string listen;
  r.string("listen", listen, [&](const std::string& text) { return parse_listen(text, http.listen_host, http.listen_port); });
  r.duration("keepalive_timeout", http.keepalive_timeout, Seconds(1));
  r.duration("header_timeout", http.header_timeout, Seconds(1));
  std::uint64_t body = http.max_body_size;
  if (r.size("max_body_size", body, 1, 1024ULL * 1024 * 1024)) {
    http.max_body_size = static_cast<std::size_t>(body);
  }
  std::int64_t connections = http.max_connections;
  if (r.integer("max_connections", connections, 1, 1000000)) {
    http.max_connections = static_cast<int>(connections);
  }
  r.string_list("allow", http.allow, [](const std::string& text) { return check_cidr(text); });
  MapReader auth = r.section("auth");
  read_auth(auth, ctx, http.auth);
  auth.finish();
}

} // namespace cam2mqtt::config
