// Classification (reference §2), the fixture corpus, invalid and hostile inputs.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "parse_test_support.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse;
using namespace cam2mqtt::parse::test;
namespace fs = std::filesystem;

namespace {
std::string error_kind(const model::ParseOutcome& r) {
  return r.has_value() ? std::string("ok") : r.error().kind;
}
} // namespace

TEST_CASE("every valid fixture parses without error") {
  const fs::path root = fs::path(CAM2MQTT_FIXTURES_DIR) / "xml";
  std::size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".xml") {
      continue;
    }
    const auto relative = fs::relative(entry.path(), root).generic_string();
    if (relative.rfind("invalid/", 0) == 0) {
      continue;
    }
    ++count;
    const auto outcome = parse_fixture(relative);
    INFO(relative << ": " << (outcome ? std::string() : outcome.error().kind + " " + outcome.error().message));
    CHECK(outcome.has_value());
    if (outcome.has_value() && outcome->kind == model::Message::Kind::events) {
      CHECK_FALSE(outcome->events.empty());
      for (const auto& ev : outcome->events) {
        CHECK_FALSE(ev.eventType.empty());
        CHECK_FALSE(ev.eventDescription.empty());
        CHECK_FALSE(ev.format.empty());
      }
    }
  }
  CHECK(count >= 30);
}

TEST_CASE("invalid fixtures return their error kinds") {
  CHECK(error_kind(parse_fixture("invalid/empty_root_unknown.xml")) == "unknown_root");
  CHECK(error_kind(parse_fixture("invalid/truncated_mid_element.xml")) == "truncated");
  CHECK(error_kind(parse_fixture("invalid/not_xml_json_body.xml")) == "not_xml");
  CHECK(error_kind(parse_fixture("invalid/binary_garbage.xml")) == "not_xml");
  CHECK(error_kind(parse_fixture("invalid/config_without_known_children.xml")) == "unknown_message");
  CHECK(error_kind(parse_fixture("invalid/unknown_message_type.xml")) == "unknown_message");
  CHECK(error_kind(parse_fixture("invalid/xxe_file_entity.xml")) == "forbidden_dtd");
  CHECK(error_kind(parse_fixture("invalid/alarm_status_without_boolean_state.xml")) == "invalid_field");
  CHECK(error_kind(parse_fixture("invalid/empty_config_element.xml")) == "unknown_message");
  CHECK(error_kind(parse_fixture("invalid/message_type_not_text.xml")) == "unknown_message");
  CHECK(error_kind(parse_fixture("invalid/billion_laughs.xml")) == "forbidden_dtd");

  const auto root_error = parse_fixture("invalid/empty_root_unknown.xml");
  CHECK(root_error.error().message.find("<foo>") != std::string::npos);
  const auto type_error = parse_fixture("invalid/unknown_message_type.xml");
  CHECK(type_error.error().message.find("firmwareUpgrade") != std::string::npos);
}

TEST_CASE("error messages are one line and never echo the body") {
  const std::string big = "<config><smartType>PEA</smartType><x>" + std::string(100000, 'A');
  const auto r = parse_text(big);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == "truncated");
  CHECK(r.error().message.size() < 300);
  CHECK(r.error().message.find('\n') == std::string::npos);
}

TEST_CASE("control characters from the device never reach an error message") {
  const auto r = parse_fixture("invalid/message_type_with_control_chars.xml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == "unknown_message");
  CHECK(r.error().message == "unknown messageType <firmwar???eUp?grade>");
  const auto root = parse_text("<a\x01b/>");
  REQUIRE_FALSE(root.has_value());
  for (const char c : root.error().message) {
    CHECK(static_cast<unsigned char>(c) >= 0x20);
  }
}

TEST_CASE("a NUL byte makes the body not_xml") {
  using namespace std::string_literals;
  const auto r = parse_text("<config><smartType>PEA</smartType>\0</config>"s);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == "not_xml");
}

TEST_CASE("deep nesting is refused quickly") {
  std::string body;
  for (int i = 0; i < 100000; ++i) {
    body += "<config>";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto r = parse_text(body);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == "too_deep");
}

TEST_CASE("hostile entity documents: no expansion, nothing read, fast") {
  const auto start = std::chrono::steady_clock::now();
  const auto laughs = parse_fixture("invalid/billion_laughs.xml");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  REQUIRE_FALSE(laughs.has_value());
  CHECK(laughs.error().message.find("lol") == std::string::npos);

  const auto xxe = parse_fixture("invalid/xxe_file_entity.xml");
  REQUIRE_FALSE(xxe.has_value());
  CHECK(xxe.error().message.find("root:") == std::string::npos);

  // A DOCTYPE without entity declarations is harmless and accepted.
  const auto plain = parse_text("<!DOCTYPE config><config><smartType>MOTION</smartType></config>");
  REQUIRE(plain.has_value());
  CHECK(plain->events.at(0).category == model::Category::motion);

  // An undeclared entity reference is a well-formedness error, never resolved.
  const auto undeclared = parse_text("<config><smartType>&xxe;</smartType></config>");
  CHECK_FALSE(undeclared.has_value());
}

TEST_CASE("an element with thousands of attributes is refused at once (libxml2 is quadratic there)") {
  std::string body = "<config><smartType>PEA</smartType><deviceName";
  for (int i = 0; i < 100000; ++i) {
    body += " a" + std::to_string(i) + "='1'";
  }
  body += ">n</deviceName></config>";
  const auto start = std::chrono::steady_clock::now();
  const auto r = parse_text(body);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == "too_large");
  CHECK(error_kind(parse_fixture("invalid/too_many_attributes.xml")) == "too_large");
  // '>' and '=' inside attribute values and text do not count.
  const auto fine = parse_text("<config a=\"x>=y\" b='=='><smartType>PEA</smartType><deviceName>a=b=c</deviceName></config>");
  CHECK(fine.has_value());
}

TEST_CASE("an image field that is not base64 drops the image with an invalid_image warning") {
  const auto bad = parse_text("<config><smartType>PEA</smartType><sourceDataInfo><sourceBase64Data>"
                              "not*base64!</sourceBase64Data></sourceDataInfo></config>");
  REQUIRE(bad.has_value());
  CHECK_FALSE(bad->events.at(0).sourceImage.has_value());
  REQUIRE(bad->warnings.size() == 1);
  CHECK(bad->warnings[0].kind == "invalid_image");

  // Placeholders and valid base64 (with line breaks) are not warned about.
  const auto fine = parse_text("<config><smartType>PEA</smartType><sourceDataInfo><sourceBase64Data>"
                               "/9j/4AAQ\nSkZJRg==</sourceBase64Data></sourceDataInfo><targetImageData>"
                               "<targetBase64Data>BASE64_JPEG_TARGET</targetBase64Data></targetImageData></config>");
  REQUIRE(fine.has_value());
  CHECK(fine->warnings.empty());
}

TEST_CASE("classification by structure, not by strings") {
  SECTION("smartType inside a comment does not make an event") {
    const auto r = parse_text("<config><!-- <smartType>PEA</smartType> --><deviceInfo><deviceName>x</deviceName></deviceInfo></config>");
    REQUIRE(r.has_value());
    CHECK(r->kind == model::Message::Kind::heartbeat);
  }
  SECTION("traject with count before type is still traject") {
    const auto r = parse_text("<config><traject count=\"1\" type=\"list\"><item><targetId>1</targetId></item></traject></config>");
    REQUIRE(r.has_value());
    CHECK(r->events.at(0).category == model::Category::traject);
  }
  SECTION("namespace prefixes are ignored") {
    const auto r = parse_text("<v:config xmlns:v=\"http://www.ipc.com/ver10\"><v:smartType>VSD</v:smartType></v:config>");
    REQUIRE(r.has_value());
    CHECK(r->events.at(0).category == model::Category::metadata);
  }
  SECTION("v2 alarmData without smartType or body is unknown_message") {
    const auto r = parse_text("<config version=\"2.0.0\"><messageType>alarmData</messageType></config>");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == "unknown_message");
  }
  SECTION("v2 alarmData with an unknown code is kept") {
    const auto r = parse_text("<config version=\"2.0.0\"><messageType>alarmData</messageType><smartType>smokeDetect</smartType></config>");
    REQUIRE(r.has_value());
    const auto& ev = r->events.at(0);
    CHECK(ev.category == model::Category::other);
    CHECK(ev.subtype == "smokeDetect");
    CHECK(ev.eventDescription == "Unknown Event (smokeDetect)");
    CHECK(ev.format == "v2");
  }
}

TEST_CASE("large base64 bodies parse quickly and keep the image once") {
  std::string image;
  for (int i = 0; i < 150000; ++i) {
    image += "/9j/";
  }
  const std::string body = "<config version=\"1.7\"><smartType>VFD</smartType><sourceDataInfo><width>1920</width>"
                           "<height>1080</height><sourceBase64Data>" + image + "</sourceBase64Data></sourceDataInfo></config>";
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    const auto r = parse_text(body);
    REQUIRE(r.has_value());
    REQUIRE(r->events.at(0).sourceImage.has_value());
    CHECK(r->events.at(0).sourceImage->base64.size() == image.size());
  }
  const double per_post = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 20;
  CHECK(per_post < 0.05);
}
