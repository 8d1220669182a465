#include "sources/http_get.h"

#include <spdlog/spdlog.h>

#include "util/strings.h"

namespace cam2mqtt::sources {

HttpGet::~HttpGet() {
  cancel();
}

void HttpGet::cancel() {
  if (m_busy && m_easy) {
    m_loop.remove(m_easy.get());
  }
  m_busy = false;
}

bool HttpGet::start(const std::string& url, const Setup& setup, std::chrono::milliseconds timeout,
                    std::size_t max_bytes, Done done) {
  if (m_busy) {
    return false;
  }
  m_easy = make_curl_easy();
  CURL* e = m_easy.get();
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  if (setup) {
    setup(e);
  }
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &HttpGet::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &HttpGet::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  m_result = Result{};
  m_max_bytes = max_bytes;
  m_busy = true;
  m_loop.add(e, [this, done = std::move(done)](CURLcode code, long status) {
    m_busy = false;
    m_result.code = code;
    m_result.status = status;
    Result result = std::move(m_result);
    m_result = Result{};
    done(result);
  });
  return true;
}

size_t HttpGet::on_header(char* data, size_t size, size_t n, void* self) noexcept {
  auto* g = static_cast<HttpGet*>(self);
  const std::string_view line(data, size * n);
  if (util::starts_with_icase(line, "content-type:")) {
    g->m_result.content_type = std::string(util::trim(line.substr(13)));
  } else if (util::starts_with_icase(line, "http/")) {
    g->m_result.body.clear(); // a new response (the Digest round): only the last one's body counts
    g->m_result.content_type.clear();
  }
  return size * n;
}

size_t HttpGet::on_body(char* data, size_t size, size_t n, void* self) noexcept {
  auto* g = static_cast<HttpGet*>(self);
  try {
    if (g->m_result.body.size() + size * n > g->m_max_bytes) {
      g->m_result.too_large = true;
      return 0; // aborts the transfer (CURLE_WRITE_ERROR)
    }
    g->m_result.body.append(data, size * n);
  } catch (const std::exception& e) {
    SPDLOG_WARN("sources: fetch body handling failed error={}", e.what());
    return 0;
  }
  return size * n;
}

} // namespace cam2mqtt::sources
