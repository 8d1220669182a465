#include "status/snapshot_metrics.h"

namespace cam2mqtt::status {

void write_snapshot_metrics(MetricsText& m, const std::vector<SnapshotSample>& sources) {
  if (sources.empty()) {
    return;
  }
  m.family("cam2mqtt_hikvision_snapshots_total", MetricType::counter,
           "Hikvision snapshots (snapshot: true) by result (fetched: attached as the source image; failed: the "
           "event went without it, the fetch failed, timed out or was not a JPEG; stopped: the event went "
           "without it because the daemon stopped; the stop's log line reports these too).");
  for (const auto& s : sources) {
    m.sample(s.fetched, {{"source", s.source}, {"result", "fetched"}});
    m.sample(s.failed, {{"source", s.source}, {"result", "failed"}});
    m.sample(s.stopped, {{"source", s.source}, {"result", "stopped"}});
  }
}

} // namespace cam2mqtt::status
