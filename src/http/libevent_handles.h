#pragma once
// RAII for libevent handles: unique_ptr aliases with stateless deleters, and factories that
// throw on null (bitcoin's obtain_event_base). Raw pointers elsewhere are non-owning.
#include <memory>
#include <stdexcept>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

namespace cam2mqtt::http {

struct EventBaseDeleter {
  void operator()(event_base* p) const noexcept { event_base_free(p); }
};
struct EvhttpDeleter {
  void operator()(evhttp* p) const noexcept { evhttp_free(p); }
};
struct EventDeleter {
  void operator()(event* p) const noexcept { event_free(p); }
};
struct EvconnListenerDeleter {
  void operator()(evconnlistener* p) const noexcept { evconnlistener_free(p); }
};
struct EvbufferDeleter {
  void operator()(evbuffer* p) const noexcept { evbuffer_free(p); }
};

using EventBasePtr = std::unique_ptr<event_base, EventBaseDeleter>;
using EvhttpPtr = std::unique_ptr<evhttp, EvhttpDeleter>;
using EventPtr = std::unique_ptr<event, EventDeleter>;
using EvconnListenerPtr = std::unique_ptr<evconnlistener, EvconnListenerDeleter>;
using EvbufferPtr = std::unique_ptr<evbuffer, EvbufferDeleter>;

inline EventBasePtr obtain_event_base() {
  EventBasePtr base{event_base_new()};
  if (!base) {
    throw std::runtime_error("libevent: cannot create event_base");
  }
  return base;
}

inline EvhttpPtr obtain_evhttp(event_base* base) {
  EvhttpPtr http{evhttp_new(base)};
  if (!http) {
    throw std::runtime_error("libevent: cannot create evhttp");
  }
  return http;
}

inline EventPtr obtain_event(event_base* base, evutil_socket_t fd, short what,
                             event_callback_fn cb, void* arg) {
  EventPtr ev{event_new(base, fd, what, cb, arg)};
  if (!ev) {
    throw std::runtime_error("libevent: cannot create event");
  }
  return ev;
}

inline EvbufferPtr obtain_evbuffer() {
  EvbufferPtr buf{evbuffer_new()};
  if (!buf) {
    throw std::runtime_error("libevent: cannot create evbuffer");
  }
  return buf;
}

} // namespace cam2mqtt::http
