// load_config(): file -> YAML -> sections -> Config, every problem collected before throwing.
#include <unistd.h>

#include <array>
#include <string_view>
#include <utility>

#include "config/config.h"
#include "config/secrets.h"
#include "config/sections.h"
#include "config/yaml_reader.h"

namespace cam2mqtt::config {
namespace {

using SectionReader = void (*)(MapReader&, const LoadContext&, Config&);

struct Section {
  std::string_view name;
  SectionReader read;
};

// The top-level sections, in the order they are documented.
constexpr std::array<Section, 8> k_sections{{
    {"http", read_http},
    {"mqtt", read_mqtt},
    {"images", read_images},
    {"cameras", read_cameras},
    {"events", read_events},
    {"homeassistant", read_homeassistant},
    {"sources", read_sources},
    {"log", read_log},
}};

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    out += out.empty() ? "" : "\n";
    out += line;
  }
  return out;
}

std::string default_client_id() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0') {
    return "cam2mqtt";
  }
  return "cam2mqtt-" + std::string(host.data());
}

std::filesystem::path base_dir_of(const std::string& file) {
  const std::filesystem::path dir = std::filesystem::path(file).parent_path();
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(dir, ec);
  return ec ? dir : absolute;
}

// yaml-cpp reports a tab in the indentation as a generic error; say what is wrong.
std::string tab_hint(const std::string& yaml, int line) {
  std::size_t begin = 0;
  for (int i = 0; i < line && begin != std::string::npos; ++i) {
    begin = yaml.find('\n', begin);
    begin = begin == std::string::npos ? begin : begin + 1;
  }
  if (begin == std::string::npos) {
    return "";
  }
  const std::size_t indent_end = yaml.find_first_not_of(" \t", begin);
  const std::string indent = yaml.substr(begin, indent_end == std::string::npos ? std::string::npos : indent_end - begin);
  return indent.find('\t') == std::string::npos ? "" : " (tabs are not allowed in indentation; use spaces)";
}

// Parses the text into its one document; a syntax error becomes a diagnostic.
std::optional<YAML::Node> parse_yaml(const std::string& yaml, Diagnostics& diag) {
  try {
    std::vector<YAML::Node> documents = YAML::LoadAll(yaml);
    if (documents.empty()) {
      return YAML::Node();
    }
    if (documents.size() > 1) {
      diag.error(documents[1].Mark(), "syntax error", "only one YAML document is allowed");
    }
    return documents.front();
  } catch (const YAML::Exception& e) {
    diag.error(e.mark, "syntax error", e.msg + tab_hint(yaml, e.mark.line));
    return std::nullopt;
  }
}

} // namespace

ConfigError::ConfigError(std::vector<std::string> diagnostics)
    : std::runtime_error(join_lines(diagnostics)), m_diagnostics(std::move(diagnostics)) {}

Config load_config_from_string(const std::string& yaml, const std::string& file) {
  Diagnostics diag(file);
  Config cfg;
  cfg.file = file;
  const LoadContext ctx{base_dir_of(file)};

  if (const std::optional<YAML::Node> root = parse_yaml(yaml, diag)) {
    try {
      MapReader top(diag, *root, "", YAML::Mark());
      for (const Section& section : k_sections) {
        MapReader reader = top.section(section.name);
        section.read(reader, ctx, cfg);
        reader.finish();
      }
      top.finish();
    } catch (const YAML::Exception& e) {
      // Not expected (every read checks the node type first); reported rather than crashing.
      diag.error(e.mark, "(root)", e.msg);
    }
  }

  if (!diag.errors().empty()) {
    throw ConfigError(diag.errors());
  }
  if (cfg.mqtt.client_id.empty()) {
    cfg.mqtt.client_id = default_client_id();
  }
  cfg.warnings = diag.warnings();
  return cfg;
}

Config load_config(const std::string& path) {
  std::string text;
  if (const std::string problem = read_file(path, text); !problem.empty()) {
    throw ConfigError({path + ": cannot read: " + problem});
  }
  return load_config_from_string(text, path);
}

} // namespace cam2mqtt::config
