#include "app/mailbox.h"

#include <event2/event.h>
#include <spdlog/spdlog.h>

namespace cam2mqtt::app {

Mailbox::Mailbox(event_base* base, std::size_t capacity)
    : m_capacity(capacity), m_event(event_new(base, -1, EV_PERSIST, &Mailbox::on_wake, this)) {
  if (!m_event) {
    throw std::runtime_error("mailbox: cannot create event");
  }
  event_add(m_event.get(), nullptr);
}

bool Mailbox::post(Task task) {
  {
    std::lock_guard lock(m_mutex);
    if (m_queue.size() >= m_capacity) {
      ++m_overflows;
      return false;
    }
    m_queue.push_back(std::move(task));
  }
  event_active(m_event.get(), EV_READ, 0);
  return true;
}

void Mailbox::on_wake(evutil_socket_t, short, void* self) noexcept {
  static_cast<Mailbox*>(self)->drain();
}

void Mailbox::drain() {
  std::deque<Task> batch;
  {
    std::lock_guard lock(m_mutex);
    batch.swap(m_queue);
  }
  for (auto& task : batch) {
    try {
      task();
    } catch (const std::exception& e) {
      SPDLOG_ERROR("app: mailbox task failed error={}", e.what());
    }
  }
}

} // namespace cam2mqtt::app
