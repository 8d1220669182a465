#pragma once
// Shared by the hostile-input, abusive-client and access-control tests: a well-behaved camera
// that keeps posting on its own keep-alive connection while a test attacks the daemon, the
// daemon's resident memory, and log helpers.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "support/eventually.h"

namespace cam2mqtt::testing {

// Resident memory of a process in KiB (VmRSS from /proc/PID/status); 0 when unreadable.
std::size_t rss_kib(pid_t pid);
// Peak resident memory (VmHWM) in KiB; 0 when unreadable.
std::size_t peak_rss_kib(pid_t pid);

// True when this test binary (and so the daemon built alongside it) uses ASan, which
// multiplies memory use and slows everything down.
constexpr bool k_sanitized =
#if defined(__SANITIZE_ADDRESS__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

// Polls `pred` until it holds or the timeout passes (support/eventually.h).
template <typename Pred>
bool wait_for_condition(Pred pred, std::chrono::milliseconds timeout) {
  return cam2mqtt::test::eventually(pred, timeout);
}

// Number of lines of `log` containing `needle`.
std::size_t count_lines(const std::string& log, const std::string& needle);

// A camera posting `body` every `interval` on one keep-alive connection from its own thread
// until stop(). Each reply's latency is recorded; a post that gets no 200 counts as failed
// (and the camera reconnects).
class GoodCamera {
public:
  GoodCamera(std::uint16_t port, std::string body, std::chrono::milliseconds interval,
             std::string extra_headers = "");
  ~GoodCamera();
  GoodCamera(const GoodCamera&) = delete;
  GoodCamera& operator=(const GoodCamera&) = delete;

  void stop();
  std::size_t ok() const noexcept { return m_ok.load(); }
  std::size_t failed() const noexcept { return m_failed.load(); }
  // Latencies in microseconds (valid after stop()).
  const std::vector<std::int64_t>& latencies_us() const noexcept { return m_latencies; }
  // The p-th percentile (0..100) of the latencies in milliseconds (after stop()).
  double percentile_ms(double p) const;
  std::string summary() const; // "n=.. failed=.. p50=..ms p99=..ms max=..ms"

private:
  void run();

  std::uint16_t m_port;
  std::string m_request;
  std::chrono::milliseconds m_interval;
  std::atomic<bool> m_stop{false};
  std::atomic<std::size_t> m_ok{0};
  std::atomic<std::size_t> m_failed{0};
  std::vector<std::int64_t> m_latencies;
  std::thread m_thread;
};

} // namespace cam2mqtt::testing
