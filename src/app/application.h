#pragma once
// Owns everything the running daemon needs and runs the loop (STYLE.md "Lifecycle").
// Members are declared in dependency order so destruction runs in reverse.
#include <memory>

#include "config/config.h"

namespace cam2mqtt::app {

class Application {
public:
  explicit Application(const config::Config& cfg);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Runs until SIGTERM/SIGINT; returns the process exit code.
  int run();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// A startup failure other than the config (bind, broker URL, ...): exit code 1.
class StartupError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace cam2mqtt::app
