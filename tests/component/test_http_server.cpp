// Component tests of the HTTP ingest: real sockets on 127.0.0.1, port 0, loop on a thread.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include <sys/socket.h>
#include <unistd.h>

#include "support/http_client.h"
#include "server_harness.h"

using namespace cam2mqtt;
using namespace cam2mqtt::test;

namespace {

// Written out here on purpose (not http::k_success_xml): the test pins the exact bytes.
const std::string k_expected_body =
    R"(<?xml version="1.0" encoding="UTF-8"?><config version="1.0" xmlns="http://www.ipc.com/ver10"><status>success</status></config>)";

RawClient connect_to(const ServerHarness& h, const std::string& host = "127.0.0.1") {
  auto c = RawClient::connect(host, h.port());
  REQUIRE(c.has_value());
  return std::move(*c);
}

void require_success(const std::optional<HttpReply>& r) {
  REQUIRE(r.has_value());
  CHECK(r->status == 200);
  CHECK(r->body == k_expected_body);
}

} // namespace

TEST_CASE("a POST gets the exact 126-byte success XML, then reaches the handler") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  REQUIRE(c.send_all(make_post("/API", "<config/>")));
  const auto r = c.read_response();
  REQUIRE(r.has_value());
  CHECK(r->head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(r->header("content-type") == "application/xml");
  CHECK(r->header("content-length") == "126");
  CHECK(r->body.size() == 126);
  CHECK(r->body == k_expected_body);
  CHECK(r->header("connection").empty()); // keep-alive is the HTTP/1.1 default

  const auto posts = h.posts.wait_for(1);
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].method == "POST");
  CHECK(posts[0].path == "/API");
  CHECK(posts[0].content_type == "application/xml; charset=utf-8");
  CHECK(posts[0].body == "<config/>");
  CHECK(posts[0].peer_ip == "127.0.0.1");
  CHECK(posts[0].peer_port != 0);
  CHECK(h.server().stats().posts == 1);
  CHECK(h.server().stats().bytes_received == 9);
}

TEST_CASE("100 POSTs over one keep-alive connection are all answered and delivered in order") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(c.send_all(make_post("/API", "<n>" + std::to_string(i) + "</n>")));
    require_success(c.read_response());
  }
  const auto posts = h.posts.wait_for(100);
  REQUIRE(posts.size() == 100);
  for (int i = 0; i < 100; ++i) {
    CHECK(posts[static_cast<std::size_t>(i)].body == "<n>" + std::to_string(i) + "</n>");
  }
  CHECK(h.server().stats().requests == 100);
  CHECK(h.server().stats().connections_open == 1);
}

TEST_CASE("pipelined POSTs on one connection are answered in order") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  REQUIRE(c.send_all(make_post("/API", "a") + make_post("/API", "b") + make_post("/API", "c")));
  for (int i = 0; i < 3; ++i) {
    require_success(c.read_response());
  }
  const auto posts = h.posts.wait_for(3);
  REQUIRE(posts.size() == 3);
  CHECK(posts[2].body == "c");
}

TEST_CASE("the absolute-form request line of NVRs is accepted and keeps the connection") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  const std::string req = "POST http://192.168.0.56:5002/API HTTP/1.1\r\n"
                          "Host: 192.168.0.56:5002\r\n"
                          "Content-Type: application/soap+xml; charset=utf-8\r\n"
                          "Content-Length: 5\r\n\r\nhello";
  REQUIRE(c.send_all(req));
  const auto r = c.read_response();
  require_success(r);
  CHECK(r->header("connection").empty()); // evhttp would treat it as a proxy request and close
  REQUIRE(c.send_all(req)); // same connection still usable
  require_success(c.read_response());
  const auto posts = h.posts.wait_for(2);
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].path == "/API");
  CHECK(posts[0].content_type == "application/soap+xml; charset=utf-8");
  CHECK(posts[1].body == "hello");
}

TEST_CASE("a chunked body is reassembled") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  REQUIRE(c.send_all("POST /API HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\n<conf\r\n"
                     "a\r\nig>hello</\r\n"
                     "7\r\nconfig>\r\n"
                     "0\r\n\r\n"));
  require_success(c.read_response());
  const auto posts = h.posts.wait_for(1);
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].body == "<config>hello</config>");
}

TEST_CASE("empty heartbeat bodies are delivered as empty") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  REQUIRE(c.send_all(make_post("/API", "")));
  require_success(c.read_response());
  REQUIRE(c.send_all("POST /API HTTP/1.1\r\nHost: x\r\n\r\n")); // no Content-Length at all
  require_success(c.read_response());
  const auto posts = h.posts.wait_for(2);
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].body.empty());
  CHECK(posts[1].body.empty());
}

TEST_CASE("Connection: close is honoured after the reply") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  REQUIRE(c.send_all(make_post("/API", "<x/>", "Connection: close\r\n")));
  const auto r = c.read_response();
  require_success(r);
  CHECK(r->header("connection") == "close");
  CHECK(c.wait_closed(3s));
  CHECK(h.posts.wait_for(1).size() == 1);
}

TEST_CASE("Expect: 100-continue does not stall") {
  ServerHarness h;
  h.start();
  auto c = connect_to(h);
  REQUIRE(c.send_all("POST /API HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                     "Content-Length: 4\r\n\r\n"));
  const auto interim = c.read_response(3s);
  REQUIRE(interim.has_value());
  CHECK(interim->status == 100);
  REQUIRE(c.send_all("<a/>"));
  require_success(c.read_response());
  const auto posts = h.posts.wait_for(1);
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].body == "<a/>");
}

TEST_CASE("GET answers the success XML without calling the post handler; routes can be added") {
  ServerHarness h;
  h.server().add_get_route("/healthz", [](const http::GetRequest& req) {
    return http::HttpResponse{200, "text/plain", "ok " + req.peer_ip + " " + req.query};
  });
  h.start();
  auto c = connect_to(h);
  REQUIRE(c.send_all("GET /anything HTTP/1.1\r\nHost: x\r\n\r\n"));
  require_success(c.read_response());
  REQUIRE(c.send_all("GET /healthz?v=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto r = c.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 200);
  CHECK(r->header("content-type") == "text/plain");
  CHECK(r->body == "ok 127.0.0.1 v=1");
  REQUIRE(c.send_all("DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n"));
  require_success(c.read_response());
  REQUIRE(c.send_all(make_post("/API", "p"))); // still the same connection
  require_success(c.read_response());
  CHECK(h.posts.wait_for(1).size() == 1);
  CHECK(h.posts.count() == 1);
}

TEST_CASE("a throwing handler is contained: the reply went out and the next POST works") {
  ServerHarness h(test_config(), [](http::IncomingPost& post) {
    if (post.body == "boom") {
      throw std::runtime_error("boom");
    }
  });
  h.start();
  auto c = connect_to(h);
  REQUIRE(c.send_all(make_post("/API", "boom")));
  require_success(c.read_response());
  REQUIRE(c.send_all(make_post("/API", "fine")));
  require_success(c.read_response());
  const auto posts = h.posts.wait_for(1);
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].body == "fine");
}

TEST_CASE("peer_ip over IPv6 and through a dual-stack listener") {
  const int probe = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (probe < 0) {
    WARN("no IPv6 sockets here; skipped");
    return;
  }
  ::close(probe);
  auto cfg = test_config();
  SECTION("::1") {
    cfg.listen_host = "::1";
    std::unique_ptr<ServerHarness> h;
    try {
      h = std::make_unique<ServerHarness>(cfg);
    } catch (const std::runtime_error& e) {
      WARN(std::string("no IPv6 loopback: ") + e.what());
      return;
    }
    h->start();
    auto c = connect_to(*h, "::1");
    REQUIRE(c.send_all(make_post("/API", "v6")));
    require_success(c.read_response());
    const auto posts = h->posts.wait_for(1);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].peer_ip == "::1");
  }
  SECTION(":: accepts IPv4 and reports it without ::ffff:") {
    cfg.listen_host = "::";
    ServerHarness h(cfg);
    h.start();
    auto c = connect_to(h, "127.0.0.1");
    REQUIRE(c.send_all(make_post("/API", "v4")));
    require_success(c.read_response());
    const auto posts = h.posts.wait_for(1);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].peer_ip == "127.0.0.1");
  }
}

TEST_CASE("binding a busy port throws naming the address") {
  ServerHarness first;
  auto cfg = test_config();
  cfg.listen_port = first.port();
  try {
    ServerHarness second(cfg);
    FAIL("expected a bind failure");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) ==
          "http: cannot listen on 127.0.0.1:" + std::to_string(first.port()) + ": Address already in use");
  }
  cfg.listen_host = "not a host name";
  CHECK_THROWS_WITH(ServerHarness(cfg), Catch::Contains("http: cannot listen on not a host name:"));
}
