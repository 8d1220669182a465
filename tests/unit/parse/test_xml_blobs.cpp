// Base64 runs cut out before libxml2 parses (parse/xml_blobs.h) must be invisible: every
// element reads the same text as a plain libxml2 parse of the body as sent, and every body
// that libxml2 refuses is still refused.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <libxml/parser.h>

#include "parse/libxml_handles.h"
#include "parse/xml_blobs.h"
#include "parse/xml_document.h"

using namespace cam2mqtt::parse;

namespace {

constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_run(std::size_t groups, unsigned seed = 1) {
  std::string out;
  for (std::size_t i = 0; i < groups * 4; ++i) {
    out.push_back(k_alphabet[(i * 7 + seed * 13 + i / 5) % 64]);
  }
  return out;
}

// Base64 the way MIME writes it: lines of 76 characters.
std::string wrapped_at_76(const std::string& run) {
  std::string w;
  for (std::size_t i = 0; i < run.size(); i += 76) {
    w += run.substr(i, 76) + "\n";
  }
  return w;
}

// Own character data of every element, in document order, the way XmlElement reads it.
void collect(XmlElement e, std::vector<std::string>& out) {
  std::string scratch;
  out.emplace_back(e.raw_text(scratch));
  for (XmlElement c = e.first_child(); c; c = c.next_sibling()) {
    collect(c, out);
  }
}

// The same from a plain libxml2 parse with XmlDocument's options and nothing cut.
void collect_plain(const xmlNode* n, std::vector<std::string>& out) {
  std::string own;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content != nullptr) {
      own += as_chars(c->content);
    }
  }
  out.push_back(own);
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      collect_plain(c, out);
    }
  }
}

struct Reading {
  bool ok = false;
  std::vector<std::string> texts;
};

Reading read_with_document(const std::string& body) {
  Reading r;
  auto doc = XmlDocument::parse(body);
  if (doc) {
    r.ok = true;
    collect(doc->root(), r.texts);
  }
  return r;
}

Reading read_plain(const std::string& body) {
  Reading r;
  constexpr int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS |
                          XML_PARSE_COMPACT | XML_PARSE_NOCDATA;
  XmlDocPtr doc(xmlReadMemory(body.data(), static_cast<int>(body.size()), nullptr, nullptr, options));
  if (doc && xmlDocGetRootElement(doc.get()) != nullptr) {
    r.ok = true;
    collect_plain(xmlDocGetRootElement(doc.get()), r.texts);
  }
  return r;
}

// One random piece of element content.
std::string random_content(std::minstd_rand& rng) {
  const std::string run = base64_run(100 + rng() % 400, static_cast<unsigned>(rng()));
  switch (rng() % 14) {
  case 0: return run;
  case 1: return "\n  " + run + "\n";
  case 2: return wrapped_at_76(run);
  case 3: return run.substr(0, 300) + "\r\n" + run.substr(300);
  case 4: return "<![CDATA[" + run + "]]>";
  case 5: return "<![CDATA[" + run + "<&>]]>tail";
  case 6: return "x&amp;y" + run;
  case 7: return "<!-- " + run + " -->";
  case 8: return "<?pi " + run + "?>";
  case 9: return "<b v=\"" + run + "\">" + run.substr(0, 600) + "</b>";
  case 10: return "<c>" + run + "</c>" + run;
  case 11: return "short";
  case 12: return run + "=";          // bad padding: not compact, still cut
  default: return run + "\xC3\xA9"; // non-ASCII: never cut
  }
}

std::string random_body(std::minstd_rand& rng) {
  std::string body = rng() % 4 == 0 ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "";
  body += "<config>";
  const int items = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < items; ++i) {
    body += "<a>" + random_content(rng) + "</a>";
  }
  body += "</config>";
  switch (rng() % 10) {
  case 0: body = base64_run(200) + body; break;          // text before the root
  case 1: body += base64_run(200); break;                // text after the root
  case 2: body.resize(rng() % body.size()); break;       // truncated anywhere
  case 3: body.insert(body.size() / 2, "</x>"); break;   // mismatched tag
  default: break;
  }
  return body;
}

} // namespace

TEST_CASE("cut base64 runs read exactly as libxml2 reads the body as sent") {
  std::minstd_rand rng(20261123);
  int parsed = 0;
  for (int i = 0; i < 1500; ++i) {
    const std::string body = random_body(rng);
    const Reading plain = read_plain(body);
    const Reading ours = read_with_document(body);
    CAPTURE(i, body.substr(0, 200));
    REQUIRE(ours.ok == plain.ok);
    REQUIRE(ours.texts == plain.texts);
    parsed += ours.ok ? 1 : 0;
  }
  CHECK(parsed > 700); // most bodies are valid, so the texts were really compared
}

TEST_CASE("prepare_body cuts long base64 element text and nothing else") {
  const std::string run = base64_run(200);
  SECTION("element text and a whole CDATA section") {
    const std::string body = "<config><a>" + run + "</a><b><![CDATA[" + run + "]]></b><c>x</c></config>";
    const auto prepared = prepare_body(body);
    REQUIRE(prepared.has_value());
    CHECK(prepared->text == "<config><a><?cam2mqtt-blob 0?></a><b><?cam2mqtt-blob 1?></b><c>x</c></config>");
    REQUIRE(prepared->blobs.size() == 2);
    CHECK(prepared->blobs[0].text == run);
    CHECK(prepared->blobs[0].compact_base64);
    CHECK(prepared->blobs[1].text.data() == body.data() + body.find(run, body.find("CDATA")));
  }
  SECTION("short text, small bodies and bodies without a long run are left alone") {
    CHECK_FALSE(prepare_body("<config><a>" + run.substr(0, 400) + "</a></config>").has_value());
    CHECK_FALSE(prepare_body("<config><a>abc</a></config>").has_value());
  }
  SECTION("a DOCTYPE or an encoding that is not ASCII-compatible") {
    CHECK_FALSE(prepare_body("<!DOCTYPE config><config><a>" + run + "</a></config>").has_value());
    CHECK_FALSE(
        prepare_body("<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><config><a>" + run + "</a></config>").has_value());
    CHECK(prepare_body("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><config><a>" + run + "</a></config>").has_value());
  }
  SECTION("outside the root, in comments, instructions and attribute values") {
    CHECK_FALSE(prepare_body(run + "<config/>").has_value());
    CHECK_FALSE(prepare_body("<config/>" + run).has_value());
    CHECK_FALSE(prepare_body("<config><!--" + run + "--></config>").has_value());
    CHECK_FALSE(prepare_body("<config><?pi " + run + "?></config>").has_value());
    CHECK_FALSE(prepare_body("<config><a v='>" + run + "'/></config>").has_value());
  }
  SECTION("carriage returns, which libxml2 normalises, are left to libxml2") {
    CHECK_FALSE(prepare_body("<config><a>" + run + "\r\n</a></config>").has_value());
  }
  SECTION("a large markup-free CDATA section that is not base64 is unwrapped") {
    const std::string words(600, 'w');
    const auto prepared = prepare_body("<config><a><![CDATA[" + words + " !]]></a></config>");
    REQUIRE(prepared.has_value());
    CHECK(prepared->text == "<config><a>" + words + " !</a></config>");
    CHECK(prepared->blobs.empty());
  }
}

TEST_CASE("XmlDocument gives cut runs back and keeps errors where they are in the body as sent") {
  const std::string run = base64_run(300);
  SECTION("text_is_checked_base64 only for one compact run") {
    const std::string wrapped = wrapped_at_76(run);
    const std::string body = "<config><a> " + run + "\n</a><b>" + wrapped + "</b><c>abc</c><d>x" + run + "</d></config>";
    auto doc = XmlDocument::parse(body);
    REQUIRE(doc.has_value());
    std::string scratch;
    CHECK(doc->root().child("a").raw_text(scratch) == " " + run + "\n");
    CHECK(doc->root().child("a").text_is_checked_base64());
    CHECK(doc->root().child("b").raw_text(scratch) == wrapped);
    CHECK_FALSE(doc->root().child("b").text_is_checked_base64());
    CHECK_FALSE(doc->root().child("c").text_is_checked_base64());
    CHECK(doc->root().child("d").raw_text(scratch) == "x" + run);
    CHECK_FALSE(doc->root().child("d").text_is_checked_base64());
    CHECK(doc->root().children().size() == 4); // the instructions are not elements
  }
  SECTION("an instruction of that name sent by a camera is no text") {
    const std::string body = "<config><a><?cam2mqtt-blob 0?></a><b>" + run + "<?cam2mqtt-blob 7?><?cam2mqtt-blob x?></b></config>";
    auto doc = XmlDocument::parse(body);
    REQUIRE(doc.has_value());
    std::string scratch;
    CHECK(doc->root().child("b").raw_text(scratch) == run);
    const std::string small = "<config><a><?cam2mqtt-blob 0?>t</a></config>";
    auto plain = XmlDocument::parse(small);
    REQUIRE(plain.has_value());
    CHECK(plain->root().child_text("a") == "t");
  }
  SECTION("an error after a cut run names its line in the body as sent") {
    const std::string wrapped = wrapped_at_76(run); // 16 lines
    const std::string body = "<config><a>" + wrapped + "</a>\n<b></c></config>";
    auto doc = XmlDocument::parse(body);
    REQUIRE_FALSE(doc.has_value());
    CAPTURE(doc.error().message);
    CHECK(doc.error().message.find("at line 18 ") != std::string::npos);
  }
}
