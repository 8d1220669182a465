#include <catch2/catch.hpp>

#include "parse/multipart_parser.h"

using namespace cam2mqtt::parse;

namespace {
// Feeds `body` in pieces of `step` bytes (1 = every byte boundary).
std::vector<MultipartPart> parse_split(const std::string& body, std::size_t step, MultipartParser& p) {
  std::vector<MultipartPart> out;
  for (std::size_t i = 0; i < body.size(); i += step) {
    p.feed(std::string_view(body).substr(i, step), out);
  }
  p.finish(out);
  return out;
}

const std::string k_jpeg = std::string("\xFF\xD8\xFF\xE0\r\n--bound\x00\xFF\xD9", 14);

std::string stream_body() {
  return "preamble\r\n"
         "--boundary\r\n"
         "Content-Type: application/xml; charset=\"UTF-8\"\r\n"
         "Content-Length: 5\r\n\r\n"
         "<a/>\n\r\n"
         "--boundary\r\n"
         "--boundary\r\n" // stray
         "Content-Type: text/xml\r\n\r\n"
         "<b>no length</b>\r\n"
         "--boundary\r\n"
         "Content-Type: image/jpeg\r\n"
         "Content-Length: " + std::to_string(k_jpeg.size()) + "\r\n\r\n" + k_jpeg + "\r\n"
         "--boundary  \n" // trailing spaces, bare LF
         "content-type: application/xml\n\n"
         "<c/>\n"
         "--boundary--\r\n";
}
} // namespace

TEST_CASE("boundary from the Content-Type header") {
  CHECK(multipart_boundary("multipart/mixed; boundary=boundary") == "boundary");
  CHECK(multipart_boundary("multipart/x-mixed-replace; boundary=\"--myb\"") == "myb");
  CHECK(multipart_boundary("Multipart/Form-Data; Boundary=MIME_boundary; charset=x") == "MIME_boundary");
  CHECK(multipart_boundary("multipart/mixed") == "boundary");
  CHECK(multipart_boundary("application/xml").empty());
}

TEST_CASE("parts with and without Content-Length, stray boundaries and binary bodies at every split") {
  const auto body = stream_body();
  for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{64}, body.size()}) {
    INFO("step " << step);
    MultipartParser p("boundary");
    const auto parts = parse_split(body, step, p);
    REQUIRE(parts.size() == 4);
    CHECK(parts[0].content_type == "application/xml; charset=\"UTF-8\"");
    CHECK(parts[0].body == "<a/>\n");
    CHECK(parts[1].body == "<b>no length</b>");
    CHECK(parts[2].content_type == "image/jpeg");
    CHECK(parts[2].body == k_jpeg);
    CHECK(parts[3].content_type == "application/xml");
    CHECK(parts[3].body == "<c/>");
    CHECK(p.stats().stray_boundaries == 1);
    CHECK(p.stats().resyncs == 0);
    CHECK(p.closed());
  }
}

TEST_CASE("a wrong Content-Length resyncs on the next delimiter and the stream goes on") {
  const std::string body = "--b\r\nContent-Length: 3\r\n\r\n<x>toolong</x>\r\n--b\r\nContent-Length: 4\r\n\r\n<y/>\r\n--b--\r\n";
  MultipartParser p("b");
  const auto parts = parse_split(body, 5, p);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].body == "<x>");
  CHECK(parts[1].body == "<y/>");
  CHECK(p.stats().resyncs == 1);
}

TEST_CASE("an endless stream of parts keeps its buffer small and a finite body ends with finish") {
  MultipartParser p("boundary");
  std::vector<MultipartPart> out;
  for (int i = 0; i < 1000; ++i) {
    p.feed("--boundary\r\nContent-Type: application/xml\r\n\r\n<e/>\r\n", out);
  }
  CHECK(out.size() == 999); // the last part waits for its delimiter
  p.finish(out);
  CHECK(out.size() == 1000);
}

TEST_CASE("oversized parts are dropped and counted") {
  MultipartParser p("b", 16);
  std::vector<MultipartPart> out;
  p.feed("--b\r\nContent-Length: 100\r\n\r\n", out);
  p.feed(std::string(100, 'x') + "\r\n--b\r\n\r\n" + std::string(40, 'y'), out);
  p.feed("\r\n--b\r\n\r\nok\r\n--b--\r\n", out);
  REQUIRE_FALSE(out.empty());
  CHECK(out.back().body == "ok");
  CHECK(p.stats().oversized == 2); // 100 bytes delimited, then 40 bytes still open
}
