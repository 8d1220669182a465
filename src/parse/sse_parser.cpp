#include "parse/sse_parser.h"

namespace cam2mqtt::parse {

void SseParser::line(std::string_view l, std::vector<SseRecord>& out) {
  if (l.empty()) { // dispatch
    if (m_has_data && !m_too_big) {
      if (!m_data.empty() && m_data.back() == '\n') {
        m_data.pop_back();
      }
      out.push_back(SseRecord{m_event.empty() ? std::string("message") : m_event, std::move(m_data), m_last_id});
    }
    m_data.clear();
    m_event.clear();
    m_has_data = false;
    m_too_big = false;
    return;
  }
  if (l.front() == ':') {
    ++m_comments;
    return;
  }
  const auto colon = l.find(':');
  const std::string_view field = l.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  if (field == "data") {
    if (m_data.size() + value.size() + 1 > m_max_record) {
      if (!m_too_big) {
        ++m_oversized;
      }
      m_too_big = true;
      m_data.clear();
    } else if (!m_too_big) {
      m_data.append(value);
      m_data.push_back('\n');
    }
    m_has_data = true;
  } else if (field == "event") {
    m_event = std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) {
      m_last_id = std::string(value);
    }
  } else if (field == "retry") {
    bool digits = !value.empty() && value.size() < 10;
    std::int64_t ms = 0;
    for (char c : value) {
      digits = digits && c >= '0' && c <= '9';
      ms = ms * 10 + (c - '0');
    }
    if (digits) {
      m_retry = std::chrono::milliseconds(ms);
    }
  }
}

void SseParser::feed(std::string_view bytes, std::vector<SseRecord>& out) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (m_after_cr) {
      m_after_cr = false;
      if (c == '\n') {
        continue; // the LF of a CRLF split across reads
      }
    }
    if (c == '\r' || c == '\n') {
      if (m_start && m_line.rfind("\xEF\xBB\xBF", 0) == 0) {
        m_line.erase(0, 3);
      }
      m_start = false;
      line(m_line, out);
      m_line.clear();
      m_after_cr = c == '\r';
      continue;
    }
    if (m_line.size() < m_max_record + 16) {
      m_line.push_back(c);
    } else if (!m_too_big) {
      m_too_big = true; // the record is skipped at its end
      ++m_oversized;
    }
    if (m_start && m_line.size() >= 3) {
      if (m_line.rfind("\xEF\xBB\xBF", 0) == 0) {
        m_line.erase(0, 3);
      }
      m_start = false;
    }
  }
}

void SseParser::reset() {
  m_line.clear();
  m_after_cr = false;
  m_start = true;
  m_too_big = false;
  m_data.clear();
  m_event.clear();
  m_has_data = false;
  m_last_id.clear();
}

} // namespace cam2mqtt::parse
