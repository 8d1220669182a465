#pragma once
// Starts a fake device from tests/fakes (a python3 stdlib script) on a free loopback port: the
// script prints "port N" on stdout once listening and logs each request to stderr as a line
// starting "REQ ", which `request_lines()` reads back. RAII: the destructor ends the process.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace cam2mqtt::test {

struct FakeServer {
  pid_t pid = -1;
  int port = 0;
  std::string log;
  // `script`: a file name under tests/fakes; `args`: its command line after the script.
  FakeServer(const std::string& script, const std::vector<std::string>& args) {
    log = "/tmp/cam2mqtt-" + script + "-" + std::to_string(getpid()) + "-" + std::to_string(std::rand()) + ".log";
    std::remove(log.c_str());
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const std::string path = std::string(CAM2MQTT_SOURCE_DIR) + "/tests/fakes/" + script;
    pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      FILE* err = std::fopen(log.c_str(), "w");
      if (err != nullptr) {
        dup2(fileno(err), 2);
      }
      setenv("PYTHONDONTWRITEBYTECODE", "1", 1); // no __pycache__ in the source tree
      std::vector<char*> argv{const_cast<char*>("python3"), const_cast<char*>(path.c_str())};
      for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
      }
      argv.push_back(nullptr);
      execvp("python3", argv.data());
      _exit(127);
    }
    close(fds[1]);
    char buf[64] = {};
    const auto n = read(fds[0], buf, sizeof(buf) - 1);
    close(fds[0]);
    REQUIRE(n > 5);
    port = std::atoi(buf + 5); // "port N"
  }
  ~FakeServer() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  // Lines of the fake's log starting with `prefix`.
  std::vector<std::string> lines(const std::string& prefix) const {
    std::ifstream in(log);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(prefix, 0) == 0) {
        out.push_back(line);
      }
    }
    return out;
  }
  int count_lines(const std::string& prefix) const { return static_cast<int>(lines(prefix).size()); }
  std::vector<std::string> request_lines() const { return lines("REQ "); }
  int requests() const { return count_lines("REQ "); }
};

} // namespace cam2mqtt::test
