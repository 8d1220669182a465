#pragma once
// `cam2mqtt parse FILE...`: decodes saved payloads offline and prints, per event, the JSON the
// daemon would publish; a heartbeat prints {"heartbeat": {...}}, bad input an error object.
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "app/cli.h"
#include "config/config.h"
#include "util/time_format.h"

namespace cam2mqtt::app {

// Returns 0 when every file decoded, 1 when any did not.
// The lines `parse` prints for one payload of `source` (also the golden runners' decode path).
// Returns false when any part of it could not be decoded.
bool decode_payload_lines(model::Source source, const std::string& body, const std::string& file,
                          const config::Config& cfg, model::ImageMode mode, const std::string& peer_ip,
                          util::SysMicros now, const std::function<std::string()>& next_id,
                          std::vector<std::string>& lines);

int run_parse_command(const CommandLine& cl, const config::Config& cfg, std::ostream& out);

} // namespace cam2mqtt::app
