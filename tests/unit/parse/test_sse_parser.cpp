#include <catch2/catch.hpp>

#include "parse/sse_parser.h"

using namespace cam2mqtt::parse;

namespace {
std::vector<SseRecord> feed_split(SseParser& p, const std::string& text, std::size_t step) {
  std::vector<SseRecord> out;
  for (std::size_t i = 0; i < text.size(); i += step) {
    p.feed(std::string_view(text).substr(i, step), out);
  }
  return out;
}
} // namespace

TEST_CASE("SSE framing by the spec at every split") {
  const std::string text = "\xEF\xBB\xBF: hello\r\n"
                           "retry: 3000\n"
                           "id: 1\nevent: a\ndata: one\n\n"
                           "id: 2\r\nevent: b\r\ndata: x\r\ndata:y\r\ndata\r\n\r\n" // multi-line data, field without colon
                           "data: no event\r\r"                                    // bare CR endings, default name
                           "id: 3\nevent: c\ndata\n\n"                             // empty data line still dispatches
                           "event: only-event\n\n"                                 // no data: nothing
                           "unknown: field\nid: 4\ndata: last\n\n"
                           "id: 5\ndata: cut";                                      // unterminated
  for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{5}, text.size()}) {
    INFO("step " << step);
    SseParser p;
    const auto recs = feed_split(p, text, step);
    REQUIRE(recs.size() == 5);
    CHECK(recs[0].event == "a");
    CHECK(recs[0].data == "one");
    CHECK(recs[0].id == "1");
    CHECK(recs[1].event == "b");
    CHECK(recs[1].data == "x\ny\n");
    CHECK(recs[2].event == "message");
    CHECK(recs[2].data == "no event");
    CHECK(recs[2].id == "2"); // ids persist across records
    CHECK(recs[3].event == "c");
    CHECK(recs[3].data.empty());
    CHECK(recs[4].data == "last");
    CHECK(recs[4].id == "4");
    CHECK(p.comments() == 1);
    REQUIRE(p.retry());
    CHECK(p.retry()->count() == 3000);
    p.reset(); // the connection dropped mid-record: nothing of it survives
    std::vector<SseRecord> more;
    p.feed("data: fresh\n\n", more);
    REQUIRE(more.size() == 1);
    CHECK(more[0].data == "fresh");
    CHECK(more[0].id.empty());
  }
}

TEST_CASE("a CRLF split across reads ends one line, not two") {
  SseParser p;
  std::vector<SseRecord> out;
  p.feed("data: a\r", out);
  p.feed("\ndata: b\r", out);
  p.feed("\n\r", out);
  p.feed("\n", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].data == "a\nb");
}

TEST_CASE("oversized records are skipped, the stream goes on; bad retry ignored") {
  SseParser p(64);
  std::vector<SseRecord> out;
  p.feed("retry: 1x\ndata: " + std::string(200, 'x') + "\n\ndata: ok\n\n", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].data == "ok");
  CHECK(p.oversized() == 1);
  CHECK_FALSE(p.retry());
}
