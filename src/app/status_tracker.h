#pragma once
// Remembers, per camera, how many events of each category it sent and the last event of each
// category with its thumbnail, for the status page. A PipelineObserver: loop thread only.
//
// Memory is bounded: at most `max_cameras` cameras are tracked (later ones are counted in
// `untracked_events`), a thumbnail larger than `max_image_bytes` (base64) is not kept, and when
// all thumbnails together would exceed `max_total_image_bytes` the oldest thumbnails are
// dropped first (their event text stays).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "app/pipeline_observer.h"
#include "util/time_format.h"

namespace cam2mqtt::app {

struct TrackedEvent {
  std::string subtype;
  std::string event_type;
  std::string summary; // plate number, alarm name (+ on/off), or the event description
  util::SysMicros received_at;
  std::string image_base64; // target image, else source image; "" when none or dropped
  int image_width = 0;
  int image_height = 0;
};

struct TrackedCamera {
  std::map<std::string, std::uint64_t> counts; // by category
  std::map<std::string, TrackedEvent> last;    // by category
};

class StatusTracker final : public PipelineObserver {
public:
  struct Limits {
    std::size_t max_cameras = 1024;
    std::size_t max_image_bytes = 512 * 1024;
    std::size_t max_total_image_bytes = 32 * 1024 * 1024;
  };

  StatusTracker() = default;
  explicit StatusTracker(Limits limits) : m_limits(limits) {}

  void on_event(const model::Event& ev, const encode::Envelope& env, const std::string& json) override;

  const std::map<std::string, TrackedCamera>& cameras() const noexcept { return m_cameras; }
  std::size_t image_bytes() const noexcept { return m_image_bytes; }
  std::uint64_t untracked_events() const noexcept { return m_untracked; }

private:
  void drop_oldest_image();

  Limits m_limits;
  std::map<std::string, TrackedCamera> m_cameras;
  std::size_t m_image_bytes = 0;
  std::uint64_t m_untracked = 0;
};

// The one-line summary the status page shows for an event.
std::string event_summary(const model::Event& ev);

} // namespace cam2mqtt::app
