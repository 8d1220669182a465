#include "encode/json_writer.h"

#include <charconv>
#include <cmath>

namespace cam2mqtt::encode {

namespace {
constexpr char k_hex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    return 0;
  }
  return len;
}
} // namespace

namespace {
// Printable ASCII other than '"' and '\\': copied as is.
constexpr bool is_plain(unsigned char c) noexcept {
  return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}
} // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    // Runs of plain characters (nearly all of a payload) go in with one append.
    std::size_t run = i;
    while (run < s.size() && is_plain(static_cast<unsigned char>(s[run]))) {
      ++run;
    }
    if (run != i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const auto len = utf8_length(s, i);
      if (len == 0) {
        out.append("\xEF\xBF\xBD");
        ++i;
      } else {
        out.append(s.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
    case '"':
      out.append("\\\"");
      break;
    case '\\':
      out.append("\\\\");
      break;
    case '\n':
      out.append("\\n");
      break;
    case '\r':
      out.append("\\r");
      break;
    case '\t':
      out.append("\\t");
      break;
    case '\b':
      out.append("\\b");
      break;
    case '\f':
      out.append("\\f");
      break;
    default: // the other control characters and DEL
      out.append("\\u00");
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 0xF]);
    }
    ++i;
  }
  out.push_back('"');
}

void JsonWriter::separate() {
  if (m_need_comma) {
    m_out.push_back(',');
  }
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  m_out.push_back('{');
  m_need_comma = false;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  m_out.push_back('}');
  m_need_comma = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  m_out.push_back('[');
  m_need_comma = false;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  m_out.push_back(']');
  m_need_comma = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  separate();
  append_json_string(m_out, k);
  m_out.push_back(':');
  m_need_comma = false;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view v) {
  separate();
  append_json_string(m_out, v);
  m_need_comma = true;
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t v) {
  separate();
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  m_out.append(buf, end);
  m_need_comma = true;
  return *this;
}

JsonWriter& JsonWriter::number(double v) {
  if (!std::isfinite(v)) {
    return null();
  }
  if (std::floor(v) == v && std::fabs(v) < 9.0e15) {
    return integer(static_cast<std::int64_t>(v));
  }
  separate();
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  m_out.append(buf, end);
  m_need_comma = true;
  return *this;
}

JsonWriter& JsonWriter::boolean(bool v) {
  separate();
  m_out.append(v ? "true" : "false");
  m_need_comma = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  m_out.append("null");
  m_need_comma = true;
  return *this;
}

} // namespace cam2mqtt::encode
