#include "status/crop_join_metrics.h"

namespace cam2mqtt::status {

namespace {
using Field = std::uint64_t CropJoinSample::*;

void write_family(MetricsText& m, const std::vector<CropJoinSample>& sources, const char* name, MetricType type,
                  const char* help, Field field) {
  m.family(name, type, help);
  for (const auto& s : sources) {
    m.sample(s.*field, {{"source", s.source}});
  }
}
} // namespace

void write_crop_join_metrics(MetricsText& m, const std::vector<CropJoinSample>& sources) {
  if (sources.empty()) {
    return;
  }
  write_family(m, sources, "cam2mqtt_cvedia_crops_joined_total", MetricType::counter,
               "CVEDIA-RT crops attached to their event as its target image.", &CropJoinSample::crops_joined);
  write_family(m, sources, "cam2mqtt_cvedia_crop_waits_expired_total", MetricType::counter,
               "CVEDIA-RT events published without their crop after waiting crop_wait (or at stop).",
               &CropJoinSample::waits_expired);
  write_family(m, sources, "cam2mqtt_cvedia_crop_waits_overflowed_total", MetricType::counter,
               "CVEDIA-RT events published before crop_wait ran out because too many events were waiting.",
               &CropJoinSample::waits_overflowed);
  write_family(m, sources, "cam2mqtt_cvedia_duplicates_dropped_total", MetricType::counter,
               "CVEDIA-RT events dropped as already published (name and event_id seen, e.g. replayed after a "
               "reconnect).",
               &CropJoinSample::duplicates);
  m.family("cam2mqtt_cvedia_crops_dropped_total", MetricType::counter,
           "CVEDIA-RT crops not published, by reason (late: its event was already published; orphaned: no event "
           "came for it; unusable: no ref_event_id or no JPEG; shutdown: held for an event not seen yet when the "
           "daemon stopped).");
  for (const auto& s : sources) {
    m.sample(s.crops_late, {{"source", s.source}, {"reason", "late"}});
    m.sample(s.crops_orphaned, {{"source", s.source}, {"reason", "orphaned"}});
    m.sample(s.crops_unusable, {{"source", s.source}, {"reason", "unusable"}});
    m.sample(s.crops_shutdown, {{"source", s.source}, {"reason", "shutdown"}});
  }
  write_family(m, sources, "cam2mqtt_cvedia_events_waiting", MetricType::gauge,
               "CVEDIA-RT events waiting for their crop now.", &CropJoinSample::events_waiting);
  write_family(m, sources, "cam2mqtt_cvedia_crops_held", MetricType::gauge,
               "CVEDIA-RT crops held now for an event that has not come yet.", &CropJoinSample::crops_held);
}

} // namespace cam2mqtt::status
