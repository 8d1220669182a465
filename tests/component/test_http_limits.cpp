// Component tests of the HTTP limits: body cap, timeouts, max_connections, stop_accepting.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "server_harness.h"

using namespace cam2mqtt;
using namespace cam2mqtt::test;

namespace {

RawClient connect_to(const ServerHarness& h) {
  auto c = RawClient::connect("127.0.0.1", h.port());
  REQUIRE(c.has_value());
  return std::move(*c);
}

void post_ok(RawClient& c, const std::string& body) {
  REQUIRE(c.send_all(make_post("/API", body)));
  const auto r = c.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 200);
}

} // namespace

TEST_CASE("a body over max_body_size gets 413, never reaches the handler, and the server goes on") {
  ServerHarness h; // default cap: 5 MiB
  h.start();
  const std::string big(6 * 1024 * 1024, 'x');

  SECTION("Content-Length") {
    auto c = connect_to(h);
    (void)c.send_all(make_post("/API", big)); // may fail half-way: the server closes early
    const auto r = c.read_response();
    REQUIRE(r.has_value());
    CHECK(r->status == 413);
    CHECK(c.wait_closed(3s));
  }
  SECTION("chunked") {
    auto c = connect_to(h);
    std::string req = "POST /API HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string chunk(64 * 1024, 'y');
    for (std::size_t sent = 0; sent < big.size(); sent += chunk.size()) {
      req += "10000\r\n" + chunk + "\r\n";
    }
    req += "0\r\n\r\n";
    (void)c.send_all(req);
    const auto r = c.read_response();
    REQUIRE(r.has_value());
    CHECK(r->status == 413);
    CHECK(c.wait_closed(3s));
  }
  SECTION("Content-Length with Expect: 100-continue is refused before the body") {
    auto c = connect_to(h);
    REQUIRE(c.send_all("POST /API HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                       "Content-Length: 6291456\r\n\r\n"));
    const auto r = c.read_response(3s);
    REQUIRE(r.has_value());
    CHECK(r->status == 413);
  }

  auto next = connect_to(h);
  post_ok(next, "<small/>");
  const auto posts = h.posts.wait_for(1);
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].body == "<small/>");
  CHECK(h.server().stats().rejected_too_large == 1);
}

TEST_CASE("a body of exactly max_body_size is accepted") {
  auto cfg = test_config();
  cfg.max_body_size = 1000;
  ServerHarness h(cfg);
  h.start();
  auto c = connect_to(h);
  post_ok(c, std::string(1000, 'a'));
  REQUIRE(c.send_all(make_post("/API", std::string(1001, 'a'))));
  const auto r = c.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 413);
  CHECK(h.posts.wait_for(1).size() == 1);
  CHECK(h.server().stats().rejected_too_large == 1); // evhttp's own 413 is seen and counted
}

TEST_CASE("oversized headers are refused with 400") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  (void)c.send_all("POST /API HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70 * 1024, 'h') +
                   "\r\nContent-Length: 0\r\n\r\n");
  const auto r = c.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 400);
  CHECK(h.server().stats().rejected_other == 1);
  CHECK(h.posts.count() == 0);
}

TEST_CASE("idle keep-alive connections are closed after keepalive_timeout, active ones are not") {
  auto cfg = test_config();
  cfg.keepalive_timeout = std::chrono::seconds(1);
  cfg.header_timeout = std::chrono::seconds(2);
  ServerHarness h(cfg);
  h.start();
  auto idle = connect_to(h);
  post_ok(idle, "first");
  auto never_sent = connect_to(h);
  auto active = connect_to(h);

  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i) { // 6 x 400 ms = 2.4 s, well past the 1 s idle timeout
    post_ok(active, "tick");
    std::this_thread::sleep_for(400ms);
  }
  CHECK(idle.wait_closed(2s));
  CHECK(never_sent.wait_closed(2s));
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  post_ok(active, "still here");

  SECTION("a request that pauses longer than keepalive but finishes within header_timeout is served") {
    auto slow = connect_to(h);
    REQUIRE(slow.send_all("POST /API HTTP/1.1\r\nHost: x\r\n"));
    std::this_thread::sleep_for(1200ms); // longer than keepalive, shorter than header_timeout
    REQUIRE(slow.send_all("Content-Length: 1\r\n\r\nz"));
    const auto r = slow.read_response();
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(slow.wait_closed(2500ms)); // silent again: idle timeout (1 s) applies
  }
  SECTION("header_timeout is also a total deadline: pauses each below it do not add up") {
    auto slow = connect_to(h);
    const auto begin = std::chrono::steady_clock::now();
    REQUIRE(slow.send_all("POST /API HTTP/1.1\r\nHost: x\r\n"));
    std::this_thread::sleep_for(1500ms);
    slow.send_all("Content-Length: 1\r\n\r\n"); // may already fail if the deadline is near
    CHECK(slow.wait_closed(2500ms));                 // 2 s after the first byte, not later
    CHECK(std::chrono::steady_clock::now() - begin < 3500ms);
  }
}

TEST_CASE("max_connections refuses the connection over the limit while the others keep working") {
  auto cfg = test_config();
  cfg.max_connections = 4;
  ServerHarness h(cfg);
  h.start();
  std::vector<RawClient> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(connect_to(h));
    post_ok(clients.back(), "c" + std::to_string(i));
  }
  CHECK(h.server().stats().connections_open == 4);

  auto fifth = RawClient::connect("127.0.0.1", h.port());
  if (fifth) { // the kernel completes the handshake; the server then closes it
    CHECK(fifth->wait_closed(2s));
  }
  for (auto& c : clients) {
    post_ok(c, "again");
  }
  CHECK(h.server().stats().rejected_other == 1);

  clients.pop_back(); // closing one frees a slot
  std::this_thread::sleep_for(200ms);
  auto replacement = connect_to(h);
  post_ok(replacement, "replacement");
  CHECK(h.server().stats().connections_open == 4);
}

TEST_CASE("stop_accepting refuses new connections and answers 503 on open ones") {
  ServerHarness h;
  h.start();
  auto open = connect_to(h);
  post_ok(open, "before");
  REQUIRE(h.run_in_loop([&] { h.server().stop_accepting(); }));

  CHECK_FALSE(RawClient::connect("127.0.0.1", h.port()).has_value());
  REQUIRE(open.send_all(make_post("/API", "after")));
  const auto r = open.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 503);
  CHECK(r->head.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0);
  CHECK(r->header("content-type") == "application/xml");
  CHECK(r->body.find("<config version=\"1.0\" xmlns=\"http://www.ipc.com/ver10\"><status>") !=
        std::string::npos);
  CHECK(open.wait_closed(2s));
  const auto posts = h.posts.wait_for(1);
  CHECK(posts.size() == 1);
  CHECK(h.posts.count() == 1);
  CHECK(h.port() != 0); // still reported after the listener is gone
}
