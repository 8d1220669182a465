#pragma once
// Shared helpers of the parse tests: fixture loading and a fixed receive time.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "model/parse_result.h"
#include "parse/viewtron_parser.h"
#include "util/base64.h"

namespace cam2mqtt::parse::test {

// 2026-03-29T13:58:30Z, nine seconds after the device times used in the fixtures.
inline const util::SysMicros k_received{std::chrono::microseconds{1774792710000000LL}};
inline const util::SysMicros k_fixture_time{std::chrono::microseconds{1774792701902505LL}};

inline std::string fixture_path(const std::string& relative) {
  return std::string(CAM2MQTT_FIXTURES_DIR) + "/xml/" + relative;
}

inline std::string load_fixture(const std::string& relative) {
  std::ifstream in(fixture_path(relative), std::ios::binary);
  INFO("fixture " << relative);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline model::ParseOutcome parse_text(std::string_view body) {
  return parse_viewtron(body, ParseContext{k_received});
}

inline model::ParseOutcome parse_fixture(const std::string& relative) {
  return parse_text(load_fixture(relative));
}

inline model::Message parse_ok(const std::string& relative) {
  auto outcome = parse_fixture(relative);
  INFO("fixture " << relative << ": " << (outcome ? std::string() : outcome.error().kind + " " + outcome.error().message));
  REQUIRE(outcome.has_value());
  return std::move(outcome).value();
}

// The single event of a smart/traject fixture.
inline model::Event parse_event(const std::string& relative) {
  auto msg = parse_ok(relative);
  REQUIRE(msg.kind == model::Message::Kind::events);
  REQUIRE(msg.events.size() == 1);
  return std::move(msg.events.front());
}

inline std::string decoded(const std::optional<model::Image>& image) {
  REQUIRE(image.has_value());
  auto bytes = util::base64_decode(image->base64);
  REQUIRE(bytes.has_value());
  return *bytes;
}

inline bool looks_like_jpeg(const std::string& bytes) {
  return bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
         static_cast<unsigned char>(bytes[1]) == 0xD8 &&
         static_cast<unsigned char>(bytes[bytes.size() - 2]) == 0xFF &&
         static_cast<unsigned char>(bytes[bytes.size() - 1]) == 0xD9;
}

// Base64 of the three JPEG-like byte strings the fixtures use.
inline constexpr std::string_view k_img_overview = "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==";
inline constexpr std::string_view k_img_crop = "/9j/2wBDAAEB/9k=";
inline constexpr std::string_view k_img_crop2 = "/9j/4QAYRXhpZv/Z";

} // namespace cam2mqtt::parse::test
