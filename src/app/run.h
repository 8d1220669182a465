#pragma once
#include <string>
#include <vector>

namespace cam2mqtt::app {

// The whole program behind main(): maps failures to exit codes
// (0 clean stop, 78 bad config, 1 other startup failure, 2 usage error).
int run(const std::vector<std::string>& args);

} // namespace cam2mqtt::app
