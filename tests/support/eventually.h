#pragma once
// Polls pred every 10 ms until it holds or `timeout` passes; true when it held. For tests that
// wait on other threads or processes (a fixed sleep is either flaky or slow).
#include <chrono>
#include <thread>

namespace cam2mqtt::test {

template <typename Pred> bool eventually(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

} // namespace cam2mqtt::test
