#include "config/topic_syntax.h"

namespace cam2mqtt::config {
namespace {

// Rules shared by prefixes and levels: no wildcards, no NUL, within MQTT's length limit.
std::string check_characters(std::string_view text) {
  if (text.find('#') != std::string_view::npos) {
    return "must not contain the MQTT wildcard '#'";
  }
  if (text.find('+') != std::string_view::npos) {
    return "must not contain the MQTT wildcard '+'";
  }
  if (text.find('\0') != std::string_view::npos) {
    return "must not contain a NUL character";
  }
  if (text.size() > 1024) {
    return "is too long (at most 1024 bytes)";
  }
  return "";
}

} // namespace

std::string check_topic_prefix(std::string_view text) {
  if (text.empty()) {
    return "must not be empty";
  }
  if (std::string error = check_characters(text); !error.empty()) {
    return error;
  }
  if (text.front() == '/' || text.back() == '/') {
    return "must not start or end with '/'";
  }
  if (text.find("//") != std::string_view::npos) {
    return "must not contain an empty topic level (\"//\")";
  }
  return "";
}

std::string check_topic_level(std::string_view text) {
  if (text.empty()) {
    return "must not be empty";
  }
  if (text.find('/') != std::string_view::npos) {
    return "must not contain '/' (it is a single topic level)";
  }
  return check_characters(text);
}

} // namespace cam2mqtt::config
