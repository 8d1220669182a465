#pragma once
// The CVEDIA-RT crop join counters of each cvedia source (sources::CropJoiner) as /metrics
// families, labelled source="<camera key>". app/ copies the numbers in; nothing is written
// when no cvedia source is configured.
#include <cstdint>
#include <string>
#include <vector>

#include "status/metrics_text.h"

namespace cam2mqtt::status {

struct CropJoinSample {
  std::string source;                  // the entry's camera key
  std::uint64_t crops_joined = 0;      // crops attached to their event (target image)
  std::uint64_t waits_expired = 0;     // events published without their crop after crop_wait (or at stop)
  std::uint64_t waits_overflowed = 0;  // events published early: too many were waiting
  std::uint64_t duplicates = 0;        // events dropped as already published (replays)
  std::uint64_t crops_late = 0;        // crop for an event already published, or a second crop
  std::uint64_t crops_orphaned = 0;    // no event came for it within the hold (or memory bound)
  std::uint64_t crops_unusable = 0;    // no ref_event_id, or no JPEG
  std::uint64_t crops_shutdown = 0;    // still held for an event not seen when the source stopped
  std::uint64_t events_waiting = 0;    // now
  std::uint64_t crops_held = 0;        // now
};

void write_crop_join_metrics(MetricsText& m, const std::vector<CropJoinSample>& sources);

} // namespace cam2mqtt::status
