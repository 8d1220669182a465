#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "parse/libxml_handles.h"
#include "parse/xml_document.h"
#include "parse_test_support.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse;

namespace {
// Every character of the document, entity references followed the way libxml2 would.
std::string full_content(const XmlDocument& doc) {
  return take_xml_string(xmlNodeGetContent(xmlDocGetRootElement(const_cast<xmlDoc*>(doc.get()))));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
} // namespace

TEST_CASE("XmlDocument parses without declaration and exposes the root") {
  auto doc = XmlDocument::parse("<!-- c --><config version=\"1.0\"><a>1</a></config><!-- after -->");
  REQUIRE(doc.has_value());
  CHECK(doc->root().name() == "config");
  CHECK_FALSE(doc->declares_entities());
}

TEST_CASE("XmlDocument error kinds") {
  SECTION("garbage is not_xml") {
    auto r = XmlDocument::parse("hello world");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == "not_xml");
    CHECK(r.error().message.find('\n') == std::string::npos);
  }
  SECTION("premature end is truncated") {
    auto r = XmlDocument::parse("<config><smartType>PEA</smartType><listInfo><item>");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == "truncated");
  }
  SECTION("end inside a tag is truncated") {
    auto r = XmlDocument::parse("<config><smartType>PEA</smartT");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == "truncated");
  }
  SECTION("mismatched tags are not_xml") {
    auto r = XmlDocument::parse("<config><a></b></config>");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == "not_xml");
  }
  SECTION("message is one short line") {
    const std::string body(5000, 'x');
    auto r = XmlDocument::parse(body);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.size() < 300);
  }
}

TEST_CASE("XmlDocument refuses 100k-deep nesting quickly") {
  std::string body;
  body.reserve(100000 * 7);
  for (int i = 0; i < 100000; ++i) {
    body += "<a>";
  }
  for (int i = 0; i < 100000; ++i) {
    body += "</a>";
  }
  const auto start = std::chrono::steady_clock::now();
  auto r = XmlDocument::parse(body);
  CHECK(seconds_since(start) < 2.0);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == "too_deep");
}

TEST_CASE("XmlDocument never reads external entities (XXE)") {
  const std::string secret_path = std::string(CAM2MQTT_BINARY_DIR) + "/xxe_secret.txt";
  {
    std::ofstream out(secret_path);
    out << "XXE_SECRET_MARKER";
  }
  const std::string body = "<!DOCTYPE config [<!ENTITY xxe SYSTEM \"file://" + secret_path +
                           "\">]><config><deviceName>&xxe;</deviceName></config>";
  auto doc = XmlDocument::parse(body);
  REQUIRE(doc.has_value());
  CHECK(doc->declares_entities());
  CHECK(doc->root().child("deviceName").text().empty());
  CHECK(full_content(*doc).find("XXE_SECRET_MARKER") == std::string::npos);
  std::remove(secret_path.c_str());

  const std::string passwd_body = test::load_fixture("invalid/xxe_file_entity.xml");
  auto passwd = XmlDocument::parse(passwd_body);
  REQUIRE(passwd.has_value());
  CHECK(full_content(*passwd).find("root:") == std::string::npos);
}

TEST_CASE("XmlDocument keeps billion laughs small and fast") {
  const auto start = std::chrono::steady_clock::now();
  const std::string body = test::load_fixture("invalid/billion_laughs.xml");
  auto doc = XmlDocument::parse(body);
  CHECK(seconds_since(start) < 1.0);
  if (doc.has_value()) {
    CHECK(doc->declares_entities());
    CHECK(doc->root().child("deviceName").text().empty()); // the reference stays unexpanded
  }
}

TEST_CASE("large CDATA sections read the same as with libxml2's own CDATA handling") {
  std::string big;
  for (int i = 0; i < 400; ++i) {
    big += "/9j/";
    if (i % 100 == 99) {
      big += "\n";
    }
  }
  SECTION("markup-free content") {
    const std::string body = "<config><a><![CDATA[" + big + "]]></a><b><![CDATA[small]]></b></config>";
    auto doc = XmlDocument::parse(body);
    REQUIRE(doc.has_value());
    std::string scratch;
    CHECK(doc->root().child("a").raw_text(scratch) == big);
    CHECK(doc->root().child_text("b") == "small");
  }
  SECTION("content with markup characters stays CDATA") {
    const std::string tricky = big + "<&>]]" + big;
    const std::string body = "<config><a><![CDATA[" + tricky + "]]>tail</a></config>";
    auto doc = XmlDocument::parse(body);
    REQUIRE(doc.has_value());
    std::string scratch;
    CHECK(doc->root().child("a").raw_text(scratch) == tricky + "tail");
  }
  SECTION("inside a comment") {
    const std::string body = "<config><!-- <![CDATA[" + big + "]]> --><a>1</a></config>";
    auto doc = XmlDocument::parse(body);
    REQUIRE(doc.has_value());
    CHECK(doc->root().child_text("a") == "1");
  }
  SECTION("unterminated section") {
    const std::string body = "<config><a><![CDATA[" + big;
    auto doc = XmlDocument::parse(body);
    REQUIRE_FALSE(doc.has_value());
    CHECK(doc.error().kind == "truncated");
  }
}

// Small bodies are parsed with whitespace appended (xml_document.cpp, k_tail_padding): that must
// change no result, no error position, and never touch a body whose ' ' is not the byte 0x20.
TEST_CASE("tail padding of small bodies changes nothing a caller sees") {
  SECTION("an error names its position in the body as sent") {
    auto r = XmlDocument::parse("<config><a>1</a></config>\n<extra/>");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == "not_xml");
    CHECK(r.error().message.find("at line 2 col 1") != std::string::npos);
    auto truncated = XmlDocument::parse("<config>\n<a>1</a>\n<b>");
    REQUIRE_FALSE(truncated.has_value());
    CHECK(truncated.error().kind == "truncated");
    CHECK(truncated.error().message.find("at line 3 col 4:") != std::string::npos);
  }
  SECTION("trailing content that is not whitespace stays an error") {
    for (const char* tail : {"x", "<!--", "<?pi", "\x01", "&amp;"}) {
      CAPTURE(tail);
      const std::string body = std::string("<config/>") + tail;
      CHECK_FALSE(XmlDocument::parse(body).has_value());
    }
  }
  SECTION("UTF-16 with a byte order mark is parsed, not padded into garbage") {
    const std::string utf8 = "<config><name>K\xC3\xBC" "che</name></config>";
    std::string utf16{"\xFF\xFE", 2};
    for (unsigned char c : std::string("<config><name>K")) {
      utf16.push_back(static_cast<char>(c));
      utf16.push_back('\0');
    }
    utf16.append("\xFC\x00", 2); // U+00FC
    for (unsigned char c : std::string("che</name></config>")) {
      utf16.push_back(static_cast<char>(c));
      utf16.push_back('\0');
    }
    auto doc = XmlDocument::parse(utf16);
    REQUIRE(doc.has_value());
    CHECK(doc->root().child_text("name") == "K\xC3\xBC" "che");
    CHECK(XmlDocument::parse(utf8)->root().child_text("name") == "K\xC3\xBC" "che");
  }
  SECTION("an ISO-8859-1 body longer than libxml2's first conversion is read whole") {
    std::string body = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><config>";
    for (int i = 0; i < 100; ++i) {
      body += "<item>caf\xE9</item>";
    }
    body += "<last>\xE9t\xE9</last></config>";
    auto doc = XmlDocument::parse(body);
    REQUIRE(doc.has_value());
    CHECK(doc->root().child_text("last") == "\xC3\xA9t\xC3\xA9");
    CHECK(doc->root().items().size() == 100);
  }
}
