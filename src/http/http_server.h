#pragma once
// The camera-facing HTTP/1.1 listener (libevent evhttp). Answers every accepted POST at once
// with the Viewtron success XML, then hands the body to the handler on the loop thread.
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
  std::string path;         // origin-form path (scheme://authority stripped)
  std::string content_type;
  std::string body;
};

using PostHandler = std::function<void(IncomingPost&&)>;

class HttpServer {
public:
  // Binds at once; throws std::runtime_error (naming the address) when it cannot.
  HttpServer(event_base* base, const config::HttpConfig& cfg, PostHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (useful when the config asked for port 0).
  std::uint16_t port() const noexcept;
  // Stop accepting new connections; requests still arriving on open ones get 503.
  void stop_accepting();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace cam2mqtt::http
