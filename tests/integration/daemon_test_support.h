#pragma once
// Shared bits of the daemon integration tests: fixtures, golden comparison, posting.
#include <nlohmann/json.hpp>
#include <string>

#include "support/http_client.h"

namespace cam2mqtt::testing {

std::string fixture(const std::string& rel);           // bytes of fixtures/xml/<rel>
nlohmann::json golden(const std::string& rel);          // fixtures/expected/<rel .json>, an array
// Drops what differs between a golden (fixed id, time, peer 192.168.1.10) and a live payload:
// id, receivedAt, eventTime when it fell back to the receive time, peer-derived keys and image
// topics.
nlohmann::json comparable(nlohmann::json payload);
// One POST on an open keep-alive connection; returns the status (0 on failure).
int post(test::RawClient& client, const std::string& body, const std::string& target = "/API");

} // namespace cam2mqtt::testing
