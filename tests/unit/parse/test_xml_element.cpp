#include <catch2/catch.hpp>

#include "parse/xml_document.h"

using namespace cam2mqtt::parse;

namespace {
XmlDocument parse_or_fail(std::string_view body) {
  auto doc = XmlDocument::parse(body);
  REQUIRE(doc.has_value());
  return std::move(doc).value();
}
} // namespace

TEST_CASE("child lookup is case-insensitive and namespace-agnostic") {
  const auto doc = parse_or_fail(
      R"(<config xmlns="http://www.ipc.com/ver10" xmlns:p="urn:x"><DeviceInfo><SN>1</SN></DeviceInfo><p:Width>5</p:Width></config>)");
  const XmlElement root = doc.root();
  CHECK(root.is("CONFIG"));
  CHECK(root.child("deviceinfo").child("sn").text() == "1");
  CHECK(root.child("width").text() == "5");
  CHECK(root.at({"deviceInfo", "SN"}).text() == "1");
  CHECK_FALSE(root.child("missing"));
  CHECK_FALSE(root.at({"missing", "SN"}));
  CHECK(root.child("missing").text().empty());
  CHECK(root.child("missing").items().empty());
}

TEST_CASE("text merges CDATA, trims, skips comments and keeps dotted names") {
  const auto doc = parse_or_fail("<r><deviceNo.> 7 </deviceNo.><mac><![CDATA[ 58:5b ]]></mac>"
                                 "<split>ab<!-- c -->cd</split><empty/></r>");
  const XmlElement root = doc.root();
  CHECK(root.child_text("deviceNo.") == "7");
  CHECK(root.child_text("mac") == "58:5b");
  CHECK(root.child_text("split") == "abcd");
  CHECK(root.child_text("empty").empty());
  std::string scratch;
  CHECK(root.child("split").raw_text(scratch) == "abcd");
}

TEST_CASE("items are the real item children, whatever count says") {
  const auto doc = parse_or_fail(R"(<list count="5"><item>1</item><!-- x --><other/><ITEM>2</ITEM></list>)");
  const auto items = doc.root().items();
  REQUIRE(items.size() == 2);
  CHECK(items[1].text() == "2");
  CHECK(doc.root().children().size() == 3);
  CHECK(doc.root().attr("COUNT") == "5");
  CHECK(doc.root().attr("missing").empty());
}
