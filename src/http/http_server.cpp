#include "http/http_server.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include <netdb.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/http_struct.h> // only for EVHTTP_PROXY_REQUEST, see handle()
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <spdlog/spdlog.h>

#include "http/access_control.h"
#include "http/connection_tracker.h"
#include "http/libevent_handles.h"
#include "util/rate_limiter.h"
#include "http/request_util.h"
#include "util/strings.h"

namespace cam2mqtt::http {
namespace {

constexpr ev_ssize_t k_max_headers_size = 64 * 1024;

// The largest request evhttp accepts (headers + body + chunk framing slack): reading pauses
// there while a reply is pending (connection_tracker.h).
std::size_t read_high_watermark(std::size_t max_body_size) {
  constexpr std::size_t k_slack = 64 * 1024;
  const std::size_t headers = static_cast<std::size_t>(k_max_headers_size);
  return max_body_size > SIZE_MAX - headers - k_slack ? 0 : max_body_size + headers + k_slack;
}

timeval to_timeval(config::Seconds s) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(std::max<config::Seconds::rep>(s.count(), 1));
  return tv;
}

std::string host_port(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

const char* method_name(evhttp_cmd_type cmd) noexcept {
  switch (cmd) {
  case EVHTTP_REQ_GET:
    return "GET";
  case EVHTTP_REQ_POST:
    return "POST";
  case EVHTTP_REQ_HEAD:
    return "HEAD";
  case EVHTTP_REQ_PUT:
    return "PUT";
  case EVHTTP_REQ_DELETE:
    return "DELETE";
  case EVHTTP_REQ_OPTIONS:
    return "OPTIONS";
  case EVHTTP_REQ_TRACE:
    return "TRACE";
  case EVHTTP_REQ_CONNECT:
    return "CONNECT";
  case EVHTTP_REQ_PATCH:
    return "PATCH";
  }
  return "UNKNOWN";
}

// Resolves host:port and binds the first address that works (IPv6 "::" is dual-stack on Linux
// unless net.ipv6.bindv6only is set). Throws with the documented message on failure.
EvconnListenerPtr bind_listener(event_base* base, const std::string& host, std::uint16_t port) {
  const std::string where = host_port(host, port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    throw std::runtime_error("http: cannot listen on " + where + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, &freeaddrinfo);
  std::string reason = "no usable address";
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    EvconnListenerPtr listener{evconnlistener_new_bind(
        base, nullptr, nullptr, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
        -1, ai->ai_addr, static_cast<int>(ai->ai_addrlen))};
    if (listener) {
      return listener;
    }
    reason = std::strerror(errno);
  }
  throw std::runtime_error("http: cannot listen on " + where + ": " + reason);
}

std::uint16_t local_port(evconnlistener* listener) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (getsockname(evconnlistener_get_fd(listener), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return 0;
  }
  if (ss.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&ss)->sin_port);
}

} // namespace

struct HttpServer::Impl {
  Impl(event_base* base, const config::HttpConfig& cfg, PostHandler handler);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  static void on_request(evhttp_request* req, void* arg) noexcept;
  void handle(evhttp_request* req);
  void reply(evhttp_request* req, int status, std::string_view content_type, std::string_view body,
             bool close, bool deliberate_error);
  void on_rejected(int status, std::string_view ip, std::uint16_t port);

  event_base* m_base;
  config::HttpConfig m_cfg;
  PostHandler m_handler;
  AllowList m_allow;
  BasicAuth m_auth;
  std::unordered_map<std::string, GetHandler> m_routes;
  HttpStats m_stats;
  util::RateLimiter m_warn_limiter;
  std::uint16_t m_port = 0;
  bool m_stopping = false;
  ConnectionTracker m_tracker;                   // outlives m_http: its close callbacks
  std::vector<evhttp_bound_socket*> m_listeners; // owned by m_http
  EvhttpPtr m_http;                              // declared last, freed first
};

HttpServer::Impl::Impl(event_base* base, const config::HttpConfig& cfg, PostHandler handler)
    : m_base(base), m_cfg(cfg), m_handler(std::move(handler)), m_allow(cfg.allow),
      m_auth(cfg.auth.username, cfg.auth.password),
      m_tracker(base,
                ConnectionLimits{cfg.max_connections, to_timeval(cfg.keepalive_timeout),
                                 to_timeval(cfg.header_timeout),
                                 read_high_watermark(cfg.max_body_size)},
                m_stats,
                [this](int status, std::string_view ip, std::uint16_t port) {
                  on_rejected(status, ip, port);
                }),
      m_http(obtain_evhttp(base)) {
  evhttp* http = m_http.get();
  m_tracker.attach(http);
  evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                       EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
                                       EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
  evhttp_set_max_headers_size(http, k_max_headers_size);
  evhttp_set_max_body_size(http, static_cast<ev_ssize_t>(std::min<std::size_t>(
                                     m_cfg.max_body_size, static_cast<std::size_t>(EV_SSIZE_MAX))));
  // Backstop only: every tracked connection gets its own idle/request timeout right after
  // accept (connection_tracker.h); this covers one that could not be tracked.
  const timeval backstop = to_timeval(std::max(m_cfg.keepalive_timeout, m_cfg.header_timeout));
  evhttp_set_timeout_tv(http, &backstop);
  evhttp_set_gencb(http, &Impl::on_request, this);

  EvconnListenerPtr listener = bind_listener(base, m_cfg.listen_host, m_cfg.listen_port);
  m_port = local_port(listener.get());
  evhttp_bound_socket* bound = evhttp_bind_listener(http, listener.get());
  if (bound == nullptr) {
    throw std::runtime_error("http: cannot listen on " + host_port(m_cfg.listen_host, m_cfg.listen_port) +
                             ": evhttp_bind_listener failed");
  }
  (void)listener.release(); // now owned by evhttp
  m_listeners.push_back(bound);
  SPDLOG_INFO("http: listening address={} max_body_size={} max_connections={} keepalive_timeout={}s "
              "header_timeout={}s allow={} auth={}",
              host_port(m_cfg.listen_host, m_port), m_cfg.max_body_size, m_cfg.max_connections,
              m_cfg.keepalive_timeout.count(), m_cfg.header_timeout.count(),
              m_allow.empty() ? std::string("any") : std::to_string(m_cfg.allow.size()) + "_entries",
              m_auth.enabled() ? "basic" : "off");
}

HttpServer::Impl::~Impl() { m_http.reset(); }

void HttpServer::Impl::on_request(evhttp_request* req, void* arg) noexcept {
  auto* self = static_cast<Impl*>(arg);
  try {
    self->handle(req);
  } catch (const std::exception& e) {
    // Only reached before a reply was queued: every request is answered.
    try {
      SPDLOG_ERROR("http: request failed error={}", e.what());
    } catch (...) {
    }
    evhttp_send_error(req, 500, nullptr);
  } catch (...) {
    evhttp_send_error(req, 500, nullptr);
  }
}

void HttpServer::Impl::reply(evhttp_request* req, int status, std::string_view content_type,
                             std::string_view body, bool close, bool deliberate_error) {
  evkeyvalq* headers = evhttp_request_get_output_headers(req);
  evhttp_add_header(headers, "Content-Type", std::string(content_type).c_str());
  if (close) {
    evhttp_add_header(headers, "Connection", "close");
  }
  evbuffer_add(evhttp_request_get_output_buffer(req), body.data(), body.size());
  m_tracker.before_reply(req, deliberate_error);
  evhttp_send_reply(req, status, nullptr, nullptr);
}

void HttpServer::Impl::handle(evhttp_request* req) {
  ++m_stats.requests;
  // evhttp marks an absolute-form target ("POST http://192.168.0.56:5002/API", as NVRs send)
  // for an unknown host as a proxy request and then closes the connection after the reply
  // unless "Proxy-Connection: keep-alive" was sent. We are the origin server, not a proxy.
  req->flags &= ~EVHTTP_PROXY_REQUEST;

  const evhttp_cmd_type cmd = evhttp_request_get_command(req);
  const char* raw_target = evhttp_request_get_uri(req);
  RequestTarget target = normalize_target(raw_target != nullptr ? raw_target : "");
  char* address = nullptr;
  ev_uint16_t peer_port = 0;
  evhttp_connection_get_peer(evhttp_request_get_connection(req), &address, &peer_port);
  std::string peer_ip = util::strip_v4_mapped(address != nullptr ? address : "");
  evbuffer* input = evhttp_request_get_input_buffer(req);
  const std::size_t body_size = evbuffer_get_length(input);
  SPDLOG_DEBUG("http: request method={} path={} peer={}:{} bytes={}", method_name(cmd), target.path,
               peer_ip, peer_port, body_size);

  // Access control before anything else, on every method and path (bodies of refused
  // requests were read within max_body_size and are dropped unlooked-at).
  if (!m_allow.allows(address != nullptr ? address : "")) {
    on_rejected(403, peer_ip, peer_port);
    reply(req, 403, "text/plain; charset=utf-8", "forbidden\n", true, true);
    return;
  }
  if (m_auth.enabled() &&
      !m_auth.accepts(evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization"))) {
    on_rejected(401, peer_ip, peer_port);
    evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
                      std::string(BasicAuth::k_challenge).c_str());
    reply(req, 401, "text/plain; charset=utf-8", "unauthorized\n", false, true);
    return;
  }
  if (m_stopping) {
    reply(req, 503, "application/xml", k_unavailable_xml, true, false);
    return;
  }
  if (cmd == EVHTTP_REQ_POST || cmd == EVHTTP_REQ_PUT) {
    IncomingPost post;
    post.peer_ip = std::move(peer_ip);
    post.peer_port = peer_port;
    post.method = method_name(cmd);
    post.path = target.query.empty() ? std::move(target.path) : target.path + "?" + target.query;
    const char* ct = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
    post.content_type = ct != nullptr ? ct : "";
    post.body.resize(body_size);
    if (body_size > 0) {
      evbuffer_remove(input, post.body.data(), body_size); // the one copy out of libevent
    }
    // Reply first: the device never waits on downstream work (reference §1.5).
    reply(req, 200, "application/xml", k_success_xml, false, false);
    ++m_stats.posts;
    m_stats.bytes_received += body_size;
    const std::string peer = post.peer_ip + ":" + std::to_string(post.peer_port);
    try {
      m_handler(std::move(post));
    } catch (const std::exception& e) {
      SPDLOG_ERROR("http: post handler failed peer={} error={}", peer, e.what());
    } catch (...) {
      SPDLOG_ERROR("http: post handler failed peer={} error=unknown", peer);
    }
    return;
  }
  if (cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_HEAD) {
    if (const auto it = m_routes.find(target.path); it != m_routes.end()) {
      const GetRequest get{std::move(peer_ip), peer_port, std::move(target.path),
                           std::move(target.query)};
      HttpResponse res;
      try {
        res = it->second(get);
      } catch (const std::exception& e) {
        SPDLOG_ERROR("http: route handler failed path={} error={}", get.path, e.what());
        res = HttpResponse{500, "text/plain; charset=utf-8", "internal error\n"};
      }
      reply(req, res.status, res.content_type, res.body, false, true);
      return;
    }
  }
  // Any other method or path: the same success XML, as the Node SDK does (reference §7.2).
  reply(req, 200, "application/xml", k_success_xml, false, false);
}

void HttpServer::Impl::on_rejected(int status, std::string_view ip, std::uint16_t port) {
  const std::string_view reason = status == 0 ? "max_connections" : rejection_reason(status);
  if (status == 413) {
    ++m_stats.rejected_too_large;
  } else {
    ++m_stats.rejected_other;
  }
  std::uint64_t suppressed = 0;
  if (!m_warn_limiter.allow(reason, suppressed)) {
    return;
  }
  if (status == 0) {
    SPDLOG_WARN("http: connection refused reason=max_connections peer={}:{} max_connections={} "
                "suppressed={}",
                ip, port, m_cfg.max_connections, suppressed);
  } else if (status == 408) {
    SPDLOG_WARN("http: connection closed reason=request_deadline peer={}:{} header_timeout={}s "
                "suppressed={}",
                ip, port, m_cfg.header_timeout.count(), suppressed);
  } else if (status == 403 || status == 401) {
    // Never the Authorization header or what it carried.
    SPDLOG_WARN("http: request rejected status={} reason={} peer={}:{} suppressed={}", status, reason, ip,
                port, suppressed);
  } else {
    SPDLOG_WARN("http: request rejected status={} reason={} peer={}:{} max_body_size={} suppressed={}",
                status, reason, ip, port, m_cfg.max_body_size, suppressed);
  }
}

HttpServer::HttpServer(event_base* base, const config::HttpConfig& cfg, PostHandler handler)
    : m_impl(std::make_unique<Impl>(base, cfg, std::move(handler))) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const noexcept { return m_impl->m_port; }

void HttpServer::stop_accepting() {
  for (evhttp_bound_socket* bound : m_impl->m_listeners) {
    evhttp_del_accept_socket(m_impl->m_http.get(), bound); // frees the listener, closes the fd
  }
  m_impl->m_listeners.clear();
  if (!m_impl->m_stopping) {
    m_impl->m_stopping = true;
    SPDLOG_INFO("http: stopped accepting connections open={}", m_impl->m_tracker.open_connections());
  }
}

void HttpServer::add_get_route(std::string path, GetHandler handler) {
  m_impl->m_routes.insert_or_assign(std::move(path), std::move(handler));
}

const HttpStats& HttpServer::stats() const noexcept { return m_impl->m_stats; }

} // namespace cam2mqtt::http
