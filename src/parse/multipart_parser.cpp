#include "parse/multipart_parser.h"

#include <algorithm>

#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {
constexpr std::size_t k_max_line = 16 * 1024; // a header or preamble line longer than this is junk

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}
} // namespace

std::string multipart_boundary(std::string_view content_type) {
  const std::string lower = util::to_lower(content_type);
  if (util::trim(lower).rfind("multipart/", 0) != 0) {
    return "";
  }
  const auto at = lower.find("boundary=");
  if (at == std::string::npos) {
    return "boundary";
  }
  std::string_view value = content_type.substr(at + 9);
  if (!value.empty() && value.front() == '"') {
    value.remove_prefix(1);
    value = value.substr(0, value.find('"'));
  } else {
    value = value.substr(0, value.find(';'));
  }
  value = util::trim(value);
  if (value.rfind("--", 0) == 0) {
    value.remove_prefix(2);
  }
  return value.empty() ? std::string("boundary") : std::string(value);
}

MultipartParser::MultipartParser(std::string boundary, std::size_t max_part)
    : m_dash_boundary("--" + std::move(boundary)), m_max_part(max_part) {}

MultipartParser::Delim MultipartParser::delimiter(std::string_view line) const {
  line = trim_right(line);
  if (line.size() < m_dash_boundary.size() || line.compare(0, m_dash_boundary.size(), m_dash_boundary) != 0) {
    return Delim::none;
  }
  const auto rest = line.substr(m_dash_boundary.size());
  if (rest.empty()) {
    return Delim::open;
  }
  return rest == "--" ? Delim::close : Delim::none;
}

bool MultipartParser::read_line(std::string_view& line) {
  const auto nl = m_buf.find('\n', m_pos);
  if (nl == std::string::npos) {
    if (m_buf.size() - m_pos > k_max_line) { // no line end in sight: drop the junk
      m_stats.resyncs += 1;
      m_pos = m_buf.size() - m_dash_boundary.size();
    }
    return false;
  }
  line = std::string_view(m_buf).substr(m_pos, nl - m_pos);
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  m_pos = nl + 1;
  return true;
}

void MultipartParser::header(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    return;
  }
  const auto name = util::trim(line.substr(0, colon));
  const auto value = util::trim(line.substr(colon + 1));
  if (util::iequals(name, "Content-Type")) {
    m_part.content_type = std::string(value);
  } else if (util::iequals(name, "Content-Disposition")) {
    m_part.disposition = std::string(value);
  } else if (util::iequals(name, "Content-Length")) {
    const auto n = util::parse_u64(value);
    m_has_length = n.has_value() && *n <= m_max_part;
    m_length = m_has_length ? static_cast<std::size_t>(*n) : 0;
  }
}

void MultipartParser::deliver(std::string body, std::vector<MultipartPart>& out) {
  m_part.body = std::move(body);
  ++m_stats.parts;
  out.push_back(std::move(m_part));
  m_part = MultipartPart{};
}

bool MultipartParser::step(std::vector<MultipartPart>& out) {
  switch (m_state) {
  case State::preamble: {
    std::string_view line;
    if (!read_line(line)) {
      return false;
    }
    const auto d = delimiter(line);
    if (d == Delim::open) {
      m_state = State::headers;
      m_closed = false;
      m_skipping = false;
      m_part = MultipartPart{};
      m_has_length = false;
    } else if (d == Delim::close) {
      m_closed = true;
      m_skipping = false;
    } else if (m_skipping && !util::trim(line).empty()) {
      ++m_stats.resyncs;
      m_skipping = false; // one count per gap
    }
    return true;
  }
  case State::headers: {
    std::string_view line;
    if (!read_line(line)) {
      return false;
    }
    const auto d = delimiter(line);
    if (d == Delim::open) {
      ++m_stats.stray_boundaries; // a doubled delimiter: start the part again
      m_part = MultipartPart{};
      m_has_length = false;
    } else if (d == Delim::close) {
      ++m_stats.stray_boundaries;
      m_closed = true;
      m_state = State::preamble;
    } else if (line.empty()) {
      m_state = m_has_length ? State::body_sized : State::body_scan;
      m_scan_from = m_pos;
    } else {
      header(line);
    }
    return true;
  }
  case State::body_sized: {
    if (m_buf.size() - m_pos < m_length) {
      return false;
    }
    deliver(m_buf.substr(m_pos, m_length), out);
    m_pos += m_length;
    m_state = State::after_sized;
    return true;
  }
  case State::after_sized: {
    while (m_pos < m_buf.size() && (m_buf[m_pos] == '\r' || m_buf[m_pos] == '\n')) {
      ++m_pos;
    }
    if (m_pos == m_buf.size()) {
      return false;
    }
    // The next line should be a delimiter; the preamble state resyncs when it is not.
    m_state = State::preamble;
    m_skipping = true;
    return true;
  }
  case State::body_scan: {
    // Delimiters are searched only where none could be found before (big JPEG parts arrive in
    // many reads); one right at the body start is an empty part.
    std::size_t found = std::string::npos;
    std::size_t search = std::max(m_pos, m_scan_from);
    while (true) {
      const auto at = m_buf.find(m_dash_boundary, search);
      if (at == std::string::npos) {
        break;
      }
      if (at == m_pos || m_buf[at - 1] == '\n') {
        // Must be a whole delimiter line (or may still become one).
        const auto line_end = m_buf.find('\n', at);
        if (line_end == std::string::npos) {
          if (m_buf.size() - at > m_dash_boundary.size() + 4) {
            search = at + 1;
            continue;
          }
          m_scan_from = at;
          return false; // wait for the rest of the line
        }
        const auto d = delimiter(std::string_view(m_buf).substr(at, line_end - at));
        if (d != Delim::none) {
          found = at;
          break;
        }
      }
      search = at + 1;
    }
    if (found == std::string::npos) {
      const std::size_t keep = m_dash_boundary.size() + 1;
      m_scan_from = std::max(m_pos, m_buf.size() > keep ? m_buf.size() - keep : std::size_t{0});
      if (m_buf.size() - m_pos > m_max_part) {
        ++m_stats.oversized;
        m_pos = m_buf.size() - m_dash_boundary.size() - 2;
        m_state = State::preamble;
      }
      return false;
    }
    std::size_t end = found;
    if (end > m_pos && m_buf[end - 1] == '\n') {
      --end;
      if (end > m_pos && m_buf[end - 1] == '\r') {
        --end;
      }
    }
    if (end - m_pos > m_max_part) {
      ++m_stats.oversized;
      m_part = MultipartPart{};
    } else {
      deliver(m_buf.substr(m_pos, end - m_pos), out);
    }
    m_pos = found;
    m_state = State::preamble;
    return true;
  }
  }
  return false;
}

void MultipartParser::compact() {
  if (m_pos > 0 && (m_pos == m_buf.size() || m_pos > 64 * 1024)) {
    m_buf.erase(0, m_pos);
    m_scan_from = m_scan_from > m_pos ? m_scan_from - m_pos : 0;
    m_pos = 0;
  }
}

void MultipartParser::feed(std::string_view bytes, std::vector<MultipartPart>& out) {
  m_buf.append(bytes);
  while (step(out)) {
  }
  compact();
}

void MultipartParser::finish(std::vector<MultipartPart>& out) {
  if (m_state == State::body_scan && m_buf.size() > m_pos) {
    std::string_view body = std::string_view(m_buf).substr(m_pos);
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
      body.remove_suffix(1);
    }
    if (!body.empty()) {
      deliver(std::string(body), out);
    }
  }
  m_buf.clear();
  m_pos = 0;
  m_state = State::preamble;
  m_part = MultipartPart{};
}

} // namespace cam2mqtt::parse
