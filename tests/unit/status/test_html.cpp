#include <catch2/catch.hpp>

#include "status/html.h"

using namespace cam2mqtt::status;

TEST_CASE("html_escape escapes the five markup characters") {
  CHECK(html_escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  CHECK(html_escape("a & b \"c\"") == "a &amp; b &quot;c&quot;");
  CHECK(html_escape("&amp;") == "&amp;amp;");
  CHECK(html_escape("Einfahrt Süd") == "Einfahrt Süd");
  CHECK(html_escape("") == "");
}

TEST_CASE("html_escape replaces control characters but keeps tab and newline") {
  CHECK(html_escape(std::string("a\0b", 3)) == "a\xEF\xBF\xBD" "b");
  CHECK(html_escape("a\x1b[31mb") == "a\xEF\xBF\xBD[31mb");
  CHECK(html_escape("a\x7f") == "a\xEF\xBF\xBD");
  CHECK(html_escape("a\tb\nc") == "a\tb\nc");
}

TEST_CASE("only plain base64 may go into a data: URI") {
  CHECK(is_plain_base64("/9j/4AAQSkZJRgABAQAAAQABAAD/2Q=="));
  CHECK_FALSE(is_plain_base64(""));
  CHECK_FALSE(is_plain_base64("abc\" onerror=\"x"));
  CHECK_FALSE(is_plain_base64("ab cd"));
  CHECK_FALSE(is_plain_base64("ab<cd"));
}
