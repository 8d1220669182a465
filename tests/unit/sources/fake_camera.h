#pragma once
// Starts tests/fakes/fake_hikvision.py on a free loopback port for the sources tests.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace cam2mqtt::test {

struct FakeCamera {
  pid_t pid = -1;
  int port = 0;
  std::string log = "/tmp/cam2mqtt-fake-hik-" + std::to_string(getpid()) + "-" + std::to_string(std::rand()) + ".log";
  FakeCamera(const char* user, const char* password, const char* mode = "finite") {
    std::remove(log.c_str());
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      FILE* err = std::fopen(log.c_str(), "w");
      if (err != nullptr) {
        dup2(fileno(err), 2);
      }
      const std::string script = std::string(CAM2MQTT_SOURCE_DIR) + "/tests/fakes/fake_hikvision.py";
      execlp("python3", "python3", script.c_str(), user, password, mode, static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    char buf[64] = {};
    const auto n = read(fds[0], buf, sizeof(buf) - 1);
    close(fds[0]);
    REQUIRE(n > 5);
    port = std::atoi(buf + 5); // "port N"
  }
  ~FakeCamera() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
  // Lines of the fake's log starting with `prefix`.
  int count_lines(const std::string& prefix) const {
    std::ifstream in(log);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      n += line.rfind(prefix, 0) == 0 ? 1 : 0;
    }
    return n;
  }
  int requests() const { return count_lines("REQ "); }
  int requests_for(const std::string& path) const { return count_lines("REQ " + path + " "); }
  int stale_answers() const { return count_lines("STALE"); }
};

} // namespace cam2mqtt::test
