#include "util/base64.h"

#include <array>
#include <cstdint>

namespace cam2mqtt::util {

namespace {
constexpr std::string_view k_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) {
    v = -1;
  }
  for (std::size_t i = 0; i < k_alphabet.size(); ++i) {
    t[static_cast<unsigned char>(k_alphabet[i])] = static_cast<std::int8_t>(i);
  }
  return t;
}
constexpr auto k_table = make_table();

bool is_ws(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
} // namespace

namespace {
// Decodes text that has no whitespace: four symbols at a time into a pre-sized buffer. This is
// the hot path for camera images (hundreds of KB per post).
std::optional<std::string> decode_compact(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
  }
  std::string out(text.size() / 4 * 3 - padding, '\0');
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  const std::size_t full = padding == 0 ? text.size() : text.size() - 4;
  std::size_t o = 0;
  for (std::size_t i = 0; i < full; i += 4) {
    const auto a = k_table[in[i]], b = k_table[in[i + 1]], c = k_table[in[i + 2]], d = k_table[in[i + 3]];
    if ((a | b | c | d) < 0) {
      return std::nullopt;
    }
    const std::uint32_t n = (static_cast<std::uint32_t>(a) << 18) | (static_cast<std::uint32_t>(b) << 12) |
                            (static_cast<std::uint32_t>(c) << 6) | static_cast<std::uint32_t>(d);
    dst[o++] = static_cast<unsigned char>(n >> 16);
    dst[o++] = static_cast<unsigned char>(n >> 8);
    dst[o++] = static_cast<unsigned char>(n);
  }
  if (padding != 0) {
    const std::size_t i = full;
    const auto a = k_table[in[i]], b = k_table[in[i + 1]];
    const auto c = padding == 1 ? k_table[in[i + 2]] : std::int8_t{0};
    if ((a | b | c) < 0) {
      return std::nullopt;
    }
    const std::uint32_t n = (static_cast<std::uint32_t>(a) << 18) | (static_cast<std::uint32_t>(b) << 12) |
                            (static_cast<std::uint32_t>(c) << 6);
    dst[o++] = static_cast<unsigned char>(n >> 16);
    if (padding == 1) {
      dst[o++] = static_cast<unsigned char>(n >> 8);
    }
  }
  return out;
}
} // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  // Parsers hand over compact text, so try that first: any whitespace (or bad symbol) makes it
  // fail fast and the general loop below decides. (A find_first_of(" \n\r\t") scan first cost
  // one memchr call per character: a quarter of the daemon's time on image events.)
  if (auto compact = decode_compact(text)) {
    return compact;
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t symbols = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (is_ws(c)) {
      continue;
    }
    if (c == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    if (padding != 0) {
      return std::nullopt; // data after padding
    }
    const auto v = k_table[static_cast<unsigned char>(c)];
    if (v < 0) {
      return std::nullopt;
    }
    ++symbols;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (symbols % 4 != 0 || padding > 2) {
    return std::nullopt;
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(k_alphabet[(n >> 18) & 63]);
    out.push_back(k_alphabet[(n >> 12) & 63]);
    out.push_back(k_alphabet[(n >> 6) & 63]);
    out.push_back(k_alphabet[n & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest != 0) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) {
      n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    }
    out.push_back(k_alphabet[(n >> 18) & 63]);
    out.push_back(k_alphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? k_alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_clean(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!is_ws(c)) {
      out.push_back(c);
    }
  }
  if (out.size() % 4 != 0) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if (c == '=') {
      if (i + 2 < out.size() || (i + 1 < out.size() && out[i + 1] != '=')) {
        return std::nullopt;
      }
      continue;
    }
    if (k_table[static_cast<unsigned char>(c)] < 0) {
      return std::nullopt;
    }
  }
  return out;
}

bool is_compact_base64(std::string_view s) noexcept {
  if (s.size() % 4 != 0) {
    return false;
  }
  std::size_t n = s.size();
  while (n > 0 && s.size() - n < 2 && s[n - 1] == '=') {
    --n;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  // k_table holds -1 for bytes outside the alphabet: OR the values, check the sign once.
  int bad = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    bad |= k_table[p[i]] | k_table[p[i + 1]] | k_table[p[i + 2]] | k_table[p[i + 3]] | k_table[p[i + 4]] |
           k_table[p[i + 5]] | k_table[p[i + 6]] | k_table[p[i + 7]];
  }
  for (; i < n; ++i) {
    bad |= k_table[p[i]];
  }
  return bad >= 0;
}

} // namespace cam2mqtt::util
