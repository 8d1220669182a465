#include "http/connection_tracker.h"

#include <algorithm>
#include <array>
#include <exception>

#include <event2/buffer.h>
#include <spdlog/spdlog.h>

#include "http/http_server.h"
#include "util/strings.h"

namespace cam2mqtt::http {

struct ConnectionTracker::Conn {
  ConnectionTracker* tracker = nullptr;
  evhttp_connection* evcon = nullptr;
  std::string peer_ip;
  std::uint16_t peer_port = 0;
  evbuffer* input = nullptr;
  evbuffer* output = nullptr;
  evbuffer_cb_entry* input_cb = nullptr;
  evbuffer_cb_entry* output_cb = nullptr;
  bool idle = true;
  bool deliberate_error = false;
  EventPtr deadline; // the request's total deadline (see the header)
};

ConnectionTracker::ConnectionTracker(event_base* base, ConnectionLimits limits, HttpStats& stats,
                                     RejectFn on_reject)
    : m_base(base), m_limits(limits), m_stats(stats), m_on_reject(std::move(on_reject)),
      m_settle(obtain_event(base, -1, 0, &ConnectionTracker::on_settle, this)) {}

// evhttp must be freed before us: it closes every connection through on_close.
ConnectionTracker::~ConnectionTracker() = default;

void ConnectionTracker::attach(evhttp* http) {
  evhttp_set_bevcb(http, &ConnectionTracker::on_new_bufferevent, this);
}

bufferevent* ConnectionTracker::on_new_bufferevent(event_base* base, void* arg) noexcept {
  auto* self = static_cast<ConnectionTracker*>(arg);
  // Same options evhttp uses when it creates the bufferevent itself.
  bufferevent* bev = bufferevent_socket_new(base, -1, 0);
  if (bev == nullptr) {
    return nullptr; // evhttp tries itself; that connection just goes untracked
  }
  try {
    self->m_pending.push_back(bev);
    event_active(self->m_settle.get(), EV_TIMEOUT, 0);
  } catch (const std::exception& e) {
    SPDLOG_ERROR("http: cannot track connection error={}", e.what());
  }
  return bev;
}

void ConnectionTracker::on_settle(evutil_socket_t, short, void* arg) noexcept {
  auto* self = static_cast<ConnectionTracker*>(arg);
  std::vector<bufferevent*> pending;
  pending.swap(self->m_pending);
  for (bufferevent* bev : pending) {
    try {
      self->settle(bev);
    } catch (const std::exception& e) {
      SPDLOG_ERROR("http: cannot track connection error={}", e.what());
    }
  }
}

void ConnectionTracker::settle(bufferevent* bev) {
  void* cbarg = nullptr;
  bufferevent_getcb(bev, nullptr, nullptr, nullptr, &cbarg);
  auto* evcon = static_cast<evhttp_connection*>(cbarg);
  if (evcon == nullptr) {
    return;
  }
  char* address = nullptr;
  ev_uint16_t port = 0;
  evhttp_connection_get_peer(evcon, &address, &port);
  std::string ip = util::strip_v4_mapped(address != nullptr ? address : "");

  if (m_limits.max_connections > 0 &&
      m_conns.size() >= static_cast<std::size_t>(m_limits.max_connections)) {
    report(0, ip, port);
    evhttp_connection_free(evcon); // nothing read yet: a plain close
    return;
  }
  auto conn = std::make_unique<Conn>();
  conn->tracker = this;
  conn->evcon = evcon;
  conn->peer_ip = std::move(ip);
  conn->peer_port = port;
  conn->input = bufferevent_get_input(bev);
  conn->output = bufferevent_get_output(bev);
  conn->deadline = obtain_event(m_base, -1, 0, &ConnectionTracker::on_deadline, conn.get());
  bufferevent_setwatermark(bev, EV_READ, 0, m_limits.read_high_watermark);
  conn->input_cb = evbuffer_add_cb(conn->input, &ConnectionTracker::on_input, conn.get());
  conn->output_cb = evbuffer_add_cb(conn->output, &ConnectionTracker::on_output, conn.get());
  evhttp_connection_set_closecb(evcon, &ConnectionTracker::on_close, this);
  evhttp_connection_set_timeout_tv(evcon, &m_limits.idle_timeout);
  SPDLOG_DEBUG("http: connection opened peer={}:{} open={}", conn->peer_ip, port,
               m_conns.size() + 1);
  m_conns.emplace(evcon, std::move(conn));
  m_stats.connections_open.store(m_conns.size());
}

void ConnectionTracker::on_close(evhttp_connection* evcon, void* arg) noexcept {
  auto* self = static_cast<ConnectionTracker*>(arg);
  const auto it = self->m_conns.find(evcon);
  if (it == self->m_conns.end()) {
    return;
  }
  Conn& conn = *it->second;
  evbuffer_remove_cb_entry(conn.input, conn.input_cb);
  evbuffer_remove_cb_entry(conn.output, conn.output_cb);
  try {
    SPDLOG_DEBUG("http: connection closed peer={}:{} open={}", conn.peer_ip, conn.peer_port,
                 self->m_conns.size() - 1);
  } catch (...) {
  }
  self->m_conns.erase(it);
  self->m_stats.connections_open.store(self->m_conns.size());
}

void ConnectionTracker::on_input(evbuffer*, const evbuffer_cb_info* info, void* arg) noexcept {
  auto* conn = static_cast<Conn*>(arg);
  if (conn->idle && info->n_added > 0) {
    conn->tracker->start_request(*conn);
  }
}

void ConnectionTracker::start_request(Conn& conn) {
  conn.idle = false;
  evhttp_connection_set_timeout_tv(conn.evcon, &m_limits.request_timeout);
  evtimer_add(conn.deadline.get(), &m_limits.request_timeout);
}

void ConnectionTracker::on_deadline(evutil_socket_t, short, void* arg) noexcept {
  auto* conn = static_cast<Conn*>(arg);
  ConnectionTracker* self = conn->tracker;
  const std::string ip = conn->peer_ip;
  const std::uint16_t port = conn->peer_port;
  // Frees `conn` (and this timer) through on_close; nothing of it is used afterwards.
  evhttp_connection_free(conn->evcon);
  self->report(408, ip, port);
}

void ConnectionTracker::on_output(evbuffer* buf, const evbuffer_cb_info* info, void* arg) noexcept {
  // A status line is queued by one evbuffer_add_printf, so it is the start of what was added.
  constexpr std::size_t k_len = 12; // "HTTP/1.1 413"
  if (info->n_added < k_len || info->n_deleted != 0) {
    return;
  }
  evbuffer_ptr pos{};
  if (evbuffer_ptr_set(buf, &pos, info->orig_size, EVBUFFER_PTR_SET) != 0) {
    return;
  }
  // evbuffer_peek, not evbuffer_copyout_from: the latter refuses while evhttp has frozen the
  // start of the buffer (it does on its error path).
  std::array<evbuffer_iovec, 4> vecs{};
  const int n = evbuffer_peek(buf, static_cast<ev_ssize_t>(k_len), &pos, vecs.data(),
                              static_cast<int>(vecs.size()));
  std::string line;
  for (int i = 0; i < std::min<int>(n, static_cast<int>(vecs.size())) && line.size() < k_len; ++i) {
    const auto& v = vecs[static_cast<std::size_t>(i)];
    line.append(static_cast<const char*>(v.iov_base), std::min(v.iov_len, k_len - line.size()));
  }
  if (line.size() < k_len || line.compare(0, 7, "HTTP/1.") != 0 || line[8] != ' ') {
    return;
  }
  const auto code = util::parse_u64(std::string_view(line).substr(9, 3));
  auto* conn = static_cast<Conn*>(arg);
  const bool deliberate = conn->deliberate_error;
  conn->deliberate_error = false;
  if (code && *code >= 400 && !deliberate) {
    conn->tracker->report(static_cast<int>(*code), conn->peer_ip, conn->peer_port);
  }
}

void ConnectionTracker::before_reply(evhttp_request* req, bool deliberate_error) {
  evhttp_connection* evcon = evhttp_request_get_connection(req);
  const auto it = m_conns.find(evcon);
  if (it == m_conns.end()) {
    return;
  }
  it->second->deliberate_error = deliberate_error;
  evhttp_request_set_on_complete_cb(req, &ConnectionTracker::on_reply_complete, this);
}

void ConnectionTracker::on_reply_complete(evhttp_request* req, void* arg) noexcept {
  auto* self = static_cast<ConnectionTracker*>(arg);
  const auto it = self->m_conns.find(evhttp_request_get_connection(req));
  if (it == self->m_conns.end()) {
    return;
  }
  Conn& conn = *it->second;
  evtimer_del(conn.deadline.get());
  conn.idle = true;
  evhttp_connection_set_timeout_tv(conn.evcon, &self->m_limits.idle_timeout);
  // A pipelined request already buffered starts its own deadline now: no new byte may come.
  if (evbuffer_get_length(conn.input) > 0) {
    self->start_request(conn);
  }
}

void ConnectionTracker::report(int status, std::string_view ip, std::uint16_t port) noexcept {
  try {
    if (m_on_reject) {
      m_on_reject(status, ip, port);
    }
  } catch (...) {
  }
}

} // namespace cam2mqtt::http
