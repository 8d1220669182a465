#pragma once
// Runs an HttpServer on 127.0.0.1:0 with its event loop on a background thread and records
// every post the handler receives.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <event2/thread.h>

#include "http/http_server.h"
#include "http/libevent_handles.h"

namespace cam2mqtt::test {

inline config::HttpConfig test_config() {
  config::HttpConfig cfg;
  cfg.listen_host = "127.0.0.1";
  cfg.listen_port = 0;
  return cfg;
}

class PostRecorder {
public:
  void add(http::IncomingPost&& post) {
    {
      std::lock_guard lock(m_mutex);
      m_posts.push_back(std::move(post));
    }
    m_cv.notify_all();
  }
  // Waits until at least n posts arrived (bounded); returns a copy of all of them.
  std::vector<http::IncomingPost> wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, timeout, [&] { return m_posts.size() >= n; });
    return m_posts;
  }
  std::size_t count() {
    std::lock_guard lock(m_mutex);
    return m_posts.size();
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::vector<http::IncomingPost> m_posts;
};

class ServerHarness {
public:
  explicit ServerHarness(const config::HttpConfig& cfg = test_config(),
                         std::function<void(http::IncomingPost&)> hook = {})
      : m_base((evthread_use_pthreads(), http::obtain_event_base())) {
    m_server = std::make_unique<http::HttpServer>(m_base.get(), cfg,
                                                  [this, hook](http::IncomingPost&& post) {
                                                    if (hook) {
                                                      hook(post);
                                                    }
                                                    posts.add(std::move(post));
                                                  });
  }
  ~ServerHarness() {
    stop_loop();
    m_server.reset(); // after the loop thread is gone: libevent objects are single-threaded
  }
  ServerHarness(const ServerHarness&) = delete;
  ServerHarness& operator=(const ServerHarness&) = delete;

  // Call after any setup that must run before the loop (add_get_route).
  void start() {
    m_thread = std::thread([this] { event_base_loop(m_base.get(), EVLOOP_NO_EXIT_ON_EMPTY); });
  }
  void stop_loop() {
    if (m_thread.joinable()) {
      event_base_loopbreak(m_base.get());
      m_thread.join();
    }
  }
  // Runs fn on the loop thread and waits for it (bounded).
  bool run_in_loop(std::function<void()> fn) {
    auto task = std::make_unique<std::packaged_task<void()>>(std::move(fn));
    auto done = task->get_future();
    const timeval now{0, 0};
    if (event_base_once(m_base.get(), -1, EV_TIMEOUT, &ServerHarness::run_task, task.get(), &now) != 0) {
      return false;
    }
    (void)task.release();
    return done.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  }

  http::HttpServer& server() { return *m_server; }
  std::uint16_t port() const { return m_server->port(); }
  PostRecorder posts;

private:
  static void run_task(evutil_socket_t, short, void* arg) {
    std::unique_ptr<std::packaged_task<void()>> task(static_cast<std::packaged_task<void()>*>(arg));
    (*task)();
  }

  http::EventBasePtr m_base;
  std::unique_ptr<http::HttpServer> m_server;
  std::thread m_thread;
};

} // namespace cam2mqtt::test
