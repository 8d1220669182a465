// The Hikvision snapshot family on /metrics: one family, three results per source.
#include <catch2/catch.hpp>

#include "status/snapshot_metrics.h"

using namespace cam2mqtt::status;

TEST_CASE("snapshot metrics: no source fetches snapshots, no family") {
  MetricsText m;
  write_snapshot_metrics(m, {});
  CHECK(m.text().empty());
}

TEST_CASE("snapshot metrics: one counter family, fetched, failed and stopped per source") {
  SnapshotSample gate;
  gate.source = "gate";
  gate.fetched = 3;
  gate.failed = 2;
  gate.stopped = 1;
  SnapshotSample door;
  door.source = "door";
  MetricsText m;
  write_snapshot_metrics(m, {gate, door});
  const auto& t = m.text();
  CHECK(t.find("# TYPE cam2mqtt_hikvision_snapshots_total counter\n") != std::string::npos);
  CHECK(t.find("cam2mqtt_hikvision_snapshots_total{source=\"gate\",result=\"fetched\"} 3\n"
               "cam2mqtt_hikvision_snapshots_total{source=\"gate\",result=\"failed\"} 2\n"
               "cam2mqtt_hikvision_snapshots_total{source=\"gate\",result=\"stopped\"} 1\n"
               "cam2mqtt_hikvision_snapshots_total{source=\"door\",result=\"fetched\"} 0\n") != std::string::npos);
}
