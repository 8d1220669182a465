#pragma once
// Hands work from other threads (Paho callbacks) to the loop thread: a mutex, a bounded queue
// and one persistent libevent event made active on post(). Overflow is counted, never blocks.
#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "http/libevent_handles.h"

namespace cam2mqtt::app {

class Mailbox {
public:
  using Task = std::function<void()>;

  // Requires evthread_use_pthreads() before `base` was created.
  Mailbox(event_base* base, std::size_t capacity);
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  // Any thread. Returns false (and counts) when the queue is full.
  bool post(Task task);
  std::uint64_t overflows() const noexcept { return m_overflows.load(); }

private:
  static void on_wake(evutil_socket_t, short, void* self) noexcept;
  void drain();

  std::mutex m_mutex;
  std::deque<Task> m_queue;
  std::size_t m_capacity;
  std::atomic<std::uint64_t> m_overflows{0};
  http::EventPtr m_event;
};

} // namespace cam2mqtt::app
