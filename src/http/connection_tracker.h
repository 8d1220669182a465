#pragma once
// Per-connection bookkeeping evhttp 2.1 does not offer: a max_connections limit, an idle
// (keep-alive) timeout distinct from the in-request timeout, and a view of the error replies
// evhttp sends on its own (413, 400, ...), which never reach our request callback.
//
// How, with the public 2.1.12 API only:
// * evhttp_set_bevcb() hands us every new connection's bufferevent before evhttp wires it up;
//   we queue it and activate a "settle" event, which runs later in the same loop iteration
//   (before the new socket can be read). By then evhttp has set the bufferevent callbacks,
//   whose argument is the evhttp_connection (bufferevent_getcb). Over the limit, the
//   connection is freed (closed) there; otherwise it gets a close callback and timeouts.
// * An evbuffer callback on the connection's input buffer sees the first bytes of a request
//   and switches the read/write timeout from the idle to the request value; the request's
//   on-complete callback (reply fully written) switches it back.
// * An evbuffer callback on the output buffer reads each status line as it is queued, so
//   evhttp's own 4xx/5xx replies are counted and logged with the peer.
// * The request timeout is also a total deadline: a timer started by a request's first byte
//   closes the connection unless its reply has been fully written by then. evhttp's own
//   timeouts only measure inactivity, so a byte every few seconds (slowloris), an endless
//   trickle of body or a reader that takes one byte at a time would otherwise hold a
//   connection forever.
// * The read side stops at a high watermark (ConnectionLimits::read_high_watermark): while
//   evhttp writes a reply it keeps reading into the input buffer without parsing, so a client
//   that pipelines requests and never reads the replies would otherwise grow that buffer
//   without bound. evhttp leaves a Content-Length body in that buffer until all of it has
//   arrived, so the mark must exceed the largest request (headers + max_body_size).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <event2/bufferevent.h>
#include <event2/http.h>

#include "http/libevent_handles.h"

namespace cam2mqtt::http {

struct HttpStats;

struct ConnectionLimits {
  int max_connections = 0;  // <= 0: unlimited
  timeval idle_timeout{};   // waiting for the next request (keep-alive)
  timeval request_timeout{}; // from a request's first byte until its reply is written
                             // (inactivity timeout and total deadline)
  std::size_t read_high_watermark = 0; // input buffered before reading pauses; 0 = unlimited
};

class ConnectionTracker {
public:
  // status 0 = connection refused at accept (max_connections); 408 = request deadline passed
  // (connection closed, nothing sent); else the error status sent.
  using RejectFn = std::function<void(int status, std::string_view peer_ip, std::uint16_t port)>;

  ConnectionTracker(event_base* base, ConnectionLimits limits, HttpStats& stats, RejectFn on_reject);
  ~ConnectionTracker();
  ConnectionTracker(const ConnectionTracker&) = delete;
  ConnectionTracker& operator=(const ConnectionTracker&) = delete;

  // Registers the bufferevent hook; call once, right after creating `http`.
  void attach(evhttp* http);
  // Call before sending a reply. `deliberate_error` marks a 4xx/5xx we chose (route
  // handlers), so it is not counted as a rejection.
  void before_reply(evhttp_request* req, bool deliberate_error);
  std::size_t open_connections() const noexcept { return m_conns.size(); }

private:
  struct Conn;
  static bufferevent* on_new_bufferevent(event_base* base, void* arg) noexcept;
  static void on_settle(evutil_socket_t fd, short what, void* arg) noexcept;
  static void on_close(evhttp_connection* evcon, void* arg) noexcept;
  static void on_input(evbuffer* buf, const evbuffer_cb_info* info, void* arg) noexcept;
  static void on_output(evbuffer* buf, const evbuffer_cb_info* info, void* arg) noexcept;
  static void on_reply_complete(evhttp_request* req, void* arg) noexcept;
  static void on_deadline(evutil_socket_t fd, short what, void* arg) noexcept;
  void start_request(Conn& conn);
  void settle(bufferevent* bev);
  void report(int status, std::string_view ip, std::uint16_t port) noexcept;

  event_base* m_base;
  ConnectionLimits m_limits;
  HttpStats& m_stats;
  RejectFn m_on_reject;
  std::vector<bufferevent*> m_pending;
  std::unordered_map<evhttp_connection*, std::unique_ptr<Conn>> m_conns;
  EventPtr m_settle;
};

} // namespace cam2mqtt::http
