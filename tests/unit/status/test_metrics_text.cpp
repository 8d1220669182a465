#include <catch2/catch.hpp>

#include "status/metrics_text.h"

using namespace cam2mqtt::status;

TEST_CASE("label values escape backslash, double quote and line feed only") {
  CHECK(escape_label_value("plain-Cam_1") == "plain-Cam_1");
  CHECK(escape_label_value(R"(a\b)") == R"(a\\b)");
  CHECK(escape_label_value(R"(say "hi")") == R"(say \"hi\")");
  CHECK(escape_label_value("two\nlines") == R"(two\nlines)");
  CHECK(escape_label_value("tab\there {}=,") == "tab\there {}=,");
  CHECK(escape_label_value("Ümlaut") == "Ümlaut");
}

TEST_CASE("HELP text escapes backslash and line feed but keeps quotes") {
  CHECK(escape_help("a \"quoted\" \\ word\nnext") == "a \"quoted\" \\\\ word\\nnext");
}

TEST_CASE("metric and label names follow the exposition format") {
  CHECK(valid_metric_name("cam2mqtt_events_total"));
  CHECK(valid_metric_name("a:b_c"));
  CHECK_FALSE(valid_metric_name(""));
  CHECK_FALSE(valid_metric_name("2abc"));
  CHECK_FALSE(valid_metric_name("a-b"));
  CHECK(valid_label_name("camera"));
  CHECK_FALSE(valid_label_name("a:b"));
  CHECK_FALSE(valid_label_name("__reserved"));
}

TEST_CASE("a family is HELP, TYPE, then its samples with labels in the given order") {
  MetricsText m;
  m.family("cam2mqtt_events_total", MetricType::counter, "Events accepted.");
  m.sample(std::uint64_t{3}, {{"category", "lpr"}, {"camera", "drive\"way"}});
  m.sample(std::uint64_t{0}, {{"category", "face"}, {"camera", "a\\b\nc"}});
  m.family("cam2mqtt_cameras_online", MetricType::gauge, "Cameras online.");
  m.sample(std::uint64_t{2});
  CHECK(m.text() ==
        "# HELP cam2mqtt_events_total Events accepted.\n"
        "# TYPE cam2mqtt_events_total counter\n"
        "cam2mqtt_events_total{category=\"lpr\",camera=\"drive\\\"way\"} 3\n"
        "cam2mqtt_events_total{category=\"face\",camera=\"a\\\\b\\nc\"} 0\n"
        "# HELP cam2mqtt_cameras_online Cameras online.\n"
        "# TYPE cam2mqtt_cameras_online gauge\n"
        "cam2mqtt_cameras_online 2\n");
}

TEST_CASE("doubles are written shortest round-trip, with the format's words for specials") {
  MetricsText m;
  m.family("x", MetricType::gauge, "h");
  m.sample(1.5);
  m.sample(0.1);
  m.sample(1e300);
  m.sample(std::numeric_limits<double>::infinity());
  m.sample(-std::numeric_limits<double>::infinity());
  m.sample(std::numeric_limits<double>::quiet_NaN());
  CHECK(m.text() == "# HELP x h\n# TYPE x gauge\nx 1.5\nx 0.1\nx 1e+300\nx +Inf\nx -Inf\nx NaN\n");
}

TEST_CASE("the largest counter value is written exactly") {
  MetricsText m;
  m.family("c_total", MetricType::counter, "h");
  m.sample(std::numeric_limits<std::uint64_t>::max());
  CHECK(m.text().find("c_total 18446744073709551615\n") != std::string::npos);
}
