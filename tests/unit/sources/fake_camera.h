#pragma once
// Starts tests/fakes/fake_hikvision.py on a free loopback port for the sources tests.
#include "support/fake_server.h"

namespace cam2mqtt::test {

struct FakeCamera : FakeServer {
  FakeCamera(const char* user, const char* password, const char* mode = "finite")
      : FakeServer("fake_hikvision.py", {user, password, mode}) {}
  int requests_for(const std::string& path) const { return count_lines("REQ " + path + " "); }
  int stale_answers() const { return count_lines("STALE"); }
};

} // namespace cam2mqtt::test
