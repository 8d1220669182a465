#pragma once
// libcurl's multi-socket API driven by the daemon's libevent loop: curl tells us which sockets to
// watch (CURLMOPT_SOCKETFUNCTION) and when to call it back (CURLMOPT_TIMERFUNCTION); libevent
// events feed curl_multi_socket_action. Every transfer of every outbound source runs here, on
// the loop thread, with no thread of its own. Callbacks never let an exception escape.
#include <functional>
#include <map>
#include <vector>

#include <event2/event.h>

#include "http/libevent_handles.h"
#include "sources/curl_handles.h"

namespace cam2mqtt::sources {

class CurlLoop {
public:
  // result, HTTP status of the last response (0 when none)
  using Done = std::function<void(CURLcode, long)>;

  explicit CurlLoop(event_base* base);
  ~CurlLoop();
  CurlLoop(const CurlLoop&) = delete;
  CurlLoop& operator=(const CurlLoop&) = delete;

  // Starts a configured transfer; `done` runs on the loop when it ends (not for remove()). Safe
  // from inside a libcurl callback (a write callback starting a side request): libcurl refuses
  // that (CURLM_RECURSIVE_API_CALL), so the transfer is then added from the loop right after.
  void add(CURL* easy, Done done);
  // Stops a transfer early (watchdog, shutdown); safe for transfers already finished.
  void remove(CURL* easy);
  std::size_t active() const noexcept { return m_done.size(); }

private:
  static int on_socket(CURL* easy, curl_socket_t s, int what, void* self, void* socket_data) noexcept;
  static int on_timer(CURLM* multi, long timeout_ms, void* self) noexcept;
  static void on_event(evutil_socket_t fd, short what, void* self) noexcept;
  static void on_timeout(evutil_socket_t fd, short what, void* self) noexcept;
  static void on_deferred(evutil_socket_t fd, short what, void* self) noexcept;
  void action(curl_socket_t s, int flags);
  void check_done();

  event_base* m_base;
  CurlMultiPtr m_multi;
  http::EventPtr m_timer;
  http::EventPtr m_defer_event;
  std::vector<CURL*> m_deferred; // added from inside a libcurl callback, waiting for the loop
  std::map<curl_socket_t, http::EventPtr> m_socket_events;
  std::map<CURL*, Done> m_done;
};

} // namespace cam2mqtt::sources
