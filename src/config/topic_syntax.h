#pragma once
// MQTT topic rules for configured prefixes and camera ids. Each check returns "" when the text
// is fine, else the message for the diagnostic (without file or key).
#include <string>
#include <string_view>

namespace cam2mqtt::config {

// A topic prefix (mqtt.topic_prefix, homeassistant.discovery_prefix): one or more levels
// separated by '/', none empty, no wildcard '+' or '#', no leading or trailing '/'.
std::string check_topic_prefix(std::string_view text);

// One topic level (a camera id): not empty, no '/', '+' or '#'.
std::string check_topic_level(std::string_view text);

} // namespace cam2mqtt::config
