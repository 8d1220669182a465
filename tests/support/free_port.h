#pragma once
// Loopback ports for tests that start real servers.
#include <chrono>
#include <cstdint>

namespace cam2mqtt::testing {

// A port that was free on 127.0.0.1 a moment ago (bind port 0, read it, close). Another process
// may take it before the caller binds; callers that must be sure retry on EADDRINUSE.
std::uint16_t free_loopback_port();

// True when something accepts TCP connections on 127.0.0.1:port.
bool port_accepts(std::uint16_t port);

// Polls port_accepts() until it is true or the timeout passes.
bool wait_until_port_accepts(std::uint16_t port, std::chrono::milliseconds timeout);

} // namespace cam2mqtt::testing
