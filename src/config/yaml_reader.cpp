#include "config/yaml_reader.h"

#include <algorithm>
#include <utility>

#include "config/units.h"
#include "util/strings.h"

namespace cam2mqtt::config {
namespace {

bool valid(const YAML::Mark& mark) {
  return mark.line >= 0 && mark.column >= 0;
}

std::string join(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::string_view word : words) {
    out += out.empty() ? "" : ", ";
    out += word;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Optional sign and decimal digits; nullopt on anything else or overflow.
std::optional<std::int64_t> parse_i64(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    text.remove_prefix(1);
  }
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const auto magnitude = util::parse_u64(text);
  if (!magnitude || *magnitude > static_cast<std::uint64_t>(INT64_MAX)) {
    return std::nullopt;
  }
  const auto value = static_cast<std::int64_t>(*magnitude);
  return negative ? -value : value;
}

} // namespace

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Map:
    return "a map";
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Scalar:
    return "\"" + node.Scalar() + "\"";
  default:
    return "nothing";
  }
}

// ---- Diagnostics -----------------------------------------------------------------------------

Diagnostics::Diagnostics(std::string file) : m_file(std::move(file)) {}

std::string Diagnostics::format(const YAML::Mark& mark, std::string_view path, std::string_view message) const {
  std::string out = m_file;
  if (valid(mark)) {
    out += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  out += ": ";
  out += path.empty() ? std::string_view("(root)") : path;
  out += ": ";
  out += message;
  return out;
}

void Diagnostics::error(const YAML::Mark& mark, std::string_view path, std::string_view message) {
  m_errors.push_back(format(mark, path, message));
}

void Diagnostics::warning(const YAML::Mark& mark, std::string_view path, std::string_view message) {
  m_warnings.push_back(format(mark, path, message));
}

// ---- MapReader: structure ----------------------------------------------------------------------

MapReader::MapReader(Diagnostics& diag, const YAML::Node& node, std::string path, const YAML::Mark& where)
    : m_diag(&diag), m_path(std::move(path)), m_mark(valid(node.Mark()) ? node.Mark() : where) {
  if (!node.IsDefined() || node.IsNull()) {
    return;
  }
  if (!node.IsMap()) {
    const std::string hint = m_path.empty() ? " of sections like \"http:\" and \"mqtt:\"" : "";
    diag.error(m_mark, m_path, "expected a map" + hint + ", got " + describe(node));
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key_node = it->first;
    if (!key_node.IsScalar()) {
      diag.error(key_node.Mark(), m_path, "keys must be plain words, got " + describe(key_node));
      continue;
    }
    const std::string& key = key_node.Scalar();
    const auto same = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.key == key; });
    if (same != m_entries.end()) {
      diag.error(key_node.Mark(), path_of(key),
                 "duplicate key (first at line " + std::to_string(same->key_node.Mark().line + 1) + ")");
      continue;
    }
    m_entries.push_back(Entry{key, key_node, it->second});
  }
}

std::string MapReader::path_of(std::string_view key) const {
  return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

const MapReader::Entry* MapReader::find(std::string_view key) {
  m_known.emplace(key);
  const auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.key == key; });
  return it == m_entries.end() ? nullptr : &*it;
}

bool MapReader::has(std::string_view key) {
  return find(key) != nullptr;
}

YAML::Mark MapReader::value_mark(const Entry& entry) const {
  // An empty value's mark points at the next token, often on the next line: use the key's.
  if (entry.value.IsNull() || !valid(entry.value.Mark())) {
    return entry.key_node.Mark();
  }
  return entry.value.Mark();
}

YAML::Mark MapReader::mark_of(std::string_view key) {
  const Entry* entry = find(key);
  return entry ? value_mark(*entry) : YAML::Mark::null_mark();
}

void MapReader::error(std::string_view key, std::string_view message) {
  const Entry* entry = find(key);
  m_diag->error(entry ? value_mark(*entry) : m_mark, path_of(key), message);
}

void MapReader::warning(std::string_view key, std::string_view message) {
  const Entry* entry = find(key);
  m_diag->warning(entry ? value_mark(*entry) : m_mark, path_of(key), message);
}

void MapReader::require(std::string_view key) {
  if (!has(key)) {
    m_diag->error(m_mark, path_of(key), "required key is missing");
  }
}

void MapReader::finish() {
  for (const Entry& entry : m_entries) {
    if (m_known.count(entry.key) != 0) {
      continue;
    }
    std::string message = "unknown key";
    std::size_t best = 3;
    for (const std::string& known : m_known) {
      const std::size_t distance = edit_distance(util::to_lower(entry.key), known);
      if (distance < best && distance <= known.size() / 3 + 1) {
        best = distance;
        message = "unknown key (did you mean \"" + known + "\"?)";
      }
    }
    m_diag->error(entry.key_node.Mark(), path_of(entry.key), message);
  }
}

MapReader MapReader::section(std::string_view key) {
  const Entry* entry = find(key);
  if (!entry) {
    return MapReader(*m_diag, YAML::Node(), path_of(key), m_mark);
  }
  return MapReader(*m_diag, entry->value, path_of(key), entry->key_node.Mark());
}

std::vector<MapReader> MapReader::map_list(std::string_view key) {
  std::vector<MapReader> out;
  const Entry* entry = find(key);
  if (!entry || entry->value.IsNull()) {
    return out;
  }
  if (!entry->value.IsSequence()) {
    m_diag->error(value_mark(*entry), path_of(key), "expected a list, got " + describe(entry->value));
    return out;
  }
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const std::string item_path = path_of(key) + "[" + std::to_string(index++) + "]";
    if (!item.IsMap()) {
      m_diag->error(valid(item.Mark()) ? item.Mark() : value_mark(*entry), item_path,
                    "expected a map, got " + describe(item));
      continue;
    }
    out.emplace_back(*m_diag, item, item_path, item.Mark());
  }
  return out;
}

// ---- MapReader: typed values -------------------------------------------------------------------

bool MapReader::scalar(const Entry& entry, std::string_view what, std::string& out) {
  if (!entry.value.IsScalar()) {
    m_diag->error(value_mark(entry), path_of(entry.key),
                  "expected " + std::string(what) + ", got " + describe(entry.value));
    return false;
  }
  out = entry.value.Scalar();
  return true;
}

bool MapReader::string(std::string_view key, std::string& out, const Check& check) {
  const Entry* entry = find(key);
  if (!entry) {
    return false;
  }
  std::string text;
  if (!entry->value.IsNull() && !scalar(*entry, "a string", text)) {
    return false;
  }
  if (check) {
    if (const std::string problem = check(text); !problem.empty()) {
      m_diag->error(value_mark(*entry), path_of(key), problem);
      return false;
    }
  }
  out = std::move(text);
  return true;
}

bool MapReader::boolean(std::string_view key, bool& out) {
  const Entry* entry = find(key);
  bool value = false;
  if (!entry) {
    return false;
  }
  if (!entry->value.IsScalar() || !YAML::convert<bool>::decode(entry->value, value)) {
    m_diag->error(value_mark(*entry), path_of(key), "expected true or false, got " + describe(entry->value));
    return false;
  }
  out = value;
  return true;
}

bool MapReader::integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max) {
  const Entry* entry = find(key);
  std::string text;
  if (!entry || !scalar(*entry, "an integer", text)) {
    return false;
  }
  const auto value = parse_i64(text);
  if (!value) {
    m_diag->error(value_mark(*entry), path_of(key), "expected an integer, got " + describe(entry->value));
    return false;
  }
  if (*value < min || *value > max) {
    m_diag->error(value_mark(*entry), path_of(key),
                  "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text);
    return false;
  }
  out = *value;
  return true;
}

bool MapReader::duration(std::string_view key, std::chrono::seconds& out, std::chrono::seconds min) {
  const Entry* entry = find(key);
  std::string text;
  if (!entry || !scalar(*entry, "a duration like 30s", text)) {
    return false;
  }
  auto value = parse_duration_seconds(text);
  if (!value) {
    m_diag->error(value_mark(*entry), path_of(key), value.error());
    return false;
  }
  if (*value < min) {
    m_diag->error(value_mark(*entry), path_of(key),
                  "must be at least " + std::to_string(min.count()) + "s, got \"" + text + "\"");
    return false;
  }
  out = *value;
  return true;
}

bool MapReader::size(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max) {
  const Entry* entry = find(key);
  std::string text;
  if (!entry || !scalar(*entry, "a size like 5MiB", text)) {
    return false;
  }
  auto value = parse_size(text);
  if (!value) {
    m_diag->error(value_mark(*entry), path_of(key), value.error());
    return false;
  }
  if (*value < min || *value > max) {
    m_diag->error(value_mark(*entry), path_of(key),
                  "must be between " + format_size(min) + " and " + format_size(max) + ", got \"" + text + "\"");
    return false;
  }
  out = *value;
  return true;
}

bool MapReader::choice(std::string_view key, std::string& out, const std::vector<std::string_view>& allowed) {
  const Entry* entry = find(key);
  if (!entry) {
    return false;
  }
  const bool ok = entry->value.IsScalar() &&
                  std::find(allowed.begin(), allowed.end(), entry->value.Scalar()) != allowed.end();
  if (!ok) {
    m_diag->error(value_mark(*entry), path_of(key),
                  "expected one of " + join(allowed) + "; got " + describe(entry->value));
    return false;
  }
  out = entry->value.Scalar();
  return true;
}

bool MapReader::string_list(std::string_view key, std::vector<std::string>& out, const Check& check) {
  const Entry* entry = find(key);
  if (!entry) {
    return false;
  }
  if (entry->value.IsNull()) {
    out.clear();
    return true;
  }
  if (!entry->value.IsSequence()) {
    m_diag->error(value_mark(*entry), path_of(key), "expected a list, got " + describe(entry->value));
    return false;
  }
  std::vector<std::string> values;
  bool ok = true;
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const std::string item_path = path_of(key) + "[" + std::to_string(index++) + "]";
    const YAML::Mark mark = valid(item.Mark()) ? item.Mark() : value_mark(*entry);
    if (!item.IsScalar()) {
      m_diag->error(mark, item_path, "expected a string, got " + describe(item));
      ok = false;
      continue;
    }
    if (check) {
      if (const std::string problem = check(item.Scalar()); !problem.empty()) {
        m_diag->error(mark, item_path, problem);
        ok = false;
        continue;
      }
    }
    values.push_back(item.Scalar());
  }
  if (ok) {
    out = std::move(values);
  }
  return ok;
}

} // namespace cam2mqtt::config
