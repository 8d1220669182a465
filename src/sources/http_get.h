#pragma once
// One bounded GET on the CurlLoop, for the small requests beside a stream (device info, snapshots):
// at most one in flight per object, a total timeout, a body size cap (a larger body fails the
// fetch instead of growing without bound). The caller sets authentication and TLS through `setup`;
// the result comes back on the loop thread. Destroying the object cancels a fetch in flight.
#include <chrono>
#include <functional>
#include <string>

#include "sources/curl_handles.h"
#include "sources/curl_loop.h"

namespace cam2mqtt::sources {

class HttpGet {
public:
  struct Result {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string content_type;
    std::string body;
    bool too_large = false;
    bool ok() const noexcept { return code == CURLE_OK && status == 200 && !too_large; }
  };
  using Setup = std::function<void(CURL*)>;
  using Done = std::function<void(Result&)>;

  explicit HttpGet(CurlLoop& loop) : m_loop(loop) {}
  ~HttpGet();
  HttpGet(const HttpGet&) = delete;
  HttpGet& operator=(const HttpGet&) = delete;

  bool busy() const noexcept { return m_busy; }
  // Starts the fetch; returns false (and does nothing) while one is still in flight.
  bool start(const std::string& url, const Setup& setup, std::chrono::milliseconds timeout, std::size_t max_bytes,
             Done done);
  // Abandons the fetch in flight, if any; its `done` is not called.
  void cancel();

private:
  static size_t on_header(char* data, size_t size, size_t n, void* self) noexcept;
  static size_t on_body(char* data, size_t size, size_t n, void* self) noexcept;

  CurlLoop& m_loop;
  CurlEasyPtr m_easy;
  Result m_result;
  std::size_t m_max_bytes = 0;
  bool m_busy = false;
};

} // namespace cam2mqtt::sources
