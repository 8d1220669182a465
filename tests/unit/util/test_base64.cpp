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

TEST_CASE("every byte value at every position: the fast paths agree with the alphabet") {
  // 40 symbols: two 16-byte vector rounds and an 8-byte scalar tail in is_compact_base64, and
  // both the full quads and the padded last quad in the decoder.
  const std::string valid = base64_encode(std::string(30, '\x5A'));
  REQUIRE(valid.size() == 40);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    const bool in_alphabet = alphabet.find(c) != std::string::npos;
    for (std::size_t pos = 0; pos < valid.size(); ++pos) {
      std::string s = valid;
      s[pos] = c;
      INFO("byte " << byte << " at " << pos);
      const bool ok = in_alphabet || (c == '=' && pos == valid.size() - 1); // "xxx=" is padding
      REQUIRE(is_compact_base64(s) == ok);
      const bool whitespace = c == ' ' || c == '\n' || c == '\r' || c == '\t';
      // Whitespace is skipped by the general path: one symbol short of a full quad.
      REQUIRE(base64_decode(s).has_value() == ok);
      if (!ok && !whitespace) {
        REQUIRE_FALSE(base64_clean(s).has_value());
      }
    }
  }
}

TEST_CASE("padded tails: '=' only at the end, at most two") {
  const std::string bytes = "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0A\x0B\x0C\x0D\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F";
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    const auto enc = base64_encode(bytes.substr(0, len));
    INFO("len " << len);
    REQUIRE(is_compact_base64(enc));
    REQUIRE(base64_decode(enc) == bytes.substr(0, len));
  }
  CHECK_FALSE(is_compact_base64("===="));
  CHECK_FALSE(base64_decode("====").has_value());
  CHECK_FALSE(base64_decode("Zg==Zg==").has_value());
  CHECK_FALSE(is_compact_base64("Zg==Zg=="));
}

TEST_CASE("long texts: every byte value at every position of the vector rounds") {
  // 120 symbols: several 16-symbol rounds of the SSSE3 decoder, then the scalar tail it leaves
  // (it stops while fewer than 16 bytes of output room are left).
  std::string bytes;
  for (int i = 0; i < 90; ++i) { // 90 bytes: 120 symbols, no padding
    bytes.push_back(static_cast<char>((i * 89 + 7) & 0xFF));
  }
  const std::string valid = base64_encode(bytes);
  REQUIRE(valid.size() == 120);
  REQUIRE(base64_decode(valid) == bytes);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    const bool in_alphabet = alphabet.find(c) != std::string::npos;
    const bool whitespace = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    for (std::size_t pos = 0; pos + 1 < valid.size(); ++pos) { // the last place: "xxx=" padding
      std::string s = valid;
      s[pos] = c;
      INFO("byte " << byte << " at " << pos);
      const auto decoded = base64_decode(s);
      REQUIRE(decoded.has_value() == in_alphabet);
      if (in_alphabet) {
        // The changed symbol's 6 bits land in the output exactly where the reference says.
        const auto value = static_cast<unsigned>(alphabet.find(c));
        std::string expected = bytes;
        const std::size_t bit = pos * 6;
        for (std::size_t k = 0; k < 6; ++k) {
          const std::size_t b = bit + k;
          const auto mask = static_cast<unsigned char>(0x80U >> (b % 8));
          auto& out = reinterpret_cast<unsigned char&>(expected[b / 8]);
          out = ((value >> (5 - k)) & 1U) != 0 ? (out | mask) : (out & ~mask);
        }
        REQUIRE(*decoded == expected);
      } else if (!whitespace) {
        REQUIRE_FALSE(base64_clean(s).has_value());
      }
    }
  }
  // Real image sizes, compact and with line breaks.
  std::string image;
  for (int i = 0; i < 150 * 1024 + 7; ++i) {
    image.push_back(static_cast<char>((i * 131 + (i >> 9)) & 0xFF));
  }
  const auto enc = base64_encode(image);
  REQUIRE(base64_decode(enc) == image);
  std::string wrapped;
  for (std::size_t i = 0; i < enc.size(); i += 76) {
    wrapped += enc.substr(i, 76) + "\r\n";
  }
  REQUIRE(base64_decode(wrapped) == image);
}
