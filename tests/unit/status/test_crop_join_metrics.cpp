// The CVEDIA-RT crop join families on /metrics: one family per counter, every source under it.
#include <catch2/catch.hpp>

#include "status/crop_join_metrics.h"

using namespace cam2mqtt::status;

namespace {
// The sample lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    const auto line = text.substr(pos, end - pos);
    if (line.rfind(prefix, 0) == 0) {
      out.push_back(line);
    }
    pos = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}
} // namespace

TEST_CASE("crop join metrics: no cvedia source, no families") {
  MetricsText m;
  write_crop_join_metrics(m, {});
  CHECK(m.text().empty());
}

TEST_CASE("crop join metrics: each family once, a sample per source, crops dropped by reason") {
  CropJoinSample yard;
  yard.source = "yard";
  yard.crops_joined = 5;
  yard.waits_expired = 4;
  yard.waits_overflowed = 3;
  yard.duplicates = 2;
  yard.crops_late = 1;
  yard.crops_orphaned = 6;
  yard.crops_unusable = 7;
  yard.crops_shutdown = 10;
  yard.events_waiting = 8;
  yard.crops_held = 9;
  CropJoinSample gate;
  gate.source = "ga\"te";
  MetricsText m;
  write_crop_join_metrics(m, {yard, gate});
  const auto& t = m.text();
  CHECK(lines_starting(t, "cam2mqtt_cvedia_crops_joined_total") ==
        std::vector<std::string>{R"(cam2mqtt_cvedia_crops_joined_total{source="yard"} 5)",
                                 R"(cam2mqtt_cvedia_crops_joined_total{source="ga\"te"} 0)"});
  CHECK(lines_starting(t, "cam2mqtt_cvedia_crop_waits_expired_total{source=\"yard\"} 4").size() == 1);
  CHECK(lines_starting(t, "cam2mqtt_cvedia_crop_waits_overflowed_total{source=\"yard\"} 3").size() == 1);
  CHECK(lines_starting(t, "cam2mqtt_cvedia_duplicates_dropped_total{source=\"yard\"} 2").size() == 1);
  CHECK(lines_starting(t, "cam2mqtt_cvedia_crops_dropped_total{source=\"yard\"") ==
        std::vector<std::string>{R"(cam2mqtt_cvedia_crops_dropped_total{source="yard",reason="late"} 1)",
                                 R"(cam2mqtt_cvedia_crops_dropped_total{source="yard",reason="orphaned"} 6)",
                                 R"(cam2mqtt_cvedia_crops_dropped_total{source="yard",reason="unusable"} 7)",
                                 R"(cam2mqtt_cvedia_crops_dropped_total{source="yard",reason="shutdown"} 10)"});
  CHECK(lines_starting(t, "cam2mqtt_cvedia_events_waiting{source=\"yard\"} 8").size() == 1);
  CHECK(lines_starting(t, "cam2mqtt_cvedia_crops_held{source=\"yard\"} 9").size() == 1);
  CHECK(lines_starting(t, "# TYPE cam2mqtt_cvedia_crops_joined_total counter").size() == 1);
  CHECK(lines_starting(t, "# TYPE cam2mqtt_cvedia_events_waiting gauge").size() == 1);
  CHECK(lines_starting(t, "# TYPE ").size() == 7);
  CHECK(lines_starting(t, "# HELP ").size() == 7);
  CHECK(lines_starting(t, "cam2mqtt_cvedia_").size() == 6 * 2 + 4 * 2); // crops_dropped: 4 reasons per source
}
