#pragma once
// Helpers of the status endpoint tests: GET over a raw socket, /metrics through the Python
// prometheus_client parser, headless Chromium.
#include <map>
#include <optional>
#include <string>

#include "support/http_client.h"

namespace cam2mqtt::testing {

// One GET on a new connection to 127.0.0.1:port; nullopt when nothing answers.
std::optional<test::HttpReply> http_get(std::uint16_t port, const std::string& path);

// Where tests leave artefacts for humans (screenshots, metrics dumps): <build>/test-output/<name>.
std::string test_output_dir(const std::string& test_name);

// Metrics text parsed by prometheus_client (the reference parser) under /usr/bin/python3.
struct ParsedMetrics {
  bool ok = false;
  std::string error;                         // the parser's complaint when !ok
  std::map<std::string, std::string> types;  // family name -> counter | gauge | ...
  std::map<std::string, std::string> help;   // family name -> HELP text
  std::map<std::string, double> samples;     // canonical "name{k="v",...}" (labels sorted) -> value
  double value(const std::string& key) const; // 0 when absent
};
// Returns nullopt when /usr/bin/python3 or prometheus_client is missing.
std::optional<ParsedMetrics> parse_metrics(const std::string& text);

// Runs `cmd` through /bin/sh; returns the exit status (-1 on failure to run).
int run_shell(const std::string& cmd);

} // namespace cam2mqtt::testing
