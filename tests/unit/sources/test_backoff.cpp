#include <catch2/catch.hpp>

#include "sources/backoff.h"
#include "sources/curl_handles.h"

using namespace std::chrono_literals;
using cam2mqtt::sources::Backoff;

TEST_CASE("backoff: 1 s doubling to 60 s, jitter within 20 %, reset after 60 s healthy") {
  Backoff b(Backoff::Settings{});
  const std::vector<long> want{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
  for (long w : want) {
    CHECK(b.next_delay(0.5).count() == w); // 0.5 = no jitter
  }
  Backoff j(Backoff::Settings{});
  CHECK(j.next_delay(0.0).count() == 800);
  CHECK(j.next_delay(1.0).count() == 2400);

  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  b.connected(t0);
  b.disconnected(t0 + 30s); // not healthy long enough
  CHECK(b.next_delay(0.5).count() == 60000);
  b.connected(t0 + 100s);
  b.disconnected(t0 + 161s);
  CHECK(b.next_delay(0.5).count() == 1000);
}

TEST_CASE("backoff: credential failures wait the maximum; a server retry overrides the base") {
  Backoff b(Backoff::Settings{});
  CHECK(b.auth_failure_delay(0.5).count() == 60000);
  CHECK(b.next_delay(0.5).count() == 60000);
  b.server_retry(3000ms);
  CHECK(b.next_delay(0.5).count() == 3000);
}

TEST_CASE("libcurl RAII handles") {
  cam2mqtt::sources::CurlGlobal global;
  auto multi = cam2mqtt::sources::make_curl_multi();
  auto easy = cam2mqtt::sources::make_curl_easy();
  CHECK(curl_easy_setopt(easy.get(), CURLOPT_HTTPAUTH, CURLAUTH_DIGEST) == CURLE_OK);
  CHECK(curl_multi_add_handle(multi.get(), easy.get()) == CURLM_OK);
  CHECK(curl_multi_remove_handle(multi.get(), easy.get()) == CURLM_OK);
}
