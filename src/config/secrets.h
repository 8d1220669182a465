#pragma once
// Secrets and files named by the config: `password` / `password_file` pairs and paths that
// must be readable. Relative paths resolve against the config file's directory, so a config
// and its secrets can be moved together.
#include <filesystem>
#include <string>

#include "config/yaml_reader.h"

namespace cam2mqtt::config {

// `path` made absolute against `base_dir` when relative; "" stays "".
std::string resolve_path(const std::filesystem::path& base_dir, const std::string& path);

// Reads the whole file into `out`; returns "" or the reason it could not (strerror text).
std::string read_file(const std::string& path, std::string& out);

// Reads `password` (inline: works, with a warning) or `password_file` (read now, its single
// trailing newline stripped; `password_file` receives the resolved path). Both is an error.
void read_password(MapReader& r, const std::filesystem::path& base_dir, std::string& password,
                   std::string& password_file);

// Reads a path key whose file must be readable when set; stores the resolved path.
void read_readable_file(MapReader& r, std::string_view key, const std::filesystem::path& base_dir,
                        std::string& out);

} // namespace cam2mqtt::config
