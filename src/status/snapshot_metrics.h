#pragma once
// The snapshot counters of each Hikvision source with `snapshot: true` (sources::SnapshotQueue)
// as one /metrics family, labelled source="<camera key>" and result. app/ copies the numbers
// in; nothing is written when no source fetches snapshots.
#include <cstdint>
#include <string>
#include <vector>

#include "status/metrics_text.h"

namespace cam2mqtt::status {

struct SnapshotSample {
  std::string source;       // the entry's camera key
  std::uint64_t fetched = 0; // attached to their event as its source image
  std::uint64_t failed = 0;  // the event went without: the fetch failed, timed out or was not a JPEG
  std::uint64_t stopped = 0; // the event went without: the daemon stopped while it waited
};

void write_snapshot_metrics(MetricsText& m, const std::vector<SnapshotSample>& sources);

} // namespace cam2mqtt::status
