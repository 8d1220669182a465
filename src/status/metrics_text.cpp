#include "status/metrics_text.h"

#include <cassert>
#include <cmath>
#include <charconv>

namespace cam2mqtt::status {

namespace {
bool name_char(char c, bool first, bool colon_ok) noexcept {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_ok && c == ':');
  return alpha || (!first && c >= '0' && c <= '9');
}

bool valid_name(std::string_view name, bool colon_ok) noexcept {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, colon_ok)) {
      return false;
    }
  }
  return true;
}
} // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case '"':
      out += "\\\"";
      break;
    case '\n':
      out += "\\n";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

bool valid_metric_name(std::string_view name) noexcept {
  return valid_name(name, true);
}

bool valid_label_name(std::string_view name) noexcept {
  return valid_name(name, false) && name.substr(0, 2) != "__";
}

void MetricsText::family(std::string_view name, MetricType type, std::string_view help) {
  assert(valid_metric_name(name));
  m_name = std::string(name);
  m_out += "# HELP ";
  m_out += m_name;
  m_out += ' ';
  m_out += escape_help(help);
  m_out += "\n# TYPE ";
  m_out += m_name;
  m_out += type == MetricType::counter ? " counter\n" : " gauge\n";
}

void MetricsText::sample_prefix(const Labels& labels) {
  assert(!m_name.empty());
  m_out += m_name;
  if (!labels.empty()) {
    m_out += '{';
    bool first = true;
    for (const auto& [key, value] : labels) {
      assert(valid_label_name(key));
      if (!first) {
        m_out += ',';
      }
      first = false;
      m_out += key;
      m_out += "=\"";
      m_out += escape_label_value(value);
      m_out += '"';
    }
    m_out += '}';
  }
  m_out += ' ';
}

void MetricsText::sample(std::uint64_t value, const Labels& labels) {
  sample_prefix(labels);
  m_out += std::to_string(value);
  m_out += '\n';
}

void MetricsText::sample(double value, const Labels& labels) {
  sample_prefix(labels);
  if (std::isnan(value)) {
    m_out += "NaN";
  } else if (std::isinf(value)) {
    m_out += value > 0 ? "+Inf" : "-Inf";
  } else {
    // Shortest text that reads back as the same double.
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    m_out.append(buf, res.ptr);
  }
  m_out += '\n';
}

} // namespace cam2mqtt::status
