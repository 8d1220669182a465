#include <catch2/catch.hpp>

#include <chrono>

#include "http/request_util.h"

using namespace cam2mqtt::http;

TEST_CASE("normalize_target strips scheme://authority and splits the query") {
  CHECK(normalize_target("/API").path == "/API");
  CHECK(normalize_target("http://192.168.0.56:5002/API").path == "/API");
  CHECK(normalize_target("HTTPS://host/a/b?x=1#frag").path == "/a/b");
  CHECK(normalize_target("HTTPS://host/a/b?x=1#frag").query == "x=1");
  CHECK(normalize_target("http://host").path == "/");
  CHECK(normalize_target("http://host?q").query == "q");
  CHECK(normalize_target("").path == "/");
  CHECK(normalize_target("*").path == "/");
  CHECK(normalize_target("/a?b=http://x/y").path == "/a");
  CHECK(normalize_target("/a?b=http://x/y").query == "b=http://x/y");
}

TEST_CASE("the success XML is the 126 bytes devices expect") {
  CHECK(k_success_xml.size() == 126);
  CHECK(rejection_reason(413) == "body_too_large");
  CHECK(rejection_reason(503) == "stopping");
}

