#pragma once
// `cam2mqtt parse FILE...`: decodes saved payloads offline and prints, per event, the JSON the
// daemon would publish; a heartbeat prints {"heartbeat": {...}}, bad input an error object.
#include <iosfwd>

#include "app/cli.h"
#include "config/config.h"

namespace cam2mqtt::app {

// Returns 0 when every file decoded, 1 when any did not.
int run_parse_command(const CommandLine& cl, const config::Config& cfg, std::ostream& out);

} // namespace cam2mqtt::app
