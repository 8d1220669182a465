// sources: outbound event streams (Hikvision ISAPI alertStream, CVEDIA-RT SSE / polling).
#include <map>

#include "config/secrets.h"
#include "config/sections.h"
#include "config/topic_syntax.h"
#include "config/units.h"
#include "util/strings.h"

namespace cam2mqtt::config {
namespace {

// "http(s)://host[:port][/path]": "" when fine, else the message.
std::string check_http_url(const std::string& text) {
  const auto lower = util::to_lower(text);
  const bool http = lower.rfind("http://", 0) == 0;
  const bool https = lower.rfind("https://", 0) == 0;
  if (!http && !https) {
    return "expected an http:// or https:// URL, got \"" + text + "\"";
  }
  const auto rest = text.substr(http ? 7 : 8);
  if (rest.empty() || rest[0] == '/' || rest[0] == ':') {
    return "has no host: \"" + text + "\"";
  }
  if (rest.find('@') != std::string::npos && rest.find('@') < rest.find('/')) {
    return "must not carry credentials; use username and password_file";
  }
  return "";
}

// A duration with millisecond resolution ("500ms", "1s") at least `min`.
void read_millis(MapReader& r, std::string_view key, std::chrono::milliseconds& out, std::chrono::milliseconds min) {
  std::string text;
  if (!r.has(key)) {
    return;
  }
  r.string(key, text, [&](const std::string& value) -> std::string {
    auto d = parse_duration(value);
    if (!d) {
      return d.error();
    }
    if (*d < min) {
      return "must be at least " + std::to_string(min.count()) + "ms, got \"" + value + "\"";
    }
    out = *d;
    return "";
  });
}

void read_tls_keys(MapReader& r, const LoadContext& ctx, bool& verify, std::string& ca_file) {
  r.boolean("verify_tls", verify);
  read_readable_file(r, "ca_file", ctx.base_dir, ca_file);
}

std::string check_id(const std::string& text) {
  if (std::string problem = check_topic_level(text); !problem.empty()) {
    return problem;
  }
  return text == "bridge" ? "\"bridge\" is reserved for cam2mqtt's own topics" : "";
}

void read_hikvision(MapReader& r, const LoadContext& ctx, HikvisionSourceConfig& s) {
  r.string("id", s.id, check_id);
  r.require("url");
  r.string("url", s.url, check_http_url);
  r.string("username", s.username);
  read_password(r, ctx.base_dir, s.password, s.password_file);
  r.choice("auth", s.auth, {"digest", "basic"});
  std::vector<std::string> channels;
  if (r.string_list("channels", channels, [](const std::string& text) -> std::string {
        const auto n = util::parse_u64(text);
        return (n && *n >= 1 && *n <= 512) ? "" : "expected a channel number 1..512, got \"" + text + "\"";
      })) {
    for (const auto& c : channels) {
      s.channels.push_back(static_cast<int>(*util::parse_u64(c)));
    }
  }
  r.boolean("snapshot", s.snapshot);
  r.duration("stall_timeout", s.stall_timeout, Seconds(5));
  read_millis(r, "event_timeout", s.event_timeout, std::chrono::milliseconds(500));
  read_tls_keys(r, ctx, s.verify_tls, s.ca_file);
}

void read_cvedia(MapReader& r, const LoadContext& ctx, CvediaSourceConfig& s) {
  r.string("id", s.id, check_id);
  r.require("url");
  r.string("url", s.url, check_http_url);
  r.require("instance");
  r.string("instance", s.instance, [](const std::string& text) -> std::string {
    if (text.empty()) {
      return "must not be empty";
    }
    return text.find_first_of("/?#&% ") == std::string::npos ? "" : "must not contain '/', '?', '#', '&', '%' or spaces";
  });
  r.string_list("events", s.events, [](const std::string& text) -> std::string {
    return (!text.empty() && text.find_first_of(",&?# /") == std::string::npos) ? "" : "not an event name: \"" + text + "\"";
  });
  r.choice("mode", s.mode, {"sse", "poll"});
  read_millis(r, "poll_interval", s.poll_interval, std::chrono::milliseconds(100));
  read_millis(r, "crop_wait", s.crop_wait, std::chrono::milliseconds(0));
  r.duration("stall_timeout", s.stall_timeout, Seconds(5));
  read_tls_keys(r, ctx, s.verify_tls, s.ca_file);
}

template <typename Entry> void check_unique_ids(std::vector<MapReader>& readers, const std::vector<Entry>& entries,
                                                std::map<std::string, int>& seen) {
  for (std::size_t i = 0; i < entries.size() && i < readers.size(); ++i) {
    if (entries[i].id.empty()) {
      continue;
    }
    const int line = readers[i].mark().line + 1;
    const auto [it, fresh] = seen.emplace(entries[i].id, line);
    if (!fresh) {
      readers[i].error("id", "duplicate source id \"" + entries[i].id + "\" (first at line " + std::to_string(it->second) + ")");
    }
  }
}

} // namespace

void read_sources(MapReader& r, const LoadContext& ctx, Config& cfg) {
  auto hik = r.map_list("hikvision");
  for (MapReader& entry : hik) {
    HikvisionSourceConfig s;
    read_hikvision(entry, ctx, s);
    entry.finish();
    cfg.sources.hikvision.push_back(std::move(s));
  }
  auto cv = r.map_list("cvedia");
  for (MapReader& entry : cv) {
    CvediaSourceConfig s;
    read_cvedia(entry, ctx, s);
    entry.finish();
    cfg.sources.cvedia.push_back(std::move(s));
  }
  std::map<std::string, int> seen;
  check_unique_ids(hik, cfg.sources.hikvision, seen);
  check_unique_ids(cv, cfg.sources.cvedia, seen);
}

} // namespace cam2mqtt::config
