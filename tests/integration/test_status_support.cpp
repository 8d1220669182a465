#include "test_status_support.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace cam2mqtt::testing {

namespace fs = std::filesystem;

namespace {
std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses with prometheus_client and prints one JSON document: families with type and help, and
// every sample keyed name{labels sorted}. Any parse error -> {"error": "..."}.
constexpr const char* k_parser = R"PY(
import json, sys
try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit(3)
text = open(sys.argv[1], encoding="utf-8").read()
out = {"types": {}, "help": {}, "samples": {}}
try:
    for fam in text_string_to_metric_families(text):
        out["types"][fam.name] = fam.type
        out["help"][fam.name] = fam.documentation
        for s in fam.samples:
            labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
            out["samples"]["%s{%s}" % (s.name, labels)] = s.value
except Exception as e:
    print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
    sys.exit(0)
print(json.dumps(out))
)PY";
} // namespace

std::optional<test::HttpReply> http_get(std::uint16_t port, const std::string& path) {
  auto client = test::RawClient::connect("127.0.0.1", port);
  if (!client) {
    return std::nullopt;
  }
  if (!client->send_all("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")) {
    return std::nullopt;
  }
  return client->read_response(std::chrono::seconds(10));
}

std::string test_output_dir(const std::string& test_name) {
  const auto dir = fs::path(CAM2MQTT_BINARY_DIR) / "test-output" / test_name;
  fs::create_directories(dir);
  return dir.string();
}

double ParsedMetrics::value(const std::string& key) const {
  const auto it = samples.find(key);
  return it == samples.end() ? 0.0 : it->second;
}

int run_shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  if (status == -1 || !WIFEXITED(status)) {
    return -1;
  }
  return WEXITSTATUS(status);
}

std::optional<ParsedMetrics> parse_metrics(const std::string& text) {
  char tmpl[] = "/tmp/cam2mqtt-metrics.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    return std::nullopt;
  }
  const fs::path dir(tmpl);
  std::ofstream(dir / "parser.py") << k_parser;
  std::ofstream(dir / "metrics.txt", std::ios::binary) << text;
  const int rc = run_shell("/usr/bin/python3 " + (dir / "parser.py").string() + " " + (dir / "metrics.txt").string() +
                           " > " + (dir / "out.json").string() + " 2> " + (dir / "err.txt").string());
  const auto out = read_file(dir / "out.json");
  const auto err = read_file(dir / "err.txt");
  fs::remove_all(dir);
  if (rc != 0) {
    return std::nullopt;
  }
  ParsedMetrics pm;
  const auto j = nlohmann::json::parse(out);
  if (j.contains("error")) {
    pm.error = j["error"].get<std::string>();
    return pm;
  }
  pm.ok = true;
  for (const auto& [k, v] : j["types"].items()) {
    pm.types[k] = v.get<std::string>();
  }
  for (const auto& [k, v] : j["help"].items()) {
    pm.help[k] = v.get<std::string>();
  }
  for (const auto& [k, v] : j["samples"].items()) {
    pm.samples[k] = v.get<double>();
  }
  return pm;
}

} // namespace cam2mqtt::testing
