#include "sources/curl_loop.h"

#include <spdlog/spdlog.h>

namespace cam2mqtt::sources {

CurlLoop::CurlLoop(event_base* base) : m_base(base), m_multi(make_curl_multi()) {
  m_timer.reset(evtimer_new(m_base, &CurlLoop::on_timeout, this));
  m_defer_event.reset(event_new(m_base, -1, 0, &CurlLoop::on_deferred, this));
  curl_multi_setopt(m_multi.get(), CURLMOPT_SOCKETFUNCTION, &CurlLoop::on_socket);
  curl_multi_setopt(m_multi.get(), CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(m_multi.get(), CURLMOPT_TIMERFUNCTION, &CurlLoop::on_timer);
  curl_multi_setopt(m_multi.get(), CURLMOPT_TIMERDATA, this);
}

CurlLoop::~CurlLoop() {
  for (auto& [easy, done] : m_done) {
    curl_multi_remove_handle(m_multi.get(), easy);
  }
  m_done.clear();
  m_socket_events.clear();
}

void CurlLoop::add(CURL* easy, Done done) {
  m_done[easy] = std::move(done);
  // Arms the timer; the transfer starts from the loop.
  if (curl_multi_add_handle(m_multi.get(), easy) == CURLM_RECURSIVE_API_CALL) {
    m_deferred.push_back(easy);
    event_active(m_defer_event.get(), EV_TIMEOUT, 0);
  }
}

void CurlLoop::remove(CURL* easy) {
  std::erase(m_deferred, easy);
  if (m_done.erase(easy) != 0) {
    curl_multi_remove_handle(m_multi.get(), easy);
  }
}

void CurlLoop::on_deferred(evutil_socket_t, short, void* self) noexcept {
  auto* loop = static_cast<CurlLoop*>(self);
  auto deferred = std::move(loop->m_deferred);
  loop->m_deferred.clear();
  for (CURL* easy : deferred) {
    if (loop->m_done.count(easy) != 0) {
      curl_multi_add_handle(loop->m_multi.get(), easy);
    }
  }
}

int CurlLoop::on_socket(CURL*, curl_socket_t s, int what, void* self, void*) noexcept {
  auto* loop = static_cast<CurlLoop*>(self);
  try {
    if (what == CURL_POLL_REMOVE) {
      loop->m_socket_events.erase(s);
      return 0;
    }
    short flags = EV_PERSIST;
    flags = static_cast<short>(flags | ((what & CURL_POLL_IN) != 0 ? EV_READ : 0));
    flags = static_cast<short>(flags | ((what & CURL_POLL_OUT) != 0 ? EV_WRITE : 0));
    http::EventPtr ev(event_new(loop->m_base, s, flags, &CurlLoop::on_event, loop));
    event_add(ev.get(), nullptr);
    loop->m_socket_events[s] = std::move(ev); // replaces (and frees) the previous watch
  } catch (const std::exception& e) {
    SPDLOG_ERROR("sources: curl socket callback failed error={}", e.what());
  }
  return 0;
}

int CurlLoop::on_timer(CURLM*, long timeout_ms, void* self) noexcept {
  auto* loop = static_cast<CurlLoop*>(self);
  if (timeout_ms < 0) {
    evtimer_del(loop->m_timer.get());
    return 0;
  }
  timeval tv{};
  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  evtimer_add(loop->m_timer.get(), &tv);
  return 0;
}

void CurlLoop::on_event(evutil_socket_t fd, short what, void* self) noexcept {
  int flags = 0;
  flags |= (what & EV_READ) != 0 ? CURL_CSELECT_IN : 0;
  flags |= (what & EV_WRITE) != 0 ? CURL_CSELECT_OUT : 0;
  static_cast<CurlLoop*>(self)->action(fd, flags);
}

void CurlLoop::on_timeout(evutil_socket_t, short, void* self) noexcept {
  static_cast<CurlLoop*>(self)->action(CURL_SOCKET_TIMEOUT, 0);
}

void CurlLoop::action(curl_socket_t s, int flags) {
  try {
    int running = 0;
    curl_multi_socket_action(m_multi.get(), s, flags, &running);
    check_done();
  } catch (const std::exception& e) {
    SPDLOG_ERROR("sources: curl action failed error={}", e.what());
  }
}

void CurlLoop::check_done() {
  int pending = 0;
  while (CURLMsg* msg = curl_multi_info_read(m_multi.get(), &pending)) {
    if (msg->msg != CURLMSG_DONE) {
      continue;
    }
    CURL* easy = msg->easy_handle;
    const CURLcode result = msg->data.result;
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(m_multi.get(), easy);
    auto it = m_done.find(easy);
    if (it == m_done.end()) {
      continue;
    }
    Done done = std::move(it->second);
    m_done.erase(it);
    done(result, status); // may add a new transfer (reconnect)
  }
}

} // namespace cam2mqtt::sources
