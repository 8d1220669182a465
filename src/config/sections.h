#pragma once
// One reader per top-level config section. Each reads its keys from `r` into `cfg`, checks
// them, and leaves unknown-key reporting to the caller (MapReader::finish). Adding a section
// means one function here and one row in load_config.cpp's table.
#include <filesystem>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace cam2mqtt::config {

struct LoadContext {
  std::filesystem::path base_dir; // relative paths resolve against the config's directory
};

void read_http(MapReader& r, const LoadContext& ctx, Config& cfg);
void read_mqtt(MapReader& r, const LoadContext& ctx, Config& cfg);
void read_images(MapReader& r, const LoadContext& ctx, Config& cfg);
void read_cameras(MapReader& r, const LoadContext& ctx, Config& cfg);
void read_events(MapReader& r, const LoadContext& ctx, Config& cfg);
void read_homeassistant(MapReader& r, const LoadContext& ctx, Config& cfg);
void read_log(MapReader& r, const LoadContext& ctx, Config& cfg);
void read_sources(MapReader& r, const LoadContext& ctx, Config& cfg);

} // namespace cam2mqtt::config
