#include <catch2/catch.hpp>

#include "parse/cvedia_decoder.h"
#include "util/base64.h"

using namespace cam2mqtt;
using namespace cam2mqtt::parse;

namespace {
const ParseContext k_ctx{util::SysMicros{std::chrono::microseconds(1795348800LL * 1000000)}};
}

TEST_CASE("an intrusion start and its end share event_id; the end carries durationMs") {
  auto start = decode_cvedia_record("event-intrusion",
                                    R"({"$id":"event-intrusion","event_id":"e1","object_class":"Person",
                                        "location":{"x":0.9,"y":0.5,"width":0.2,"height":0.1},"area_name":"Gate",
                                        "system_timestamp":1779628424000})",
                                    k_ctx);
  REQUIRE(start);
  CHECK(start->kind == CvediaRecord::Kind::event);
  CHECK(start->start);
  CHECK(start->event.category == model::Category::intrusion);
  CHECK(start->event.subtype == "regionIntrusion");
  CHECK(start->event.active == true);
  CHECK(start->event.eventId == "e1");
  REQUIRE(start->event.targets.size() == 1);
  CHECK(start->event.targets[0].type == "person");
  CHECK(start->event.targets[0].box->x2 == 1.0); // clamped
  CHECK(start->event.targets[0].box->scale == model::Scale::normalized1);
  CHECK(start->event.deviceTime.has_value());
  auto end = decode_cvedia_record("event-intrusion-end", R"({"event_id":"e1","event_duration_ms":4200})", k_ctx);
  REQUIRE(end);
  CHECK(end->end);
  CHECK(end->event.active == false);
  CHECK(end->event.durationMs == 4200);
}

TEST_CASE("object classes map to the model's target types; a bicycle is not a motorcycle") {
  const std::pair<const char*, const char*> cases[] = {{"Person", "person"},         {"Vehicle", "car"},
                                                       {"Motorbike", "motorcycle"},  {"Bicycle", "bicycle"},
                                                       {"Truck", "truck"}};
  for (const auto& [raw, type] : cases) {
    INFO(raw);
    auto r = decode_cvedia_record("event-line-crossing",
                                  std::string(R"({"event_id":"e1","object_class":")") + raw +
                                      R"(","location":{"x":0.1,"y":0.1,"width":0.1,"height":0.1}})",
                                  k_ctx);
    REQUIRE(r);
    REQUIRE(r->event.targets.size() == 1);
    CHECK(r->event.targets[0].type == type);
    CHECK(r->event.targets[0].typeRaw == raw);
  }
}

TEST_CASE("routing falls back to $id; crops decode tolerant base64 and must be JPEG") {
  auto r = decode_cvedia_record("message", R"({"$id":"event-line-crossing","crossing_direction":"down"})", k_ctx);
  REQUIRE(r);
  CHECK(r->event.subtype == "lineCrossing");
  CHECK(r->event.direction == "down");
  CHECK_FALSE(r->event.active.has_value());
  const auto b64 = util::base64_encode(std::string("\xFF\xD8\xFF\xD9x", 5));
  auto crop = decode_cvedia_record("crop", "{\"ref_event_id\":\"e1\",\"image\":\"" + b64.substr(0, b64.find('=')) + "\"}", k_ctx);
  REQUIRE(crop);
  CHECK(crop->kind == CvediaRecord::Kind::crop);
  CHECK(crop->ref_event_id == "e1");
  CHECK(crop->crop.has_value());
  auto not_jpeg = decode_cvedia_record("crop", R"({"ref_event_id":"e1","image":"aGVsbG8="})", k_ctx);
  CHECK_FALSE(not_jpeg->crop.has_value());
  auto junk = decode_cvedia_record("crop", R"({"ref_event_id":"e1","image":"@@@"})", k_ctx);
  CHECK_FALSE(junk->crop.has_value());
}

TEST_CASE("liveness, unknown names, malformed JSON") {
  CHECK(decode_cvedia_record("statistics", "{}", k_ctx)->kind == CvediaRecord::Kind::liveness);
  CHECK(decode_cvedia_record("event-status-changed", "{}", k_ctx)->kind == CvediaRecord::Kind::liveness);
  auto unknown = decode_cvedia_record("event-brand-new", "{}", k_ctx);
  CHECK(unknown->event.category == model::Category::other);
  CHECK(unknown->event.subtype == "brandNew");
  CHECK(decode_cvedia_record("event-intrusion", "{not json", k_ctx).error().kind == "not_json");
  CHECK(decode_cvedia_record("event-intrusion", "[1]", k_ctx).error().kind == "invalid_field");
}

TEST_CASE("polling wrappers and SSE array data unwrap to records") {
  const auto recs = unwrap_cvedia_data("", R"([{"dataType":"crop","jsonObject":"{\"a\":1}"},{"type":"track","object":{"b":2}}])");
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].event == "crop");
  CHECK(recs[0].data == "{\"a\":1}");
  CHECK(recs[1].event == "track");
  CHECK(recs[1].data == "{\"b\":2}");
}
