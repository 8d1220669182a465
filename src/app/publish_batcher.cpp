#include "app/publish_batcher.h"

#include <stdexcept>
#include <utility>

#include <spdlog/spdlog.h>

namespace cam2mqtt::app {

PublishBatcher::PublishBatcher(event_base* base, mqtt::Publisher& target)
    : m_target(target), m_event(event_new(base, -1, 0, &PublishBatcher::on_flush, this)) {
  if (!m_event) {
    throw std::runtime_error("publish batcher: cannot create event");
  }
}

PublishBatcher::~PublishBatcher() {
  try {
    flush();
  } catch (const std::exception& e) {
    SPDLOG_ERROR("app: flushing publishes failed error={}", e.what());
  }
}

void PublishBatcher::publish(mqtt::OutgoingMessage msg) {
  m_batch.push_back(std::move(msg));
  if (m_batch.size() == 1) {
    event_active(m_event.get(), EV_TIMEOUT, 0);
  }
}

void PublishBatcher::flush() {
  // Swapped out first: a target that publishes back into us starts a new batch.
  m_sending.swap(m_batch);
  for (auto& msg : m_sending) {
    m_target.publish(std::move(msg));
  }
  m_sending.clear();
}

void PublishBatcher::on_flush(evutil_socket_t, short, void* self) noexcept {
  try {
    static_cast<PublishBatcher*>(self)->flush();
  } catch (const std::exception& e) {
    SPDLOG_ERROR("app: flushing publishes failed error={}", e.what());
  }
}

} // namespace cam2mqtt::app
