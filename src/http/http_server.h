#pragma once
// The camera-facing HTTP/1.1 listener (libevent evhttp). Answers every accepted POST at once
// with the Viewtron success XML, then hands the body to the handler on the loop thread.
//
// Threading: construct, use and destroy on the thread that runs `base` (the loop thread);
// only stats() may be read from other threads.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "config/config.h"

struct event_base;

namespace cam2mqtt::http {

struct IncomingPost {
  std::string peer_ip;      // without the "::ffff:" prefix
  std::uint16_t peer_port = 0;
  std::string method;       // "POST", "PUT", ...
  std::string path;         // origin-form target (scheme://authority stripped), query kept
  std::string content_type;
  std::string body;
};

using PostHandler = std::function<void(IncomingPost&&)>;

// A GET (or HEAD) request for a registered route.
struct GetRequest {
  std::string peer_ip;
  std::uint16_t peer_port = 0;
  std::string path;  // normalized, without the query
  std::string query; // without the '?'
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

using GetHandler = std::function<HttpResponse(const GetRequest&)>;

// Counters for /metrics; written on the loop thread, readable from anywhere.
struct HttpStats {
  std::atomic<std::uint64_t> requests{0};           // every request handed to us by evhttp
  std::atomic<std::uint64_t> posts{0};              // POST/PUT bodies delivered to the handler
  std::atomic<std::uint64_t> bytes_received{0};     // sum of delivered body sizes
  std::atomic<std::uint64_t> rejected_too_large{0}; // 413 sent
  std::atomic<std::uint64_t> rejected_other{0};     // other 4xx/5xx sent, refused connections
  std::atomic<std::uint64_t> connections_open{0};   // gauge
};

class HttpServer {
public:
  // Binds at once; throws std::runtime_error ("http: cannot listen on HOST:PORT: reason").
  HttpServer(event_base* base, const config::HttpConfig& cfg, PostHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (useful when the config asked for port 0).
  std::uint16_t port() const noexcept;
  // Stop accepting new connections; requests still arriving on open ones get 503.
  void stop_accepting();
  // Answers GET and HEAD for exactly `path` (query ignored) with the handler's response.
  // Unregistered paths keep the default reply (200 + success XML). Replaces an earlier route.
  void add_get_route(std::string path, GetHandler handler);

  const HttpStats& stats() const noexcept;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace cam2mqtt::http
