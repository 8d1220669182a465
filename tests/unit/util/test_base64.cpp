#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "util/base64.h"

using namespace cam2mqtt::util;

TEST_CASE("base64 round trip for every remainder") {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xFF\xD8\x00\x01", 4)}) {
    const auto enc = base64_encode(s);
    const auto dec = base64_decode(enc);
    REQUIRE(dec.has_value());
    CHECK(*dec == s);
  }
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 decode skips whitespace and refuses garbage") {
  CHECK(base64_decode("Zm9v\r\nYmFy") == std::string("foobar"));
  CHECK_FALSE(base64_decode("BASE64_JPEG_OVERVIEW_IMAGE").has_value());
  CHECK_FALSE(base64_decode("... (base64 JPEG) ...").has_value());
  CHECK_FALSE(base64_decode("Zm9=v").has_value());
  CHECK_FALSE(base64_decode("Zm9").has_value());
  CHECK_FALSE(base64_decode("Zg===").has_value());
}

TEST_CASE("base64_clean strips whitespace and validates") {
  CHECK(base64_clean(" Zm9v\nYmE= ") == std::string("Zm9vYmE="));
  CHECK_FALSE(base64_clean("Zm9v_mE=").has_value());
  CHECK_FALSE(base64_clean("Zm=v").has_value());
}

TEST_CASE("compact and whitespace paths agree on every input shape") {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) {
    bytes.push_back(static_cast<char>((i * 131) & 0xFF));
    const auto enc = base64_encode(bytes);
    REQUIRE(base64_decode(enc) == bytes);
    std::string spaced = enc;
    spaced.insert(spaced.size() / 2, "\r\n");
    REQUIRE(base64_decode(spaced) == bytes);
  }
  CHECK_FALSE(base64_decode("Zm9vYm=y").has_value()); // padding in the middle
  CHECK_FALSE(base64_decode("Zm9vY===").has_value());
  CHECK_FALSE(base64_decode("Zm9vYmF_").has_value());
  CHECK_FALSE(base64_decode("=Zm9").has_value());
}

TEST_CASE("is_compact_base64 accepts exactly unbroken, padded base64") {
  CHECK(is_compact_base64(""));
  CHECK(is_compact_base64("Zm9vYmFy"));
  CHECK(is_compact_base64("Zm9vYmE="));
  CHECK(is_compact_base64("Zm9vYg=="));
  CHECK(is_compact_base64(base64_encode(std::string(1000, '\xFF'))));
  CHECK_FALSE(is_compact_base64("Zm9v\nYmFy"));      // whitespace: the slow path's job
  CHECK_FALSE(is_compact_base64("BASE64_JPEG_OVERVIEW_IMAGE"));
  CHECK_FALSE(is_compact_base64("Zm9vYmF"));         // length
  CHECK_FALSE(is_compact_base64("Zm9v=mFy"));        // padding in the middle
  CHECK_FALSE(is_compact_base64("Zm9\x80YmFy"));     // non-ASCII
}
