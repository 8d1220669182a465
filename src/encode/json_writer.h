#pragma once
// A small streaming JSON writer for the hot path: appends straight into one std::string, no
// intermediate DOM. Keys are trusted literals; string values are escaped and invalid UTF-8 is
// replaced by U+FFFD, so the output is always valid JSON. Integral doubles print as integers.
#include <cstdint>
#include <string>
#include <string_view>

namespace cam2mqtt::encode {

class JsonWriter {
public:
  explicit JsonWriter(std::size_t reserve = 1024) { m_out.reserve(reserve); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k); // must be followed by exactly one value

  JsonWriter& string(std::string_view v);
  JsonWriter& integer(std::int64_t v);
  JsonWriter& number(double v); // non-finite -> null
  JsonWriter& boolean(bool v);
  JsonWriter& null();

  // key + value shorthands
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const char* v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const std::string& v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, bool v) { return key(k).boolean(v); }
  JsonWriter& field_int(std::string_view k, std::int64_t v) { return key(k).integer(v); }
  // Only when v is not empty.
  JsonWriter& field_if(std::string_view k, std::string_view v) { return v.empty() ? *this : field(k, v); }

  const std::string& str() const& noexcept { return m_out; }
  std::string take() && noexcept { return std::move(m_out); }

private:
  void separate();

  std::string m_out;
  bool m_need_comma = false;
};

// Appends `s` as a JSON string literal (with quotes).
void append_json_string(std::string& out, std::string_view s);

} // namespace cam2mqtt::encode
