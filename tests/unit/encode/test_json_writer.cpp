#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "encode/json_writer.h"

using cam2mqtt::encode::JsonWriter;
using nlohmann::json;

TEST_CASE("json writer builds nested documents nlohmann reads back") {
  JsonWriter w;
  w.begin_object()
      .field("a", "x")
      .field_int("n", -42)
      .key("d").number(0.25)
      .key("i").number(1104.0)
      .key("nan").number(std::nan(""))
      .field("t", true)
      .key("z").null()
      .key("arr").begin_array().integer(1).begin_object().field("k", "v").end_object().string("s").end_array()
      .key("empty").begin_object().end_object()
      .field_if("skipped", "")
      .end_object();
  const auto j = json::parse(w.str());
  CHECK(j["a"] == "x");
  CHECK(j["n"] == -42);
  CHECK(j["d"] == 0.25);
  CHECK(w.str().find("\"i\":1104,") != std::string::npos);
  CHECK(j["nan"].is_null());
  CHECK(j["t"] == true);
  CHECK(j["arr"][1]["k"] == "v");
  CHECK(j["empty"].empty());
  CHECK_FALSE(j.contains("skipped"));
}

TEST_CASE("json writer escapes and repairs strings") {
  JsonWriter w;
  w.begin_array()
      .string("quote\" back\\ nl\n tab\t ctl\x01 del\x7f")
      .string("Front Door \xE2\x80\x94 \xD0\x96")
      .string("bad\xFF utf8 \xC0\xAF end")
      .end_array();
  const auto j = json::parse(w.str());
  CHECK(j[0] == "quote\" back\\ nl\n tab\t ctl\x01 del\x7f");
  CHECK(j[1] == "Front Door \xE2\x80\x94 \xD0\x96");
  CHECK(j[2] == "bad\xEF\xBF\xBD utf8 \xEF\xBF\xBD\xEF\xBF\xBD end");
}

TEST_CASE("json writer round-trips every ASCII byte at the start, middle and end of plain runs") {
  for (int b = 0; b < 0x80; ++b) {
    const char c = static_cast<char>(b);
    for (const std::string& s : {std::string(1, c), "run" + std::string(1, c), std::string(1, c) + "run",
                                 "plain run " + std::string(2, c) + " plain"}) {
      CAPTURE(b, s);
      JsonWriter w;
      w.begin_array().string(s).end_array();
      const std::string& out = w.str();
      for (unsigned char o : out) {
        CHECK(o >= 0x20); // control characters never appear raw
      }
      CHECK(out.find('\x7f') == std::string::npos);
      CHECK(json::parse(out)[0] == s);
    }
  }
}
