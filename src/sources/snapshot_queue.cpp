#include "sources/snapshot_queue.h"

#include <spdlog/spdlog.h>

#include "util/base64.h"
#include "util/strings.h"

namespace cam2mqtt::sources {

SnapshotQueue::SnapshotQueue(CurlLoop& loop, Settings settings, HttpGet::Setup setup, SourceSink sink)
    : m_settings(std::move(settings)), m_get(loop), m_setup(std::move(setup)), m_sink(std::move(sink)) {}

SnapshotQueue::~SnapshotQueue() {
  if (!m_queue.empty()) { // stop() was not called: say what is lost
    SPDLOG_WARN("sources: snapshot queue closed with events waiting source={} lost={}", m_queue.front().cam.key,
                m_queue.size());
  }
}

std::string SnapshotQueue::picture_url(const std::string& base_url, const std::string& channel) {
  const bool none = channel.empty() || channel == "0";
  return base_url + "/ISAPI/Streaming/channels/" + (none ? std::string("1") : channel) + "01/picture";
}

bool SnapshotQueue::wants_picture(const model::Message& msg, util::SysMicros now) {
  if (msg.kind != model::Message::Kind::events || msg.events.empty()) {
    return false;
  }
  const auto& ev = msg.events.front();
  const auto key = ev.device.channelId + "\n" + util::to_lower(ev.eventType) + "\n" + ev.regionId;
  const auto it = m_recent.find(key);
  const bool repeat = it != m_recent.end() && now - it->second < m_settings.repeat_window;
  m_recent[key] = now;
  if (m_recent.size() > 1024) { // bounded: forget what is no longer recent
    std::erase_if(m_recent, [&](const auto& kv) { return now - kv.second >= m_settings.repeat_window; });
  }
  const bool end = ev.active && !*ev.active;
  return !repeat && !end && !ev.sourceImage && !ev.targetImage;
}

void SnapshotQueue::push(model::Message msg, SourceCamera cam, util::SysMicros now) {
  const bool wants = wants_picture(msg, now);
  if (m_stopped || (m_queue.empty() && !wants)) {
    m_sink(msg, cam);
    return;
  }
  if (m_queue.size() >= m_settings.max_queued) {
    SPDLOG_WARN("sources: snapshot queue full, event published without waiting source={}", cam.key);
    m_sink(msg, cam);
    return;
  }
  m_queue.push_back(Queued{std::move(msg), std::move(cam), wants});
  pump();
}

void SnapshotQueue::stop() {
  m_stopped = true;
  m_get.cancel();
  if (!m_queue.empty()) {
    SPDLOG_INFO("sources: snapshot queue stopping, events published without waiting longer source={} count={}",
                m_queue.front().cam.key, m_queue.size());
  }
  while (!m_queue.empty()) {
    Queued q = std::move(m_queue.front());
    m_queue.pop_front();
    m_stats.stopped += q.wants_picture ? 1 : 0;
    m_sink(q.msg, q.cam);
  }
}

void SnapshotQueue::pump() {
  while (!m_queue.empty() && !m_get.busy()) {
    auto& front = m_queue.front();
    if (front.wants_picture) {
      const auto url = picture_url(m_settings.base_url, front.msg.events.front().device.channelId);
      m_get.start(url, m_setup, m_settings.timeout, m_settings.max_bytes,
                  [this](HttpGet::Result& r) { on_fetched(r); });
      return;
    }
    Queued q = std::move(front);
    m_queue.pop_front();
    m_sink(q.msg, q.cam);
  }
}

void SnapshotQueue::on_fetched(HttpGet::Result& r) {
  if (m_queue.empty()) {
    return;
  }
  Queued q = std::move(m_queue.front());
  m_queue.pop_front();
  const bool jpeg = r.body.size() > 2 && static_cast<unsigned char>(r.body[0]) == 0xFF &&
                    static_cast<unsigned char>(r.body[1]) == 0xD8;
  if (r.ok() && jpeg) {
    ++m_stats.fetched;
    q.msg.events.front().sourceImage = model::Image{util::base64_encode(r.body), 0, 0};
  } else {
    ++m_stats.failed;
    SPDLOG_WARN("sources: snapshot failed, event published without it source={} status={} error={} bytes={}",
                q.cam.key, r.status,
                r.too_large ? "too large" : (r.code != CURLE_OK ? curl_easy_strerror(r.code) : (jpeg ? "" : "not a JPEG")),
                r.body.size());
  }
  m_sink(q.msg, q.cam);
  pump();
}

} // namespace cam2mqtt::sources
