// The small sections: images, events, homeassistant, log.
#include "config/sections.h"
#include "config/topic_syntax.h"

namespace cam2mqtt::config {

void read_images(MapReader& r, const LoadContext& /*ctx*/, Config& cfg) {
  std::string mode;
  if (r.choice("mode", mode, {"split", "base64", "none"})) {
    cfg.images = *model::image_mode_from_string(mode);
  }
}

void read_events(MapReader& r, const LoadContext& /*ctx*/, Config& cfg) {
  r.boolean("traject", cfg.events.traject);
  r.boolean("raw_xml", cfg.events.raw_xml);
}

void read_homeassistant(MapReader& r, const LoadContext& /*ctx*/, Config& cfg) {
  HomeAssistantConfig& ha = cfg.homeassistant;
  r.boolean("enabled", ha.enabled);
  r.string("discovery_prefix", ha.discovery_prefix, [](const std::string& text) { return check_topic_prefix(text); });
  r.duration("off_delay", ha.off_delay, Seconds(1));
}

void read_log(MapReader& r, const LoadContext& /*ctx*/, Config& cfg) {
  r.choice("level", cfg.log.level, {"trace", "debug", "info", "warn", "error", "critical", "off"});
}

} // namespace cam2mqtt::config
