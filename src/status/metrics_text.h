#pragma once
// Prometheus text exposition format 0.0.4, written by hand (no client library is packaged for
// C++ on Debian 12). One family at a time: family() writes the HELP and TYPE lines, sample()
// the samples under it. Label values and HELP text are escaped as the format requires.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cam2mqtt::status {

inline constexpr std::string_view k_metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType { counter, gauge };

using Labels = std::vector<std::pair<std::string, std::string>>;

// Label value escaping: backslash, double quote and line feed (\\, \", \n).
std::string escape_label_value(std::string_view value);
// HELP text escaping: backslash and line feed.
std::string escape_help(std::string_view text);
// True for [a-zA-Z_:][a-zA-Z0-9_:]* (metric names); label names additionally may not hold ':'.
bool valid_metric_name(std::string_view name) noexcept;
bool valid_label_name(std::string_view name) noexcept;

class MetricsText {
public:
  // Starts a family; names and label names are programmer input and checked with assert.
  void family(std::string_view name, MetricType type, std::string_view help);
  // A sample of the current family (its name, or name + suffix such as "_total").
  void sample(std::uint64_t value, const Labels& labels = {});
  void sample(double value, const Labels& labels = {});

  const std::string& text() const noexcept { return m_out; }
  std::string take() { return std::move(m_out); }

private:
  void sample_prefix(const Labels& labels);

  std::string m_out;
  std::string m_name;
};

} // namespace cam2mqtt::status
