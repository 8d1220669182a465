#include <catch2/catch.hpp>

#include "parse/viewtron_fields.h"
#include "parse/xml_document.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse;
using model::Scale;

namespace {
XmlDocument doc_of(std::string_view body) {
  auto doc = XmlDocument::parse(body);
  REQUIRE(doc.has_value());
  return std::move(doc).value();
}
} // namespace

TEST_CASE("read_box") {
  auto doc = doc_of("<r><a><x1>1</x1><y1>2</y1><x2>3</x2><y2>4</y2></a>"
                    "<zero><x1>0</x1><y1>0</y1><x2>0</x2><y2>0</y2></zero>"
                    "<text><x1>...</x1><y1>2</y1><x2>3</x2><y2>4</y2></text>"
                    "<partial><x1>1</x1></partial><dots>...</dots>"
                    "<degenerate><x1>1</x1><y1>0</y1><x2>1</x2><y2>0</y2></degenerate></r>");
  const auto root = doc.root();
  const auto box = read_box(root.child("a"), Scale::pixels);
  REQUIRE(box.has_value());
  CHECK(box->x1 == 1);
  CHECK(box->y2 == 4);
  CHECK(box->scale == Scale::pixels);
  CHECK_FALSE(read_box(root.child("zero"), Scale::pixels));
  CHECK_FALSE(read_box(root.child("text"), Scale::pixels));
  CHECK_FALSE(read_box(root.child("partial"), Scale::pixels));
  CHECK_FALSE(read_box(root.child("dots"), Scale::pixels));
  CHECK_FALSE(read_box(root.child("missing"), Scale::pixels));
  CHECK(read_box(root.child("degenerate"), Scale::pixels).has_value()); // kept, flagged by consumers
}

TEST_CASE("read_area and read_line accept every documented layout") {
  auto doc = doc_of("<r>"
                    "<boundary><item><point><x>1</x><y>2</y></point></item><item><point><x>3</x><y>4</y></point></item></boundary>"
                    "<pointGroup><item><x>5</x><y>6</y></item></pointGroup>"
                    "<bare><point><x>7</x><y>8</y></point><point><x>9</x><y>10</y></point></bare>"
                    "<a><line><startPoint><x>1</x><y>1</y></startPoint><endPoint><x>2</x><y>2</y></endPoint></line></a>"
                    "<b><startPoint><x>3</x><y>3</y></startPoint><endPoint><x>4</x><y>4</y></endPoint></b>"
                    "<c><lineInfo><startPoint><x>5</x><y>5</y></startPoint><endPoint><x>6</x><y>6</y></endPoint></lineInfo></c>"
                    "<d><startPoint><x>5</x><y>5</y></startPoint></d>"
                    "</r>");
  const auto root = doc.root();
  const auto boundary = read_area(root.child("boundary"));
  REQUIRE(boundary);
  CHECK(boundary->kind == model::Zone::Kind::area);
  REQUIRE(boundary->points.size() == 2);
  CHECK(boundary->points[1].x == 3);
  REQUIRE(read_area(root.child("pointGroup")));
  CHECK(read_area(root.child("pointGroup"))->points.size() == 1);
  CHECK(read_area(root.child("bare"))->points.size() == 2);
  for (const char* holder : {"a", "b", "c"}) {
    INFO(holder);
    const auto line = read_line(root.child(holder));
    REQUIRE(line);
    CHECK(line->kind == model::Zone::Kind::line);
    CHECK(line->points.size() == 2);
  }
  CHECK(read_line(root.child("a"))->points[1].x == 2);
  CHECK_FALSE(read_line(root.child("d")));
}

TEST_CASE("read_image validates base64 and drops placeholders") {
  auto doc = doc_of("<r>"
                    "<ok><Width>128</Width><HEIGHT>64</HEIGHT><targetBase64Data> /9j/2wBD\nAAEB/9k= </targetBase64Data></ok>"
                    "<ph><targetBase64Data>BASE64_JPEG_TARGET_IMAGE</targetBase64Data></ph>"
                    "<doc><targetBase64Data>... (base64 JPEG) ...</targetBase64Data></doc>"
                    "<bad><targetBase64Data>abc</targetBase64Data></bad>"
                    "<empty><targetBase64Data/></empty>"
                    "<nosize><targetBase64Data>/9j/2wBDAAEB/9k=</targetBase64Data><width>...</width></nosize>"
                    "</r>");
  const auto root = doc.root();
  const auto ok = read_target_image(root.child("ok"));
  REQUIRE(ok);
  CHECK(ok->base64 == "/9j/2wBDAAEB/9k=");
  CHECK(ok->width == 128);
  CHECK(ok->height == 64);
  CHECK_FALSE(read_target_image(root.child("ph")));
  CHECK_FALSE(read_target_image(root.child("doc")));
  CHECK_FALSE(read_target_image(root.child("bad")));
  CHECK_FALSE(read_target_image(root.child("empty")));
  CHECK_FALSE(read_target_image(root.child("missing")));
  REQUIRE(read_target_image(root.child("nosize")));
  CHECK(read_target_image(root.child("nosize"))->width == 0);
}

TEST_CASE("target types") {
  CHECK(canonical_target_type("1") == "person");
  CHECK(canonical_target_type("2") == "car");
  CHECK(canonical_target_type("4") == "motorcycle");
  CHECK(canonical_target_type("person") == "person");
  CHECK(canonical_target_type("car") == "car");
  CHECK(canonical_target_type("motor") == "motorcycle");
  CHECK(canonical_target_type("bike") == "bike");
  CHECK(canonical_target_type("7") == "7");
  model::Target t;
  set_target_type(t, "motor");
  CHECK(t.type == "motorcycle");
  CHECK(t.typeRaw == "motor");
}

TEST_CASE("merge_target completes targets with the same id") {
  std::vector<model::Target> targets;
  model::Target a;
  a.id = "1";
  a.box = model::Box{1, 1, 2, 2, Scale::normalized10000};
  merge_target(targets, a);
  model::Target b;
  b.id = "1";
  set_target_type(b, "1");
  merge_target(targets, b);
  model::Target c;
  c.id = "2";
  merge_target(targets, c);
  merge_target(targets, model::Target{}); // nothing to say: dropped
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].type == "person");
  CHECK(targets[0].box.has_value());
}

TEST_CASE("read_identity fills each field once from any documented name") {
  auto doc = doc_of("<r><DeviceName>A</DeviceName><ipAddress>1.2.3.4</ipAddress><macAddress>78-24-AF-44-89-01</macAddress>"
                    "<SN>S</SN><DeviceNo.>3</DeviceNo.><channelId>2</channelId><deviceName>B</deviceName></r>");
  model::DeviceIdentity id;
  read_identity(doc.root(), id);
  finish_identity(id);
  CHECK(id.name == "A");
  CHECK(id.ip == "1.2.3.4");
  CHECK(id.macRaw == "78-24-AF-44-89-01");
  CHECK(id.mac == "78:24:af:44:89:01");
  CHECK(id.serial == "S");
  CHECK(id.deviceNo == "3");
  CHECK(id.channelId == "2");
  model::DeviceIdentity bad;
  bad.macRaw = "not a mac";
  finish_identity(bad);
  CHECK(bad.mac.empty());
}
