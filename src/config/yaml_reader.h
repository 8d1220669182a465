#pragma once
// Typed reads from yaml-cpp nodes with diagnostics. Every read that fails records
// "FILE:LINE:COL: key.path: message" and leaves the target at its default, so one pass finds
// every problem. Keys a section never asks for are reported by finish() as unknown.
#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace cam2mqtt::config {

// Collected errors and warnings of one load.
class Diagnostics {
public:
  explicit Diagnostics(std::string file);

  // `mark` is yaml-cpp's 0-based position; a null mark prints as "FILE: key: message".
  void error(const YAML::Mark& mark, std::string_view path, std::string_view message);
  void warning(const YAML::Mark& mark, std::string_view path, std::string_view message);

  const std::string& file() const noexcept { return m_file; }
  const std::vector<std::string>& errors() const noexcept { return m_errors; }
  const std::vector<std::string>& warnings() const noexcept { return m_warnings; }

private:
  std::string format(const YAML::Mark& mark, std::string_view path, std::string_view message) const;

  std::string m_file;
  std::vector<std::string> m_errors;
  std::vector<std::string> m_warnings;
};

// Extra validation of a scalar: returns "" when fine, else the message.
using Check = std::function<std::string(const std::string&)>;

// Reads the keys of one YAML map. A null node (absent or empty section) reads as an empty map.
class MapReader {
public:
  MapReader(Diagnostics& diag, const YAML::Node& node, std::string path, const YAML::Mark& where);

  Diagnostics& diag() noexcept { return *m_diag; }
  const std::string& path() const noexcept { return m_path; }
  std::string path_of(std::string_view key) const;
  const YAML::Mark& mark() const noexcept { return m_mark; }

  // True when the key is present (and marks it as known).
  bool has(std::string_view key);
  // Where the key's value is (the key itself for an empty value); null mark when absent.
  YAML::Mark mark_of(std::string_view key);
  void error(std::string_view key, std::string_view message);
  void warning(std::string_view key, std::string_view message);
  // Reports a missing key that the section needs.
  void require(std::string_view key);

  // Each returns true when the key was present and its value valid (and stored).
  // A string key with an empty value reads as "".
  bool string(std::string_view key, std::string& out, const Check& check = {});
  bool boolean(std::string_view key, bool& out);
  bool integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max);
  bool duration(std::string_view key, std::chrono::seconds& out, std::chrono::seconds min);
  bool size(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max);
  bool choice(std::string_view key, std::string& out, const std::vector<std::string_view>& allowed);
  // A list of strings, each passed through `check`; the list is stored only if all are valid.
  bool string_list(std::string_view key, std::vector<std::string>& out, const Check& check = {});

  // The nested map `key` (an empty reader when absent or invalid).
  MapReader section(std::string_view key);
  // The list of maps `key`: one reader per entry, with paths like "cameras.list[2]".
  std::vector<MapReader> map_list(std::string_view key);

  // Reports every key that no read asked for, with a "did you mean" hint for near misses.
  void finish();

private:
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  const Entry* find(std::string_view key);
  // The scalar text of `key`, or reports "expected <what>, got ..." and returns false.
  bool scalar(const Entry& entry, std::string_view what, std::string& out);
  YAML::Mark value_mark(const Entry& entry) const;

  Diagnostics* m_diag;
  std::string m_path;
  YAML::Mark m_mark;
  std::vector<Entry> m_entries;
  std::set<std::string, std::less<>> m_known;
};

// "a map", "a list", "nothing" or the quoted scalar: what a node is, for messages.
std::string describe(const YAML::Node& node);

} // namespace cam2mqtt::config
