#pragma once
// RAII for libcurl handles (STYLE.md "RAII for C handles"); the only header of the project that
// includes <curl/curl.h>. The outbound stream clients drive CURLM with the multi-socket API
// (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION) from the libevent loop.
#include <memory>
#include <stdexcept>

#include <curl/curl.h>

namespace cam2mqtt::sources {

struct CurlEasyDeleter {
  void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* h) const noexcept { curl_multi_cleanup(h); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

using CurlEasyPtr = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMultiPtr = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlSlistPtr = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// Factories throw on null, as obtain_event_base does.
inline CurlEasyPtr make_curl_easy() {
  CurlEasyPtr h(curl_easy_init());
  if (!h) {
    throw std::runtime_error("libcurl: curl_easy_init failed");
  }
  return h;
}
inline CurlMultiPtr make_curl_multi() {
  CurlMultiPtr h(curl_multi_init());
  if (!h) {
    throw std::runtime_error("libcurl: curl_multi_init failed");
  }
  return h;
}

// curl_global_init once, in main before any thread starts (like xmlInitParser).
class CurlGlobal {
public:
  CurlGlobal() {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("libcurl: curl_global_init failed");
    }
  }
  ~CurlGlobal() { curl_global_cleanup(); }
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

} // namespace cam2mqtt::sources
